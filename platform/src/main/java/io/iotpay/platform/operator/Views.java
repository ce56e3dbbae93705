package io.iotpay.platform.operator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iotpay.foundation.money.Money;
import io.iotpay.ledger.audit.InclusionProof;
import io.iotpay.platform.access.http.Exchange;
import io.iotpay.platform.decision.DecisionReason;
import io.iotpay.platform.decision.IdempotencyKey;
import io.iotpay.platform.decision.Payment;
import io.iotpay.platform.decision.PaymentDecision;
import io.iotpay.platform.identity.DeviceRecord;
import io.iotpay.platform.mandate.Mandate;
import io.iotpay.platform.mandate.MandateTerms;
import io.iotpay.platform.mandate.Merchant;
import io.iotpay.platform.state.DeviceState;
import io.iotpay.platform.state.GeoPoint;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/** The JSON the HTTP API answers with: snake_case fields, amounts as minor units plus currency, times in ISO 8601 UTC. */
final class Views {
  static final ObjectMapper JSON = Exchange.JSON;

  private Views() {}

  static ObjectNode device(DeviceRecord device, boolean withCertificate) {
    ObjectNode node = JSON.createObjectNode();
    node.put("device_id", device.deviceId().value());
    node.put("suite", device.suite().name());
    node.put("status", device.status().name());
    node.put("status_reason", device.statusReason());
    node.put("origin", device.origin().name());
    node.put("registered_at", device.registeredAt().toString());
    node.put("status_changed_at", device.statusChangedAt().toString());
    if (withCertificate) {
      node.put("certificate_pem", pem(device.certificate()));
    }
    return node;
  }

  /** The registry's record and, when the device has been seen, its live state. */
  static ObjectNode deviceState(DeviceRecord device, Optional<DeviceState> live) {
    ObjectNode node = JSON.createObjectNode();
    node.set("device", device(device, false));
    if (live.isEmpty()) {
      node.putNull("live");
      return node;
    }
    DeviceState state = live.get();
    ObjectNode liveNode = node.putObject("live");
    liveNode.put("connectivity", state.connectivity().name());
    liveNode.put("last_seen", state.lastSeen().toString());
    liveNode.put("firmware", state.firmware());
    liveNode.put("tampered", state.tampered());
    location(liveNode, state.location());
    if (state.location() != null) {
      ((ObjectNode) liveNode.get("location")).put("reported_at", state.locationAt().toString());
    }
    liveNode.put("highest_counter", state.highestCounter());
    liveNode.put("messages_received", state.messagesReceived());
    liveNode.put("duplicates_received", state.duplicatesReceived());
    liveNode.put("counter_regressions", state.counterRegressions());
    liveNode.put("clone_suspicion", state.cloneSuspicion());
    return node;
  }

  static ObjectNode merchant(Merchant merchant) {
    ObjectNode node = JSON.createObjectNode();
    node.put("merchant_id", merchant.merchantId());
    node.put("name", merchant.name());
    node.put("category", merchant.category());
    node.put("settlement_account_id", merchant.settlementAccountId());
    location(node, merchant.location());
    return node;
  }

  static ObjectNode mandate(Mandate mandate) {
    ObjectNode node = JSON.createObjectNode();
    node.put("mandate_id", mandate.id().value());
    node.put("user_id", mandate.userId());
    node.put("device_id", mandate.deviceId().value());
    node.put("account_id", mandate.accountId());
    node.put("status", mandate.status().name());
    node.put("bound_at", mandate.boundAt().toString());
    MandateTerms terms = mandate.terms();
    ObjectNode termsNode = node.putObject("terms");
    termsNode.put("currency", terms.currency().alphaCode());
    termsNode.put("per_payment_max_minor", terms.perPaymentMax().amountMinor());
    termsNode.put("per_day_max_minor", terms.perDayMax().amountMinor());
    termsNode.put("per_month_max_minor", terms.perMonthMax().amountMinor());
    termsNode.put("confirmation_threshold_minor", terms.confirmationThreshold().amountMinor());
    ArrayNode merchants = termsNode.putArray("allowed_merchants");
    new TreeSet<>(terms.allowedMerchants()).forEach(merchants::add);
    ArrayNode categories = termsNode.putArray("allowed_categories");
    new TreeSet<>(terms.allowedCategories()).forEach(categories::add);
    return node;
  }

  /** A payment for its owner: every decision version (oldest first) and the payment's state, if approved. */
  static ObjectNode payment(IdempotencyKey key, List<PaymentDecision> versions, Optional<Payment> payment) {
    ObjectNode node = JSON.createObjectNode();
    node.put("device_id", key.deviceId().value());
    node.put("counter", key.counter());
    PaymentDecision first = versions.get(0);
    node.put("merchant_id", first.intent().merchantId());
    money(node, first.amount());
    node.put("reference", first.intent().reference());
    node.put("origin", first.intent().origin());
    node.put("outcome", versions.get(versions.size() - 1).outcome().name());
    ArrayNode decisions = node.putArray("decisions");
    versions.forEach(decision -> decisions.add(decision(decision)));
    if (payment.isEmpty()) {
      node.putNull("payment");
    } else {
      ObjectNode paymentNode = node.putObject("payment");
      paymentNode.put("state", payment.get().state().name());
      money(paymentNode, payment.get().amount());
      paymentNode.put("hold_transfer_id", payment.get().holdTransferId());
    }
    return node;
  }

  private static ObjectNode decision(PaymentDecision decision) {
    ObjectNode node = JSON.createObjectNode();
    node.put("version", decision.version());
    node.put("outcome", decision.outcome().name());
    node.put("mandate_id", decision.mandateId());
    node.put("decided_at", decision.decidedAt().toString());
    node.put("audit_index", decision.auditIndex());
    ArrayNode reasons = node.putArray("reasons");
    for (DecisionReason reason : decision.reasons()) {
      reasons.addObject().put("code", reason.code()).put("detail", reason.detail());
    }
    return node;
  }

  /**
   * The owner's proofs. Each {@code proof} is in the audit log's own proof format
   * ({@code docs/audit.md}: what {@code iotpay audit check-proof} reads), so it can be saved and checked
   * with the log's public key alone; {@code log_key_id} names that key.
   */
  static ObjectNode proofs(IdempotencyKey key, List<PaymentDecision> versions, List<InclusionProof> proofs) {
    ObjectNode node = JSON.createObjectNode();
    node.put("device_id", key.deviceId().value());
    node.put("counter", key.counter());
    InclusionProof last = proofs.get(proofs.size() - 1);
    node.put("suite", last.suite().name());
    node.put("log_key_id", last.checkpoint().keyId());
    node.put("tree_size", last.treeSize());
    ArrayNode array = node.putArray("proofs");
    for (int i = 0; i < proofs.size(); i++) {
      ObjectNode entry = array.addObject();
      entry.put("version", versions.get(i).version());
      entry.put("outcome", versions.get(i).outcome().name());
      entry.set("proof", proofs.get(i).toJson(JSON));
    }
    return node;
  }

  private static void money(ObjectNode node, Money amount) {
    node.put("amount_minor", amount.amountMinor());
    node.put("currency", amount.currency().alphaCode());
  }

  /** {@code "location": {"latitude_deg", "longitude_deg"}}, or null when there is no place. */
  private static void location(ObjectNode node, GeoPoint place) {
    if (place == null) {
      node.putNull("location");
      return;
    }
    node.putObject("location").put("latitude_deg", place.latitudeDeg()).put("longitude_deg", place.longitudeDeg());
  }

  static String pem(X509Certificate certificate) {
    try {
      String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(certificate.getEncoded());
      return "-----BEGIN CERTIFICATE-----\n" + body + "\n-----END CERTIFICATE-----\n";
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException("a stored certificate cannot be encoded", e);
    }
  }
}
