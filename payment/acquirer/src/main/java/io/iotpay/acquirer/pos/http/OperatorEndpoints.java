package io.iotpay.acquirer.pos.http;

import static io.iotpay.acquirer.pos.http.JsonBodies.required;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iotpay.acquirer.pos.merchant.Merchant;
import io.iotpay.acquirer.pos.merchant.MerchantId;
import io.iotpay.acquirer.pos.merchant.MerchantState;
import io.iotpay.acquirer.pos.merchant.OnboardingException;
import io.iotpay.acquirer.pos.merchant.OnboardingService;
import io.iotpay.acquirer.pos.merchant.Terminal;
import io.iotpay.acquirer.pos.merchant.TerminalId;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.List;

/** The operator's endpoints: the review queue, decisions, suspension, listings, terminal blocking. */
final class OperatorEndpoints {
  /** Merchants per page when the request names no limit. */
  static final int LIMIT_DEFAULT = 100;
  private static final int LIMIT_DIGITS_MAX = 4;

  /** An operator action on a merchant. */
  private enum Action {
    APPROVE,
    REJECT,
    SUSPEND,
    REACTIVATE
  }

  private final OnboardingService onboarding;
  private final PosHttpConfig config;
  private final Gate gate;

  OperatorEndpoints(OnboardingService onboarding, PosHttpConfig config, Gate gate) {
    this.onboarding = onboarding;
    this.config = config;
    this.gate = gate;
  }

  void register(Javalin app) {
    app.get("/v1/pos/review-queue", this::reviewQueue);
    app.get("/v1/pos/merchants", this::list);
    app.get("/v1/pos/merchants/{id}", this::merchant);
    app.get("/v1/pos/merchants/{id}/terminals", this::terminals);
    for (Action action : Action.values()) {
      app.post("/v1/pos/merchants/{id}/" + action.name().toLowerCase(java.util.Locale.ROOT), ctx -> act(ctx, action));
    }
    app.get("/v1/pos/terminals/{id}", this::terminal);
    app.post("/v1/pos/terminals/{id}/block", this::block);
  }

  private void reviewQueue(Context ctx) {
    gate.requireOperator(ctx);
    page(ctx, MerchantState.IN_REVIEW, null, true);
  }

  private void list(Context ctx) {
    gate.requireOperator(ctx);
    String state = ctx.queryParam("state");
    page(ctx, state == null ? null : state(state), ctx.queryParam("q"), false);
  }

  private void page(Context ctx, MerchantState state, String search, boolean withFindings) {
    String after = ctx.queryParam("after");
    int limit = limit(ctx.queryParam("limit"));
    List<Merchant> merchants = onboarding.list(state, search, after == null ? null : merchantId(after), limit);
    ObjectNode body = Views.JSON.createObjectNode();
    ArrayNode array = body.putArray("merchants");
    for (Merchant merchant : merchants) {
      ObjectNode node = Views.merchant(merchant);
      if (withFindings) {
        node.set("findings", Views.findings(onboarding.findings(merchant.id())));
      }
      array.add(node);
    }
    if (merchants.size() == limit) {
      body.put("next_after", merchants.get(merchants.size() - 1).id().value());
    } else {
      body.putNull("next_after");
    }
    Exchange.json(ctx, 200, body);
  }

  private void merchant(Context ctx) {
    gate.requireOperator(ctx);
    MerchantId id = merchantId(ctx.pathParam("id"));
    ObjectNode body = Views.merchant(onboarding.merchant(id));
    body.set("findings", Views.findings(onboarding.findings(id)));
    body.set("history", Views.history(onboarding.history(id)));
    Exchange.json(ctx, 200, body);
  }

  private void terminals(Context ctx) {
    gate.requireOperator(ctx);
    MerchantId id = merchantId(ctx.pathParam("id"));
    ObjectNode body = Views.JSON.createObjectNode();
    ArrayNode array = body.putArray("terminals");
    for (Terminal terminal : onboarding.terminals(id)) {
      array.add(Views.terminal(terminal));
    }
    Exchange.json(ctx, 200, body);
  }

  private void act(Context ctx, Action action) {
    String operator = gate.requireOperator(ctx);
    MerchantId id = merchantId(ctx.pathParam("id"));
    JsonBodies.Reason request = JsonBodies.parse(Exchange.jsonBody(ctx, config.jsonBytesMax()), JsonBodies.Reason.class);
    String reason = required(request.reason(), "reason");
    Merchant merchant = switch (action) {
      case APPROVE -> onboarding.approve(id, operator, reason);
      case REJECT -> onboarding.reject(id, operator, reason);
      case SUSPEND -> onboarding.suspend(id, operator, reason);
      case REACTIVATE -> onboarding.reactivate(id, operator, reason);
    };
    Exchange.json(ctx, 200, Views.merchant(merchant));
  }

  private void terminal(Context ctx) {
    gate.requireOperator(ctx);
    TerminalId id = terminalId(ctx.pathParam("id"));
    ObjectNode body = Views.terminal(onboarding.terminal(id));
    body.set("may_transact", Views.permission(onboarding.mayTransact(id)));
    body.set("history", Views.history(onboarding.history(id)));
    Exchange.json(ctx, 200, body);
  }

  private void block(Context ctx) {
    String operator = gate.requireOperator(ctx);
    TerminalId id = terminalId(ctx.pathParam("id"));
    JsonBodies.Reason request = JsonBodies.parse(Exchange.jsonBody(ctx, config.jsonBytesMax()), JsonBodies.Reason.class);
    Terminal terminal = onboarding.blockTerminal(id, operator, required(request.reason(), "reason"));
    Exchange.json(ctx, 200, Views.terminal(terminal));
  }

  private static MerchantId merchantId(String text) {
    try {
      return new MerchantId(text);
    } catch (OnboardingException e) {
      throw ApiException.badRequest("merchant id '" + Exchange.clip(text) + "' is not m- and 16 lower-case hex digits");
    }
  }

  private static TerminalId terminalId(String text) {
    try {
      return new TerminalId(text);
    } catch (OnboardingException e) {
      throw ApiException.badRequest("terminal id '" + Exchange.clip(text) + "' is not 8 digits");
    }
  }

  private static MerchantState state(String text) {
    for (MerchantState state : MerchantState.values()) {
      if (state.name().equals(text)) {
        return state;
      }
    }
    throw ApiException.badRequest("state must be one of REGISTERED, IN_REVIEW, ACTIVATED, REJECTED, SUSPENDED");
  }

  private static int limit(String text) {
    if (text == null) {
      return LIMIT_DEFAULT;
    }
    if (text.isEmpty() || text.length() > LIMIT_DIGITS_MAX || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw ApiException.badRequest("limit must be 1.." + OnboardingService.PAGE_LIMIT_MAX);
    }
    int limit = Integer.parseInt(text);
    if (limit < 1 || limit > OnboardingService.PAGE_LIMIT_MAX) {
      throw ApiException.badRequest("limit must be 1.." + OnboardingService.PAGE_LIMIT_MAX);
    }
    return limit;
  }
}
