package io.iotpay.issuer.party;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.iotpay.issuer.IssuerInputException;
import io.iotpay.issuer.deposit.DepositAccounts;
import io.iotpay.protocol.iso8583.AccountVerificationRequest;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.Optional;
import java.util.function.Function;

/**
 * The issuer's deposit accounts over its HTTP listener (bearer: the issuer's operator token), so that a
 * party issuer can hold the settlement accounts the acquirers' penny tests ask about
 * (docs/parties.md, docs/merchant-onboarding.md): {@code PUT /v1/deposit-accounts/{number}} with
 * {@code {"state":"OPEN|CLOSED|BLOCKED"}} records the account in that state (the same request again
 * changes nothing), {@code GET /v1/deposit-accounts/{number}} reads it. A bad number, body or state is
 * a 400 with a typed error and changes nothing. The number is answered and logged masked only.
 */
final class DepositAccountApi {
  static final String PATH = "/v1/deposit-accounts/{number}";
  private static final System.Logger LOG = System.getLogger(DepositAccountApi.class.getName());
  private static final String BEARER = "Bearer ";
  /** Longest token looked up (as the console's). */
  private static final int TOKEN_CHARS_MAX = 512;
  /** Longest body read: {@code {"state":"BLOCKED"}} with room for white space. */
  private static final int BODY_BYTES_MAX = 256;
  private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
          .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(2).maxStringLength(BODY_BYTES_MAX).build())
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .build())
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  private final DepositAccounts accounts;
  private final Function<String, Optional<String>> operatorOf;

  /**
   * @param accounts the issuer's deposit accounts (the ones its account verifications are answered from)
   * @param operatorOf an operator's name by token, compared in constant time; empty for any other
   */
  DepositAccountApi(DepositAccounts accounts, Function<String, Optional<String>> operatorOf) {
    this.accounts = accounts;
    this.operatorOf = operatorOf;
  }

  /** Mounts both routes on {@code app} (before it starts). */
  void register(Javalin app) {
    app.put(PATH, this::put);
    app.get(PATH, this::get);
  }

  private void put(Context ctx) {
    Optional<String> operator = operator(ctx);
    if (operator.isEmpty()) {
      return;
    }
    String number = ctx.pathParam("number");
    if (!wellFormed(number)) {
      badNumber(ctx);
      return;
    }
    DepositAccounts.State state;
    try {
      state = state(ctx.bodyAsBytes());
    } catch (IssuerInputException e) {
      error(ctx, 400, "BAD_STATE", e.getMessage());
      return;
    }
    accounts.put(number, state);
    LOG.log(System.Logger.Level.INFO, "Deposit account set by the operator [operator={0}, account={1}, state={2}]",
        operator.get(), AccountVerificationRequest.mask(number), state);
    answer(ctx, number, state);
  }

  private void get(Context ctx) {
    if (operator(ctx).isEmpty()) {
      return;
    }
    String number = ctx.pathParam("number");
    if (!wellFormed(number)) {
      badNumber(ctx);
      return;
    }
    accounts.state(number).ifPresentOrElse(state -> answer(ctx, number, state),
        () -> error(ctx, 404, "NOT_FOUND", "this issuer holds no account " + AccountVerificationRequest.mask(number)));
  }

  /** The body's state: exactly one object holding exactly {@code state}, one of the three names. */
  private static DepositAccounts.State state(byte[] body) {
    if (body.length == 0 || body.length > BODY_BYTES_MAX) {
      throw new IssuerInputException("the body must be {\"state\":\"OPEN|CLOSED|BLOCKED\"}, at most " + BODY_BYTES_MAX + " bytes");
    }
    JsonNode node;
    try {
      node = MAPPER.readTree(body);
    } catch (java.io.IOException e) { // malformed, duplicate field, trailing content: the parser's words name no value
      throw new IssuerInputException("the body is not one JSON object {\"state\":\"OPEN|CLOSED|BLOCKED\"}");
    }
    if (node == null || !node.isObject() || node.size() != 1 || !node.has("state") || !node.get("state").isTextual()) {
      throw new IssuerInputException("the body must be {\"state\":\"OPEN|CLOSED|BLOCKED\"} and nothing else");
    }
    for (DepositAccounts.State state : DepositAccounts.State.values()) {
      if (state.name().equals(node.get("state").textValue())) {
        return state;
      }
    }
    throw new IssuerInputException("state must be OPEN, CLOSED or BLOCKED");
  }

  private static boolean wellFormed(String number) {
    return number.length() >= AccountVerificationRequest.ACCOUNT_CHARS_MIN
        && number.length() <= AccountVerificationRequest.ACCOUNT_CHARS_MAX && number.chars().allMatch(
            c -> (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z'));
  }

  private Optional<String> operator(Context ctx) {
    String header = ctx.header("Authorization");
    String token = header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length())
        ? header.substring(BEARER.length()).trim() : null;
    Optional<String> operator = token == null || token.length() > TOKEN_CHARS_MAX ? Optional.empty() : operatorOf.apply(token);
    if (operator.isEmpty()) {
      error(ctx, 401, "UNAUTHENTICATED", "an 'Authorization: Bearer <operator token>' header is required");
    }
    return operator;
  }

  private static void badNumber(Context ctx) {
    error(ctx, 400, "BAD_ACCOUNT_NUMBER", "the account number must be " + AccountVerificationRequest.ACCOUNT_CHARS_MIN + ".."
        + AccountVerificationRequest.ACCOUNT_CHARS_MAX + " of 0-9 A-Z");
  }

  /** The account masked and its state: neither needs escaping (asterisks, 0-9 A-Z, an enum name). */
  private static void answer(Context ctx, String number, DepositAccounts.State state) {
    ctx.status(200).contentType("application/json").result("{\"accountNumberMasked\":\""
        + AccountVerificationRequest.mask(number) + "\",\"state\":\"" + state.name() + "\"}");
  }

  /** A typed error; every message is written here and holds no request value but a masked number. */
  private static void error(Context ctx, int status, String code, String message) {
    ctx.status(status).contentType("application/json")
        .result("{\"error\":\"" + code + "\",\"message\":\"" + message.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}");
  }
}
