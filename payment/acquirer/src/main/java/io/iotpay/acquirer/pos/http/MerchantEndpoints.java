package io.iotpay.acquirer.pos.http;

import static io.iotpay.acquirer.pos.http.JsonBodies.required;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iotpay.acquirer.pos.merchant.Merchant;
import io.iotpay.acquirer.pos.merchant.MerchantId;
import io.iotpay.acquirer.pos.merchant.OnboardingService;
import io.iotpay.acquirer.pos.merchant.Registration;
import io.iotpay.acquirer.pos.merchant.SettlementAccount;
import io.iotpay.acquirer.pos.merchant.Terminal;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.Base64;

/**
 * The merchant's endpoints. Registration is anonymous and rate-limited per client address; it
 * answers with the merchant's bearer token, which the merchant uses for everything else.
 */
final class MerchantEndpoints {
  private final OnboardingService onboarding;
  private final PosHttpConfig config;
  private final Gate gate;
  private final RateLimiter registrations;

  MerchantEndpoints(OnboardingService onboarding, PosHttpConfig config, Gate gate, RateLimiter registrations) {
    this.onboarding = onboarding;
    this.config = config;
    this.gate = gate;
    this.registrations = registrations;
  }

  void register(Javalin app) {
    app.post("/v1/pos/merchants", this::registerMerchant);
    app.get("/v1/pos/merchant", this::status);
    app.post("/v1/pos/merchant/terminals", this::enrol);
    app.get("/v1/pos/merchant/terminals", this::terminals);
  }

  private void registerMerchant(Context ctx) {
    if (!registrations.tryAcquire(ctx.req().getRemoteAddr())) {
      throw new ApiException(429, "RATE_LIMITED", "at most " + config.registrationsPerMinuteMax() + " registrations per minute per client");
    }
    JsonBodies.Register request = JsonBodies.parse(Exchange.jsonBody(ctx, config.jsonBytesMax()), JsonBodies.Register.class);
    JsonBodies.Account account = required(request.settlementAccount(), "settlement_account");
    Registration registration = new Registration(request.legalName(), request.businessLicenceNumber(), request.ownerIdNumber(),
        request.mcc(), request.address(), new SettlementAccount(account.bankId(), account.accountNumber()));
    OnboardingService.Registered registered = onboarding.register(required(request.requestId(), "request_id"), registration);
    Merchant merchant = registered.merchant();
    ObjectNode body = Views.merchant(merchant);
    body.set("findings", Views.findings(onboarding.findings(merchant.id())));
    body.put("merchant_token", gate.merchantToken(merchant.id()));
    Exchange.json(ctx, registered.created() ? 201 : 200, body);
  }

  private void status(Context ctx) {
    MerchantId id = gate.requireMerchant(ctx);
    ObjectNode body = Views.merchant(onboarding.merchant(id));
    body.set("findings", Views.findings(onboarding.findings(id)));
    Exchange.json(ctx, 200, body);
  }

  private void enrol(Context ctx) {
    MerchantId id = gate.requireMerchant(ctx);
    JsonBodies.Enrol request = JsonBodies.parse(Exchange.jsonBody(ctx, config.jsonBytesMax()), JsonBodies.Enrol.class);
    AlgorithmSuite suite = suite(required(request.suite(), "suite"));
    byte[] csr = base64(required(request.csr(), "csr"));
    OnboardingService.Enrolment enrolment = onboarding.enrol(id, suite, csr);
    ObjectNode body = Views.terminal(enrolment.terminal());
    body.put("ca_certificate_pem", Views.pem(enrolment.caCertificate()));
    Exchange.json(ctx, 201, body);
  }

  private void terminals(Context ctx) {
    MerchantId id = gate.requireMerchant(ctx);
    ObjectNode body = Views.JSON.createObjectNode();
    ArrayNode list = body.putArray("terminals");
    for (Terminal terminal : onboarding.terminals(id)) {
      list.add(Views.terminal(terminal));
    }
    Exchange.json(ctx, 200, body);
  }

  static AlgorithmSuite suite(String name) {
    for (AlgorithmSuite suite : AlgorithmSuite.values()) {
      if (suite.name().equals(name)) {
        return suite;
      }
    }
    throw ApiException.badRequest("suite must be INTERNATIONAL or NATIONAL");
  }

  private static byte[] base64(String text) {
    try {
      return Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("csr is not standard base64");
    }
  }
}
