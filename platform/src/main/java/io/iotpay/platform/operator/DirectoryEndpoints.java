package io.iotpay.platform.operator;

import static io.iotpay.platform.operator.JsonBodies.required;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.platform.access.http.ApiException;
import io.iotpay.platform.access.http.Exchange;
import io.iotpay.platform.mandate.Merchant;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The operator's directory: users (each with a bearer token the operator issues), ledger accounts
 * (opened, funded by deposits, given a holder) and the merchant listing. Everything is kept in the
 * node's database, so a restart — or another node on the same database — sees the same.
 */
final class DirectoryEndpoints {
  /** Entries per listing page when the request names no limit, and the most a request may ask for. */
  static final int LIST_LIMIT_DEFAULT = 100;
  static final int LIST_LIMIT_MAX = 1000;
  private static final Pattern DEPOSIT_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  private final HttpApiServices services;
  private final DirectoryServices directory;
  private final HttpApiConfig config;

  DirectoryEndpoints(HttpApiServices services, DirectoryServices directory, HttpApiConfig config) {
    this.services = services;
    this.directory = directory;
    this.config = config;
  }

  void register(Javalin app, BearerTokenCheck bearer) {
    app.post("/v1/users", OperatorEndpoints.operator(bearer, this::createUser));
    app.get("/v1/users", OperatorEndpoints.operator(bearer, this::listUsers));
    app.post("/v1/users/{id}/token", OperatorEndpoints.operator(bearer, this::reissueToken));
    app.post("/v1/accounts", OperatorEndpoints.operator(bearer, this::openAccount));
    app.get("/v1/accounts", OperatorEndpoints.operator(bearer, this::listAccounts));
    app.get("/v1/accounts/{id}", OperatorEndpoints.operator(bearer, ctx -> Exchange.json(ctx, 200, account(requireHolding(accountId(ctx))))));
    app.post("/v1/accounts/{id}/owner", OperatorEndpoints.operator(bearer, this::changeHolder));
    app.post("/v1/accounts/{id}/deposits", OperatorEndpoints.operator(bearer, this::deposit));
    app.get("/v1/merchants", OperatorEndpoints.operator(bearer, this::listMerchants));
    app.get("/v1/merchants/{id}", OperatorEndpoints.operator(bearer, this::merchant));
  }

  // ---------------------------------------------------------------- users

  private void createUser(Context ctx) throws SQLException {
    String userId = required(JsonBodies.parse(json(ctx), JsonBodies.NewUser.class).userId(), "user_id");
    Exchange.json(ctx, 201, issued(directory.users().create(userId, services.clock().now())));
  }

  private void reissueToken(Context ctx) throws SQLException {
    String userId = ctx.pathParam("id");
    StoredUsers.requireUserId(userId);
    Exchange.json(ctx, 200, issued(directory.users().reissue(userId).orElseThrow(() -> unknownUser(userId))));
  }

  private void listUsers(Context ctx) throws SQLException {
    String after = OperatorEndpoints.query(ctx, "after", text -> {
      StoredUsers.requireUserId(text);
      return text;
    });
    int limit = limit(ctx);
    List<StoredUsers.User> page = directory.users().list(after, limit);
    ObjectNode body = Exchange.JSON.createObjectNode();
    ArrayNode users = body.putArray("users");
    page.forEach(user -> users.addObject().put("user_id", user.userId()).put("created_at", user.createdAt().toString()));
    body.put("next_after", page.size() == limit ? page.get(page.size() - 1).userId() : null);
    Exchange.json(ctx, 200, body);
  }

  /** The token is in this answer only: it is stored as its digest and cannot be read back. */
  private static ObjectNode issued(StoredUsers.Issued issued) {
    return Exchange.JSON.createObjectNode().put("user_id", issued.userId()).put("token", issued.token());
  }

  private static ApiException unknownUser(String userId) {
    return ApiException.notFound("UNKNOWN_USER", "user " + userId + " does not exist");
  }

  // ---------------------------------------------------------------- accounts

  private void openAccount(Context ctx) throws SQLException {
    JsonBodies.NewAccount request = JsonBodies.parse(json(ctx), JsonBodies.NewAccount.class);
    long accountId = checkedAccountId(required(request.accountId(), "account_id"));
    // A currency the node does not know is refused here (400), before the ledger is asked.
    String currency = CurrencyUnit.of(required(request.currency(), "currency")).alphaCode();
    String owner = holder(request.owner());
    Optional<StoredAccountOwners.Holding> existing = directory.holders().find(accountId);
    if (existing.isPresent()) {
      if (existing.get().currency().equals(currency) && java.util.Objects.equals(existing.get().userId(), owner)) {
        Exchange.json(ctx, 200, account(existing.get()));
        return;
      }
      throw ApiException.conflict("ACCOUNT_EXISTS", "account " + accountId + " exists with another currency or holder");
    }
    if (directory.ledger().open(accountId, currency, owner != null) == AccountLedger.Opening.EXISTS_DIFFERENTLY) {
      throw ApiException.conflict("ACCOUNT_EXISTS", "the ledger holds account " + accountId + " with another currency or kind");
    }
    StoredAccountOwners.Holding holding = new StoredAccountOwners.Holding(accountId, owner, currency);
    if (!directory.holders().add(holding)) {
      throw ApiException.conflict("ACCOUNT_EXISTS", "account " + accountId + " was opened at the same time by another request");
    }
    Exchange.json(ctx, 201, account(holding));
  }

  private void changeHolder(Context ctx) throws SQLException {
    long accountId = accountId(ctx);
    String owner = holder(JsonBodies.parse(json(ctx), JsonBodies.AccountHolder.class).owner());
    requireHolding(accountId);
    directory.holders().changeHolder(accountId, owner);
    Exchange.json(ctx, 200, account(requireHolding(accountId)));
  }

  private void deposit(Context ctx) throws SQLException {
    long accountId = accountId(ctx);
    JsonBodies.NewDeposit request = JsonBodies.parse(json(ctx), JsonBodies.NewDeposit.class);
    String depositId = required(request.depositId(), "deposit_id");
    long amountMinor = required(request.amountMinor(), "amount_minor");
    if (!DEPOSIT_ID.matcher(depositId).matches()) {
      throw ApiException.badRequest("deposit_id must have 1..64 characters of A-Z a-z 0-9 . _ -");
    }
    if (amountMinor <= 0) {
      throw ApiException.badRequest("amount_minor " + amountMinor + " is not positive");
    }
    StoredAccountOwners.Holding holding = requireHolding(accountId);
    switch (directory.ledger().deposit(accountId, depositId, amountMinor)) {
      case POSTED -> Exchange.json(ctx, 200, account(holding));
      case CONFLICT -> throw ApiException.conflict("DEPOSIT_CONFLICT", "deposit " + depositId + " was made with another amount");
      case UNKNOWN_ACCOUNT -> throw ApiException.notFound("UNKNOWN_ACCOUNT", "the ledger holds no account " + accountId);
    }
  }

  private void listAccounts(Context ctx) throws SQLException {
    Long after = OperatorEndpoints.query(ctx, "after", Long::valueOf);
    int limit = limit(ctx);
    List<StoredAccountOwners.Holding> page = directory.holders().list(after == null ? 0 : after, limit);
    ObjectNode body = Exchange.JSON.createObjectNode();
    ArrayNode accounts = body.putArray("accounts");
    page.forEach(holding -> accounts.add(account(holding)));
    if (page.size() == limit) {
      body.put("next_after", page.get(page.size() - 1).accountId());
    } else {
      body.putNull("next_after");
    }
    Exchange.json(ctx, 200, body);
  }

  private ObjectNode account(StoredAccountOwners.Holding holding) {
    ObjectNode node = Exchange.JSON.createObjectNode();
    node.put("account_id", holding.accountId());
    node.put("currency", holding.currency());
    node.put("owner", holding.userId());
    directory.ledger().balances(holding.accountId()).ifPresent(balances -> {
      node.put("available_minor", balances.availableMinor());
      node.put("credits_posted_minor", balances.creditsPostedMinor());
      node.put("debits_posted_minor", balances.debitsPostedMinor());
      node.put("debits_pending_minor", balances.debitsPendingMinor());
      node.put("credits_pending_minor", balances.creditsPendingMinor());
    });
    return node;
  }

  private StoredAccountOwners.Holding requireHolding(long accountId) throws SQLException {
    return directory.holders().find(accountId)
        .orElseThrow(() -> ApiException.notFound("UNKNOWN_ACCOUNT", "account " + accountId + " was not opened here"));
  }

  /** A holder named in a request: null (none) or an existing user. */
  private String holder(String owner) throws SQLException {
    if (owner == null) {
      return null;
    }
    StoredUsers.requireUserId(owner);
    if (!directory.users().exists(owner)) {
      throw unknownUser(owner);
    }
    return owner;
  }

  private static long accountId(Context ctx) {
    String text = ctx.pathParam("id");
    if (!text.matches("[0-9]{1,11}")) {
      throw ApiException.badRequest("an account id is 1.." + AccountLedger.ACCOUNT_ID_MAX);
    }
    return checkedAccountId(Long.parseLong(text));
  }

  private static long checkedAccountId(long accountId) {
    if (accountId < 1 || accountId > AccountLedger.ACCOUNT_ID_MAX) {
      throw ApiException.badRequest("account_id " + accountId + " is outside 1.." + AccountLedger.ACCOUNT_ID_MAX);
    }
    return accountId;
  }

  // ---------------------------------------------------------------- merchants

  private void listMerchants(Context ctx) {
    String after = OperatorEndpoints.query(ctx, "after", Function.identity());
    int limit = limit(ctx);
    List<Merchant> page = services.merchants().list(after, limit);
    ObjectNode body = Exchange.JSON.createObjectNode();
    ArrayNode merchants = body.putArray("merchants");
    page.forEach(merchant -> merchants.add(Views.merchant(merchant)));
    body.put("next_after", page.size() == limit ? page.get(page.size() - 1).merchantId() : null);
    Exchange.json(ctx, 200, body);
  }

  private void merchant(Context ctx) {
    String id = ctx.pathParam("id");
    Merchant merchant = services.merchants().find(id)
        .orElseThrow(() -> ApiException.notFound("UNKNOWN_MERCHANT", "merchant " + Exchange.clip(id) + " is unknown"));
    Exchange.json(ctx, 200, Views.merchant(merchant));
  }

  private static int limit(Context ctx) {
    Integer limit = OperatorEndpoints.query(ctx, "limit", Integer::valueOf);
    int pageLimit = limit == null ? LIST_LIMIT_DEFAULT : limit;
    if (pageLimit < 1 || pageLimit > LIST_LIMIT_MAX) {
      throw ApiException.badRequest("limit " + pageLimit + " outside 1.." + LIST_LIMIT_MAX);
    }
    return pageLimit;
  }

  private byte[] json(Context ctx) {
    return Exchange.jsonBody(ctx, config.jsonBytesMax());
  }
}
