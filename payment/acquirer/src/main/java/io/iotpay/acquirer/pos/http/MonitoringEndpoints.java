package io.iotpay.acquirer.pos.http;

import static io.iotpay.acquirer.pos.http.JsonBodies.required;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iotpay.acquirer.pos.merchant.MerchantId;
import io.iotpay.acquirer.pos.merchant.OnboardingException;
import io.iotpay.acquirer.pos.merchant.OnboardingService;
import io.iotpay.acquirer.pos.merchant.Terminal;
import io.iotpay.acquirer.pos.merchant.TerminalId;
import io.iotpay.acquirer.pos.risk.AttestationToken;
import io.iotpay.acquirer.pos.risk.RiskVerdict;
import io.iotpay.acquirer.pos.risk.TerminalRiskService;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.Base64;
import java.util.function.Supplier;

/**
 * The terminal monitoring service on the wire (docs/phone-sdk.md, "The acquirer's HTTP API"): the
 * SDK asks for a nonce, then presents the token its secure element signed over it, immediately
 * before each payment. Both with the merchant's bearer token, for one of the merchant's own
 * terminals (another merchant's terminal is answered 404, as an unknown one: its existence is not
 * told). A verdict is an answer (200), refusals included; errors follow the API's contract.
 */
final class MonitoringEndpoints {
  private final OnboardingService onboarding;
  private final PosHttpConfig config;
  private final Gate gate;
  private final Supplier<TerminalRiskService> risk;

  MonitoringEndpoints(OnboardingService onboarding, PosHttpConfig config, Gate gate, Supplier<TerminalRiskService> risk) {
    this.onboarding = onboarding;
    this.config = config;
    this.gate = gate;
    this.risk = risk;
  }

  void register(Javalin app) {
    app.post("/v1/pos/merchant/terminals/{terminal}/nonce", this::nonce);
    app.post("/v1/pos/merchant/terminals/{terminal}/attestations", this::attest);
  }

  private void nonce(Context ctx) {
    TerminalId terminal = ownTerminal(ctx, gate.requireMerchant(ctx));
    byte[] nonce = service().nonce(terminal);
    ObjectNode body = Views.JSON.createObjectNode();
    body.put("terminal_id", terminal.value());
    body.put("nonce", Base64.getEncoder().encodeToString(nonce));
    Exchange.json(ctx, 201, body);
  }

  private void attest(Context ctx) {
    TerminalId terminal = ownTerminal(ctx, gate.requireMerchant(ctx));
    JsonBodies.Attest request = JsonBodies.parse(Exchange.jsonBody(ctx, config.jsonBytesMax()), JsonBodies.Attest.class);
    String text = required(request.token(), "token");
    if (text.length() > (AttestationToken.BYTES_MAX + 2) / 3 * 4) {
      throw ApiException.badRequest("token longer than " + AttestationToken.BYTES_MAX + " bytes");
    }
    byte[] token;
    try {
      token = Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("token is not standard base64");
    }
    RiskVerdict verdict = service().attest(terminal, token);
    ObjectNode body = Views.JSON.createObjectNode();
    body.put("terminal_id", terminal.value());
    body.put("outcome", verdict.outcome().name());
    body.put("reason", verdict.reason().name());
    body.put("detail", verdict.detail());
    Exchange.json(ctx, 200, body);
  }

  /** The path's terminal, if it is one of {@code merchant}'s. @throws OnboardingException UNKNOWN_TERMINAL otherwise */
  private TerminalId ownTerminal(Context ctx, MerchantId merchant) {
    TerminalId id = new TerminalId(ctx.pathParam("terminal"));
    Terminal terminal = onboarding.terminal(id);
    if (!terminal.merchantId().equals(merchant)) {
      throw new OnboardingException(OnboardingException.Reason.UNKNOWN_TERMINAL, "no terminal " + id + " of this merchant");
    }
    return id;
  }

  private TerminalRiskService service() {
    TerminalRiskService service = risk.get();
    if (service == null) {
      throw new ApiException(503, "UNAVAILABLE", "the terminal monitoring service is not running; retry later");
    }
    return service;
  }
}
