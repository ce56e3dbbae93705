package io.iotpay.platform.operator;

import static io.iotpay.platform.operator.JsonBodies.required;

import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.money.Money;
import io.iotpay.ledger.audit.InclusionProof;
import io.iotpay.platform.access.http.ApiException;
import io.iotpay.platform.access.http.Exchange;
import io.iotpay.platform.decision.DecisionOutcome;
import io.iotpay.platform.decision.IdempotencyKey;
import io.iotpay.platform.decision.PaymentDecision;
import io.iotpay.platform.identity.DeviceId;
import io.iotpay.platform.mandate.Mandate;
import io.iotpay.platform.mandate.MandateException;
import io.iotpay.platform.mandate.MandateId;
import io.iotpay.platform.mandate.MandateStatus;
import io.iotpay.platform.mandate.MandateTerms;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The device owner's endpoints: mandates, payments, confirmations and proofs. Every one checks that
 * the caller owns what they name: another user's mandate or payment is answered 403 and left untouched.
 */
final class UserEndpoints {
  private final HttpApiServices services;
  private final HttpApiConfig config;

  UserEndpoints(HttpApiServices services, HttpApiConfig config) {
    this.services = services;
    this.config = config;
  }

  void register(Javalin app, BearerTokenCheck bearer) {
    app.post("/v1/mandates", ctx -> bind(ctx, bearer.requireUser(ctx)));
    app.get("/v1/mandates/{id}", ctx -> Exchange.json(ctx, 200, Views.mandate(ownMandate(ctx, bearer.requireUser(ctx)))));
    for (MandateAction action : MandateAction.values()) {
      app.post("/v1/mandates/{id}/" + action.name().toLowerCase(Locale.ROOT), ctx -> changeMandate(ctx, bearer.requireUser(ctx), action));
    }
    app.get("/v1/payments/{device}/{counter}", ctx -> payment(ctx, bearer.requireUser(ctx)));
    app.post("/v1/payments/{device}/{counter}/confirm", ctx -> confirm(ctx, bearer.requireUser(ctx)));
    app.get("/v1/payments/{device}/{counter}/proof", ctx -> proof(ctx, bearer.requireUser(ctx)));
  }

  /** What a user can do to their mandate, each at {@code POST /v1/mandates/{id}/<name in lower case>}. */
  enum MandateAction {
    SUSPEND,
    RESUME,
    REVOKE
  }

  private void bind(Context ctx, String userId) {
    JsonBodies.BindMandate request = JsonBodies.parse(json(ctx), JsonBodies.BindMandate.class);
    DeviceId deviceId = Exchange.deviceId(required(request.deviceId(), "device_id"));
    long accountId = required(request.accountId(), "account_id");
    if (accountId <= 0) {
      throw ApiException.badRequest("account_id " + accountId + " is not positive");
    }
    MandateTerms terms = terms(required(request.terms(), "terms"));
    if (services.devices().find(deviceId).isEmpty()) {
      throw ApiException.notFound("UNKNOWN_DEVICE", "device " + deviceId + " is not registered");
    }
    if (!services.auth().accounts().holds(userId, accountId)) {
      throw new ApiException(403, "NOT_YOUR_ACCOUNT", "account " + accountId + " is not held by the caller");
    }
    Optional<Mandate> live = services.mandates().liveMandateOf(deviceId);
    if (live.isPresent()) {
      throw ApiException.conflict("MANDATE_EXISTS", "device " + deviceId + " already has a live mandate; its owner must revoke it first");
    }
    Mandate mandate = services.mandates().bind(userId, deviceId, accountId, terms);
    Exchange.json(ctx, 201, Views.mandate(mandate));
  }

  /** The domain terms of a request. @throws io.iotpay.foundation.InvalidInputException or ApiException (400) when they are not valid */
  static MandateTerms terms(JsonBodies.Terms terms) {
    CurrencyUnit currency = CurrencyUnit.of(required(terms.currency(), "terms.currency"));
    return new MandateTerms(
        Money.ofMinor(required(terms.perPaymentMaxMinor(), "terms.per_payment_max_minor"), currency),
        Money.ofMinor(required(terms.perDayMaxMinor(), "terms.per_day_max_minor"), currency),
        Money.ofMinor(required(terms.perMonthMaxMinor(), "terms.per_month_max_minor"), currency),
        Money.ofMinor(required(terms.confirmationThresholdMinor(), "terms.confirmation_threshold_minor"), currency),
        terms.allowedMerchants() == null ? null : new HashSet<>(terms.allowedMerchants()),
        terms.allowedCategories() == null ? null : new HashSet<>(terms.allowedCategories()));
  }

  private void changeMandate(Context ctx, String userId, MandateAction action) {
    Mandate mandate = ownMandate(ctx, userId);
    if (mandate.status() == MandateStatus.REVOKED && action != MandateAction.REVOKE) {
      throw ApiException.conflict("MANDATE_REVOKED", "mandate " + mandate.id() + " is revoked for good");
    }
    Mandate changed = switch (action) {
      case SUSPEND -> services.mandates().suspend(mandate.id());
      case RESUME -> services.mandates().resume(mandate.id());
      case REVOKE -> services.mandates().revoke(mandate.id());
    };
    Exchange.json(ctx, 200, Views.mandate(changed));
  }

  private Mandate ownMandate(Context ctx, String userId) {
    MandateId id;
    try {
      id = new MandateId(ctx.pathParam("id"));
    } catch (MandateException e) {
      throw ApiException.badRequest(e.getMessage());
    }
    Mandate mandate = services.mandates().find(id)
        .orElseThrow(() -> ApiException.notFound("UNKNOWN_MANDATE", "mandate " + id + " is unknown"));
    if (!mandate.userId().equals(userId)) {
      throw new ApiException(403, "NOT_YOURS", "mandate " + id + " belongs to another user");
    }
    return mandate;
  }

  private void payment(Context ctx, String userId) {
    IdempotencyKey key = PaymentKeys.of(ctx);
    List<PaymentDecision> versions = ownDecision(key, userId);
    Exchange.json(ctx, 200, Views.payment(key, versions, services.payments().payment(key)));
  }

  private void confirm(Context ctx, String userId) {
    IdempotencyKey key = PaymentKeys.of(ctx);
    boolean approve = required(JsonBodies.parse(json(ctx), JsonBodies.Confirm.class).approve(), "approve");
    List<PaymentDecision> versions = ownDecision(key, userId);
    if (versions.get(0).outcome() != DecisionOutcome.ASK_USER) {
      throw ApiException.conflict("NOT_AWAITING_CONFIRMATION", "payment " + key + " was " + versions.get(0).outcome() + ", not asked of the user");
    }
    services.payments().answer(key, userId, approve);
    Exchange.json(ctx, 200, Views.payment(key, services.payments().versions(key), services.payments().payment(key)));
  }

  private void proof(Context ctx, String userId) {
    IdempotencyKey key = PaymentKeys.of(ctx);
    ownDecision(key, userId);
    List<InclusionProof> proofs = services.payments().proofs(key, userId);
    // Read after the proofs: versions only grow, so the first proofs.size() of them are the ones proven.
    List<PaymentDecision> versions = services.payments().versions(key);
    Exchange.json(ctx, 200, Views.proofs(key, versions, proofs));
  }

  /** Every version of the decision for {@code key}. @throws ApiException 404 when none, 403 when not the caller's */
  private List<PaymentDecision> ownDecision(IdempotencyKey key, String userId) {
    List<PaymentDecision> versions = services.payments().versions(key);
    if (versions.isEmpty()) {
      throw ApiException.notFound("UNKNOWN_PAYMENT", "no payment " + key);
    }
    PaymentDecision first = versions.get(0);
    Optional<Mandate> mandate = first.mandateId() != null
        ? services.mandates().find(new MandateId(first.mandateId()))
        : services.mandates().liveMandateOf(key.deviceId());
    if (mandate.isEmpty() || !mandate.get().userId().equals(userId)) {
      throw new ApiException(403, "NOT_YOURS", "payment " + key + " is not on a mandate of the caller");
    }
    return versions;
  }

  private byte[] json(Context ctx) {
    return Exchange.jsonBody(ctx, config.jsonBytesMax());
  }
}
