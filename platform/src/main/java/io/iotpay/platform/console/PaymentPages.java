package io.iotpay.platform.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.iotpay.console.ConsoleInputException;
import io.iotpay.console.ConsoleRenderer;
import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.DigestAlgorithm;
import io.iotpay.ledger.audit.AuditLog;
import io.iotpay.ledger.audit.InclusionProof;
import io.iotpay.platform.console.ConsoleViews.DecisionRow;
import io.iotpay.platform.console.ConsoleViews.PaymentView;
import io.iotpay.platform.console.ConsoleViews.PaymentsView;
import io.iotpay.platform.console.ConsoleViews.ProofView;
import io.iotpay.platform.decision.IdempotencyKey;
import io.iotpay.platform.decision.Payment;
import io.iotpay.platform.decision.PaymentDecision;
import io.iotpay.platform.identity.DeviceId;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.UncheckedIOException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The payments: every decision newest first, searched by device and paged by audit index; each
 * payment's page with its decision versions, state and the audit proof of each version (inclusion
 * path and signed checkpoint), checked by the platform and, for the INTERNATIONAL suite, by the
 * browser itself ({@code proof.js}, WebCrypto) against the audit log's published key.
 */
final class PaymentPages {
  static final String PATH = OperatorConsole.ROOT + "/payments";
  /** Decisions per page. */
  static final int PAGE_SIZE = 50;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ConsoleServices services;
  private final ConsoleRenderer renderer;

  PaymentPages(ConsoleServices services, ConsoleRenderer renderer) {
    this.services = services;
    this.renderer = renderer;
  }

  void register(Javalin app) {
    app.get(PATH, this::list);
    app.get(PATH + "/{device}/{counter}", this::payment);
  }

  private void list(Context ctx) {
    String deviceText = ConsoleInput.query(ctx, "device");
    DeviceId device = ConsoleInput.deviceId(deviceText);
    Long before = ConsoleInput.positiveLong("before", ctx.queryParam("before"));
    List<PaymentDecision> page = services.decisions().page(device, before == null ? Long.MAX_VALUE : before, PAGE_SIZE);
    List<DecisionRow> rows = page.stream().map(ConsoleFormat::decision).toList();
    Long nextBefore = page.size() == PAGE_SIZE ? page.get(page.size() - 1).auditIndex() : null;
    PaymentsView view = new PaymentsView(rows, deviceText, nextBefore, services.decisions().count());
    renderer.page(ctx, "payments.jte", DevicePages.frame(ctx, "Payments"), view);
  }

  private void payment(Context ctx) {
    DeviceId device = ConsoleInput.deviceId(ctx.pathParam("device"));
    Long counter = ConsoleInput.positiveLong("counter", ctx.pathParam("counter"));
    IdempotencyKey key = new IdempotencyKey(device, counter);
    List<PaymentDecision> versions = services.platform().payments().versions(key);
    if (versions.isEmpty()) {
      throw new ConsoleInputException(404, "no decision for payment " + device.value() + "/" + counter);
    }
    PaymentDecision first = versions.get(0);
    AuditLog log = services.auditLog();
    byte[] publicKeyDer = log.publicKeyDer();
    PublicKey publicKey = log.suite().signature().publicKeyFromDer(publicKeyDer);
    List<InclusionProof> proofs = services.platform().payments().operatorProofs(key);
    List<ProofView> proofViews = new ArrayList<>(proofs.size());
    for (int i = 0; i < proofs.size(); i++) {
      InclusionProof proof = proofs.get(i);
      String problem = proof.problem(Map.of(log.keyId(), publicKey)).orElse("verified");
      proofViews.add(new ProofView(versions.get(i).version(), versions.get(i).outcome().name(), pretty(proof), problem));
    }
    PaymentView view = new PaymentView(device.value(), counter, first.intent().merchantId(), first.amount().toString(),
        first.intent().reference(), services.platform().payments().payment(key).map(Payment::state).map(Enum::name).orElse(""),
        versions.stream().map(ConsoleFormat::decision).toList(), proofViews, log.suite().name(), log.keyId(), pem(publicKeyDer),
        Hex.encode(DigestAlgorithm.SHA_256.digest(publicKeyDer)).toLowerCase(Locale.ROOT), log.suite() == AlgorithmSuite.INTERNATIONAL);
    renderer.page(ctx, "payment.jte", DevicePages.frame(ctx, "Payment " + device.value() + "/" + counter), view);
  }

  private static String pretty(InclusionProof proof) {
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(proof.toJson(JSON));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String pem(byte[] der) {
    String body = Base64.getMimeEncoder(64, "\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN PUBLIC KEY-----\n" + body + "\n-----END PUBLIC KEY-----\n";
  }
}
