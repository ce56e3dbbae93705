package io.iotpay.acquirer.pos.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iotpay.acquirer.pos.merchant.MerchantId;
import io.iotpay.acquirer.pos.merchant.TerminalId;
import io.iotpay.acquirer.pos.merchant.TransactPermission;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.Certificates;
import io.iotpay.foundation.store.Database;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The onboarding API over real HTTP on loopback, on a real database and audit log, under both
 * suites (audit log, matching key, merchant tokens and terminal CA of the suite).
 */
class OnboardingHttpTest {
  /** On the fixture's sanctions list, written with spaces and a hyphen: matching normalises. */
  static final String SANCTIONED_OWNER = "11010519491231002X";
  private static final AtomicInteger SEQUENCE = new AtomicInteger();

  @TempDir Path dir;

  static PosFixture fixture(AlgorithmSuite suite, Database.Dialect dialect, Path dir) throws Exception {
    return new PosFixture(suite, dialect, dir, List.of("110105 19491231-002x;test entry", "# a comment", "  ", "99887766554433"), 100_000);
  }

  /** A registration body whose every automatic check passes (its account is opened at the fixture's bank). */
  static ObjectNode registration(PosFixture f) {
    int n = SEQUENCE.incrementAndGet();
    String account = String.format("6222%012d", 700_000_000L + n);
    f.openAccount(account);
    ObjectNode body = PosFixture.JSON.createObjectNode();
    body.put("request_id", "req-" + java.util.UUID.randomUUID());
    body.put("legal_name", "Zhang's Noodle Stall " + n);
    body.put("business_licence_number", String.format("91310000MA1K%06d", n));
    body.put("owner_id_number", String.format("3101011990%06d1234", n).substring(0, 18));
    body.put("mcc", "5812");
    body.put("address", "12 Market Street, Shanghai");
    ObjectNode settlement = body.putObject("settlement_account");
    settlement.put("bank_id", PosFixture.BANK);
    settlement.put("account_number", account);
    return body;
  }

  static JsonNode enrol(PosFixture f, String merchantToken, AlgorithmSuite suite, KeyPair keys, int status) {
    ObjectNode body = PosFixture.JSON.createObjectNode();
    body.put("suite", suite.name());
    body.put("csr", Base64.getEncoder().encodeToString(Csrs.csr(suite, keys)));
    PosFixture.Answer answer = f.post("/v1/pos/merchant/terminals", merchantToken, body.toString());
    assertThat(answer.status()).as(answer.raw()).isEqualTo(status);
    return answer.body();
  }

  static X509Certificate certificate(String pem) throws Exception {
    return (X509Certificate) CertificateFactory.getInstance("X.509", new org.bouncycastle.jce.provider.BouncyCastleProvider())
        .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void fullPath_registerReviewActivateEnrolSuspendBlock(AlgorithmSuite suite) throws Exception {
    try (LogCapture logs = new LogCapture(); PosFixture f = fixture(suite, Database.Dialect.SQLITE, dir)) {
      ObjectNode request = registration(f);
      PosFixture.Answer registered = f.post("/v1/pos/merchants", null, request.toString());
      assertThat(registered.status()).as(registered.raw()).isEqualTo(201);
      JsonNode merchant = registered.body();
      assertThat(merchant.get("state").asText()).isEqualTo("ACTIVATED");
      assertThat(merchant.get("findings")).hasSize(4).allSatisfy(finding -> assertThat(finding.get("verdict").asText()).isEqualTo("PASS"));
      String merchantId = merchant.get("merchant_id").asText();
      String token = merchant.get("merchant_token").asText();

      // The same request again: the same merchant and token, nothing new.
      long leavesBefore = f.auditLog.size();
      PosFixture.Answer retry = f.post("/v1/pos/merchants", null, request.toString());
      assertThat(retry.status()).isEqualTo(200);
      assertThat(retry.body().get("merchant_id").asText()).isEqualTo(merchantId);
      assertThat(retry.body().get("merchant_token").asText()).isEqualTo(token);
      assertThat(f.auditLog.size()).isEqualTo(leavesBefore);
      assertThat(f.get("/v1/pos/merchants?q=" + merchant.get("business_licence_number").asText(), PosFixture.ALICE_TOKEN).body()
          .get("merchants")).hasSize(1);

      KeyPair phoneKeys = Csrs.keyPair(suite);
      JsonNode terminal = enrol(f, token, suite, phoneKeys, 201);
      X509Certificate leaf = certificate(terminal.get("certificate_pem").asText());
      X509Certificate ca = certificate(terminal.get("ca_certificate_pem").asText());
      Certificates.check(suite, leaf, ca, Instant.now());
      assertThat(ca).isEqualTo(f.ca(suite).certificate());
      assertThat(leaf.getPublicKey().getEncoded()).isEqualTo(phoneKeys.getPublic().getEncoded());
      TerminalId terminalId = new TerminalId(terminal.get("terminal_id").asText());
      assertThat(leaf.getSubjectX500Principal().getName()).contains("CN=" + terminalId.value()).contains(merchantId);
      assertThat(f.get("/v1/pos/merchant/terminals", token).body().get("terminals")).hasSize(1);
      assertThat(f.service.mayTransact(terminalId)).isEqualTo(new TransactPermission.Allowed(terminalId, new MerchantId(merchantId)));

      PosFixture.Answer suspended = f.post("/v1/pos/merchants/" + merchantId + "/suspend", PosFixture.ALICE_TOKEN, "{\"reason\":\"chargebacks\"}");
      assertThat(suspended.body().get("state").asText()).isEqualTo("SUSPENDED");
      assertThat(f.service.mayTransact(terminalId)).isInstanceOfSatisfying(TransactPermission.Refused.class,
          refused -> assertThat(refused.reason()).isEqualTo(TransactPermission.RefusalReason.MERCHANT_SUSPENDED));
      assertThat(f.get("/v1/pos/terminals/" + terminalId.value(), PosFixture.BOB_TOKEN).body().get("may_transact").get("refusal").asText())
          .isEqualTo("MERCHANT_SUSPENDED");
      enrol(f, token, suite, Csrs.keyPair(suite), 409);

      f.post("/v1/pos/merchants/" + merchantId + "/reactivate", PosFixture.BOB_TOKEN, "{\"reason\":\"cleared\"}");
      assertThat(f.service.mayTransact(terminalId).allowed()).isTrue();
      PosFixture.Answer blocked = f.post("/v1/pos/terminals/" + terminalId.value() + "/block", PosFixture.ALICE_TOKEN, "{\"reason\":\"lost phone\"}");
      assertThat(blocked.body().get("state").asText()).isEqualTo("BLOCKED");
      assertThat(f.service.mayTransact(terminalId)).isInstanceOfSatisfying(TransactPermission.Refused.class,
          refused -> assertThat(refused.reason()).isEqualTo(TransactPermission.RefusalReason.TERMINAL_BLOCKED));
      assertThat(f.service.mayTransact(new TerminalId("00000000")).allowed()).isFalse();

      JsonNode detail = f.get("/v1/pos/merchants/" + merchantId, PosFixture.ALICE_TOKEN).body();
      assertThat(detail.get("history")).extracting(e -> e.get("to").asText() + " by " + e.get("actor").asText()).containsExactly(
          "REGISTERED by applicant", "IN_REVIEW by system", "ACTIVATED by system", "SUSPENDED by operator:alice", "ACTIVATED by operator:bob");
      // Every change, merchant and terminal (enrolment, block), is a leaf of the audit log.
      assertThat(f.store.auditIndices("MERCHANT", merchantId)).hasSize(5);
      assertThat(f.store.auditIndices("TERMINAL", terminalId.value())).hasSize(2);
      assertThat(f.auditLog.size()).isEqualTo(7);

      assertNoSecrets(f, logs, request);
      // The owner's identity number is not stored at all (only its keyed hash and masked form): not in the database files.
      String owner = request.get("owner_id_number").asText();
      try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(dir)) {
        List<Path> databaseFiles = files.filter(p -> p.getFileName().toString().startsWith("acquirer-pos-")).toList();
        assertThat(databaseFiles).isNotEmpty().allSatisfy(file -> assertThat(
            new String(java.nio.file.Files.readAllBytes(file), StandardCharsets.ISO_8859_1)).doesNotContain(owner));
        // The search does find what is stored in clear: the settlement account number, which the acquirer pays into.
        String account = request.get("settlement_account").get("account_number").asText();
        assertThat(databaseFiles).anySatisfy(file -> assertThat(
            new String(java.nio.file.Files.readAllBytes(file), StandardCharsets.ISO_8859_1)).contains(account));
      }
    }
  }

  /** Neither the owner's identity number nor the account number appears in full in a response or a log line. */
  static void assertNoSecrets(PosFixture f, LogCapture logs, ObjectNode request) {
    String owner = request.get("owner_id_number").asText();
    String account = request.get("settlement_account").get("account_number").asText();
    assertThat(logs.lines()).as("captured log lines").isNotEmpty()
        .anySatisfy(line -> assertThat(line).contains("Merchant registered"))
        .noneSatisfy(line -> assertThat(line).contains(owner))
        .noneSatisfy(line -> assertThat(line).contains(account));
    assertThat(f.responses).isNotEmpty().noneSatisfy(body -> assertThat(body).contains(owner)).noneSatisfy(body -> assertThat(body).contains(account));
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void hardFailures_rejectAutomatically(AlgorithmSuite suite) throws Exception {
    try (LogCapture logs = new LogCapture(); PosFixture f = fixture(suite, Database.Dialect.SQLITE, dir)) {
      ObjectNode first = registration(f);
      assertThat(f.post("/v1/pos/merchants", null, first.toString()).body().get("state").asText()).isEqualTo("ACTIVATED");

      ObjectNode duplicate = registration(f);
      duplicate.put("business_licence_number", first.get("business_licence_number").asText().toLowerCase(java.util.Locale.ROOT));
      assertRejectedBy(f, duplicate, "DUPLICATE_LICENCE");

      ObjectNode sanctioned = registration(f);
      sanctioned.put("owner_id_number", SANCTIONED_OWNER.toLowerCase(java.util.Locale.ROOT));
      assertRejectedBy(f, sanctioned, "SANCTIONS");

      ObjectNode unservedMcc = registration(f);
      unservedMcc.put("mcc", "7995");
      assertRejectedBy(f, unservedMcc, "MCC_SERVED");

      // A rejected merchant's licence does not count as a duplicate.
      ObjectNode again = registration(f);
      again.put("business_licence_number", unservedMcc.get("business_licence_number").asText());
      assertThat(f.post("/v1/pos/merchants", null, again.toString()).body().get("state").asText()).isEqualTo("ACTIVATED");
      assertNoSecrets(f, logs, sanctioned);
    }
  }

  private static void assertRejectedBy(PosFixture f, ObjectNode request, String check) {
    PosFixture.Answer answer = f.post("/v1/pos/merchants", null, request.toString());
    assertThat(answer.status()).isEqualTo(201);
    assertThat(answer.body().get("state").asText()).isEqualTo("REJECTED");
    assertThat(answer.body().get("state_reason").asText()).contains(check);
    assertThat(answer.body().get("findings")).anySatisfy(finding -> {
      assertThat(finding.get("check").asText()).isEqualTo(check);
      assertThat(finding.get("verdict").asText()).isEqualTo("FAIL");
      assertThat(finding.get("reason").asText()).isNotBlank();
    });
    // Rejected is final: neither the operator nor the merchant can move it on.
    String id = answer.body().get("merchant_id").asText();
    PosFixture.Answer approve = f.post("/v1/pos/merchants/" + id + "/approve", PosFixture.ALICE_TOKEN, "{\"reason\":\"looks fine\"}");
    assertThat(approve.status()).isEqualTo(409);
    assertThat(approve.body().get("error").asText()).isEqualTo("ILLEGAL_TRANSITION");
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void pennyTestFailingOrUndecided_waitsForTheHumanDecision(AlgorithmSuite suite) throws Exception {
    try (PosFixture f = fixture(suite, Database.Dialect.SQLITE, dir)) {
      ObjectNode refused = registration(f);
      ((ObjectNode) refused.get("settlement_account")).put("account_number", "6222 9999 0000 0001");
      JsonNode failing = f.post("/v1/pos/merchants", null, refused.toString()).body();
      assertThat(failing.get("state").asText()).isEqualTo("IN_REVIEW");
      assertThat(failing.get("findings")).anySatisfy(finding -> {
        assertThat(finding.get("check").asText()).isEqualTo("SETTLEMENT_ACCOUNT");
        assertThat(finding.get("verdict").asText()).isEqualTo("FAIL");
      });

      ObjectNode silent = registration(f);
      ((ObjectNode) silent.get("settlement_account")).put("bank_id", PosFixture.SILENT_BANK);
      JsonNode undecided = f.post("/v1/pos/merchants", null, silent.toString()).body();
      assertThat(undecided.get("state").asText()).isEqualTo("IN_REVIEW");
      assertThat(undecided.get("findings")).anySatisfy(finding -> assertThat(finding.get("verdict").asText()).isEqualTo("UNDECIDED"));

      JsonNode queue = f.get("/v1/pos/review-queue", PosFixture.ALICE_TOKEN).body();
      assertThat(queue.get("merchants")).extracting(m -> m.get("merchant_id").asText())
          .containsExactlyInAnyOrder(failing.get("merchant_id").asText(), undecided.get("merchant_id").asText());
      assertThat(queue.get("merchants")).allSatisfy(m -> assertThat(m.get("findings")).hasSize(4));

      // An IN_REVIEW merchant cannot enrol terminals yet.
      enrol(f, undecided.get("merchant_token").asText(), suite, Csrs.keyPair(suite), 409);

      String approveId = undecided.get("merchant_id").asText();
      PosFixture.Answer noReason = f.post("/v1/pos/merchants/" + approveId + "/approve", PosFixture.BOB_TOKEN, "{\"reason\":\" \"}");
      assertThat(noReason.status()).isEqualTo(400);
      JsonNode approved = f.post("/v1/pos/merchants/" + approveId + "/approve", PosFixture.BOB_TOKEN,
          "{\"reason\":\"bank confirmed the account by phone\"}").body();
      assertThat(approved.get("state").asText()).isEqualTo("ACTIVATED");
      assertThat(approved.get("state_reason").asText()).isEqualTo("bank confirmed the account by phone");
      enrol(f, undecided.get("merchant_token").asText(), suite, Csrs.keyPair(suite), 201);

      String rejectId = failing.get("merchant_id").asText();
      JsonNode rejected = f.post("/v1/pos/merchants/" + rejectId + "/reject", PosFixture.ALICE_TOKEN, "{\"reason\":\"account not theirs\"}").body();
      assertThat(rejected.get("state").asText()).isEqualTo("REJECTED");
      JsonNode history = f.get("/v1/pos/merchants/" + rejectId, PosFixture.ALICE_TOKEN).body().get("history");
      JsonNode last = history.get(history.size() - 1);
      assertThat(last.get("from").asText()).isEqualTo("IN_REVIEW");
      assertThat(last.get("actor").asText()).isEqualTo("operator:alice");
      assertThat(last.get("reason").asText()).isEqualTo("account not theirs");
      assertThat(f.get("/v1/pos/review-queue", PosFixture.ALICE_TOKEN).body().get("merchants")).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void illegalTransitionsAndReusedRequestIds_areRefusedAndChangeNothing(AlgorithmSuite suite) throws Exception {
    try (PosFixture f = fixture(suite, Database.Dialect.SQLITE, dir)) {
      ObjectNode request = registration(f);
      JsonNode merchant = f.post("/v1/pos/merchants", null, request.toString()).body();
      String id = merchant.get("merchant_id").asText();
      long leaves = f.auditLog.size();
      for (String action : List.of("approve", "reject", "reactivate")) {
        PosFixture.Answer answer = f.post("/v1/pos/merchants/" + id + "/" + action, PosFixture.ALICE_TOKEN, "{\"reason\":\"try\"}");
        assertThat(answer.status()).as(action).isEqualTo(409);
        assertThat(answer.body().get("error").asText()).isEqualTo("ILLEGAL_TRANSITION");
      }
      f.post("/v1/pos/merchants/" + id + "/suspend", PosFixture.ALICE_TOKEN, "{\"reason\":\"audit\"}");
      PosFixture.Answer twice = f.post("/v1/pos/merchants/" + id + "/suspend", PosFixture.ALICE_TOKEN, "{\"reason\":\"audit\"}");
      assertThat(twice.body().get("error").asText()).isEqualTo("ILLEGAL_TRANSITION");
      assertThat(f.auditLog.size()).isEqualTo(leaves + 1);

      ObjectNode changed = request.deepCopy();
      changed.put("address", "another street");
      PosFixture.Answer reused = f.post("/v1/pos/merchants", null, changed.toString());
      assertThat(reused.status()).isEqualTo(409);
      assertThat(reused.body().get("error").asText()).isEqualTo("REQUEST_ID_REUSED");
      assertThat(f.get("/v1/pos/merchants", PosFixture.ALICE_TOKEN).body().get("merchants")).hasSize(1);

      PosFixture.Answer unknown = f.post("/v1/pos/merchants/m-0000000000000000/suspend", PosFixture.ALICE_TOKEN, "{\"reason\":\"x\"}");
      assertThat(unknown.status()).isEqualTo(404);
      assertThat(unknown.body().get("error").asText()).isEqualTo("UNKNOWN_MERCHANT");
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void tokens_operatorAndMerchantAreKeptApart(AlgorithmSuite suite) throws Exception {
    try (PosFixture f = fixture(suite, Database.Dialect.SQLITE, dir)) {
      JsonNode merchant = f.post("/v1/pos/merchants", null, registration(f).toString()).body();
      String token = merchant.get("merchant_token").asText();
      assertThat(f.get("/v1/pos/review-queue", null).body().get("error").asText()).isEqualTo("UNAUTHENTICATED");
      assertThat(f.get("/v1/pos/review-queue", token).status()).isEqualTo(403);
      assertThat(f.get("/v1/pos/review-queue", PosFixture.ALICE_TOKEN + "x").status()).isEqualTo(401);
      assertThat(f.get("/v1/pos/merchant", PosFixture.ALICE_TOKEN).status()).isEqualTo(401);
      String forged = token.substring(0, token.length() - 2) + (token.endsWith("AA") ? "BB" : "AA");
      assertThat(f.get("/v1/pos/merchant", forged).status()).isEqualTo(401);
      JsonNode other = f.post("/v1/pos/merchants", null, registration(f).toString()).body();
      String otherAsMine = "mt1." + other.get("merchant_id").asText() + token.substring(token.lastIndexOf('.'));
      assertThat(f.get("/v1/pos/merchant", otherAsMine).status()).isEqualTo(401);
      assertThat(f.get("/v1/pos/merchant", token).body().get("merchant_id").asText()).isEqualTo(merchant.get("merchant_id").asText());
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void enrolment_refusesACsrOfTheWrongSuiteOrTampered(AlgorithmSuite suite) throws Exception {
    try (PosFixture f = fixture(suite, Database.Dialect.SQLITE, dir)) {
      String token = f.post("/v1/pos/merchants", null, registration(f).toString()).body().get("merchant_token").asText();
      AlgorithmSuite other = suite == AlgorithmSuite.INTERNATIONAL ? AlgorithmSuite.NATIONAL : AlgorithmSuite.INTERNATIONAL;
      ObjectNode wrongSuite = PosFixture.JSON.createObjectNode().put("suite", suite.name()).put("csr", Csrs.csrBase64(other));
      PosFixture.Answer answer = f.post("/v1/pos/merchant/terminals", token, wrongSuite.toString());
      assertThat(answer.status()).isEqualTo(400);
      assertThat(answer.body().get("error").asText()).isEqualTo("CSR_INVALID");
      byte[] csr = Csrs.csr(suite, Csrs.keyPair(suite));
      csr[csr.length - 5] ^= 0x01;
      ObjectNode tampered = PosFixture.JSON.createObjectNode().put("suite", suite.name()).put("csr", Base64.getEncoder().encodeToString(csr));
      assertThat(f.post("/v1/pos/merchant/terminals", token, tampered.toString()).body().get("error").asText()).isEqualTo("CSR_INVALID");
      assertThat(f.get("/v1/pos/merchant/terminals", token).body().get("terminals")).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(Database.Dialect.class)
  void restart_keepsMerchantsFindingsTerminalsAndTheAuditTrail(Database.Dialect dialect) throws Exception {
    for (AlgorithmSuite suite : AlgorithmSuite.values()) {
      try (PosFixture f = fixture(suite, dialect, dir)) {
        JsonNode active = f.post("/v1/pos/merchants", null, registration(f).toString()).body();
        ObjectNode silentRequest = registration(f);
        ((ObjectNode) silentRequest.get("settlement_account")).put("bank_id", PosFixture.SILENT_BANK);
        JsonNode waiting = f.post("/v1/pos/merchants", null, silentRequest.toString()).body();
        String token = active.get("merchant_token").asText();
        JsonNode terminal = enrol(f, token, suite, Csrs.keyPair(suite), 201);
        TerminalId terminalId = new TerminalId(terminal.get("terminal_id").asText());
        f.post("/v1/pos/terminals/" + terminalId.value() + "/block", PosFixture.ALICE_TOKEN, "{\"reason\":\"stolen\"}");
        JsonNode before = f.get("/v1/pos/merchants/" + active.get("merchant_id").asText(), PosFixture.ALICE_TOKEN).body();
        long leaves = f.auditLog.size();
        byte[] root = f.auditLog.root(leaves);

        f.restart();

        assertThat(f.auditLog.size()).isEqualTo(leaves);
        assertThat(f.auditLog.root(leaves)).isEqualTo(root);
        assertThat(f.get("/v1/pos/merchants/" + active.get("merchant_id").asText(), PosFixture.ALICE_TOKEN).body()).isEqualTo(before);
        assertThat(f.get("/v1/pos/merchant/terminals", token).body().get("terminals").get(0).get("state").asText()).isEqualTo("BLOCKED");
        assertThat(f.service.mayTransact(terminalId).allowed()).isFalse();
        assertThat(f.get("/v1/pos/review-queue", PosFixture.ALICE_TOKEN).body().get("merchants").get(0).get("merchant_id").asText())
            .isEqualTo(waiting.get("merchant_id").asText());
        // The retried registration after the restart still finds its merchant.
        PosFixture.Answer retry = f.post("/v1/pos/merchants", null, silentRequest.toString());
        assertThat(retry.status()).isEqualTo(200);
        assertThat(retry.body().get("merchant_id")).isEqualTo(waiting.get("merchant_id"));
      }
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void listing_pagesInIdOrderAndSearchesByName(AlgorithmSuite suite) throws Exception {
    try (PosFixture f = fixture(suite, Database.Dialect.SQLITE, dir)) {
      for (int i = 0; i < 5; i++) {
        f.post("/v1/pos/merchants", null, registration(f).toString());
      }
      ObjectNode named = registration(f);
      named.put("legal_name", "Li Ming 100%_Fresh Fruit");
      f.post("/v1/pos/merchants", null, named.toString());
      JsonNode first = f.get("/v1/pos/merchants?limit=4", PosFixture.ALICE_TOKEN).body();
      assertThat(first.get("merchants")).hasSize(4);
      JsonNode second = f.get("/v1/pos/merchants?limit=4&after=" + first.get("next_after").asText(), PosFixture.ALICE_TOKEN).body();
      assertThat(second.get("merchants")).hasSize(2);
      assertThat(second.get("next_after").isNull()).isTrue();
      assertThat(f.get("/v1/pos/merchants?q=100%25_fresh", PosFixture.ALICE_TOKEN).body().get("merchants"))
          .extracting(m -> m.get("legal_name").asText()).containsExactly("Li Ming 100%_Fresh Fruit");
      assertThat(f.get("/v1/pos/merchants?q=0%25_", PosFixture.ALICE_TOKEN).body().get("merchants")).hasSize(1);
      assertThat(f.get("/v1/pos/merchants?state=REJECTED", PosFixture.ALICE_TOKEN).body().get("merchants")).isEmpty();
      assertThat(f.get("/v1/pos/merchants?state=ACTIVATED", PosFixture.ALICE_TOKEN).body().get("merchants")).hasSize(6);
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void concurrentRetries_ofOneRegistration_makeOneMerchant(AlgorithmSuite suite) throws Exception {
    try (PosFixture f = fixture(suite, Database.Dialect.SQLITE, dir)) {
      String request = registration(f).toString();
      java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
      try {
        List<java.util.concurrent.Future<PosFixture.Answer>> answers = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) {
          answers.add(pool.submit(() -> f.post("/v1/pos/merchants", null, request)));
        }
        java.util.Set<String> ids = new java.util.HashSet<>();
        List<Integer> statuses = new java.util.ArrayList<>();
        for (java.util.concurrent.Future<PosFixture.Answer> answer : answers) {
          PosFixture.Answer done = answer.get(60, java.util.concurrent.TimeUnit.SECONDS);
          ids.add(done.body().get("merchant_id").asText());
          statuses.add(done.status());
        }
        assertThat(ids).hasSize(1);
        assertThat(statuses).containsOnlyOnce(201).containsOnly(200, 201);
        assertThat(f.get("/v1/pos/merchants", PosFixture.ALICE_TOKEN).body().get("merchants")).hasSize(1);
      } finally {
        pool.shutdownNow();
      }
    }
  }
}
