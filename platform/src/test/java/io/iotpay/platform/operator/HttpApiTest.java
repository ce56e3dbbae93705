package io.iotpay.platform.operator;

import static io.iotpay.platform.operator.HttpApiFixture.ALICE;
import static io.iotpay.platform.operator.HttpApiFixture.ALICE_ACCOUNT;
import static io.iotpay.platform.operator.HttpApiFixture.ALICE_TOKEN;
import static io.iotpay.platform.operator.HttpApiFixture.BOB_ACCOUNT;
import static io.iotpay.platform.operator.HttpApiFixture.BOB_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.ledger.audit.Checkpoint;
import io.iotpay.ledger.audit.InclusionProof;
import io.iotpay.platform.decision.DecisionCodec;
import io.iotpay.platform.decision.DecisionOutcome;
import io.iotpay.platform.decision.IdempotencyKey;
import io.iotpay.platform.decision.PaymentDecision;
import io.iotpay.platform.decision.PaymentIntent;
import io.iotpay.platform.decision.PlatformFixture;
import io.iotpay.platform.identity.DeviceId;
import io.iotpay.platform.identity.DeviceStatus;
import io.iotpay.platform.identity.Pki;
import io.iotpay.platform.mandate.MandateStatus;
import io.iotpay.platform.operator.HttpApiFixture.Response;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Operator and user endpoints over real HTTP on loopback, in both suites: each happy path and its typed errors. */
class HttpApiTest {
  @TempDir Path tempDir;

  private static String terms(long perPayment, long threshold) {
    return "{\"currency\":\"CNY\",\"per_payment_max_minor\":" + perPayment + ",\"per_day_max_minor\":" + perPayment * 10
        + ",\"per_month_max_minor\":" + perPayment * 100 + ",\"confirmation_threshold_minor\":" + threshold
        + ",\"allowed_merchants\":[\"shop-1\"],\"allowed_categories\":[]}";
  }

  private static String bind(String device, long account, String terms) {
    return "{\"device_id\":\"" + device + "\",\"account_id\":" + account + ",\"terms\":" + terms + "}";
  }

  /** Binds {@code device} to alice's account; returns the mandate id. */
  private static String bindToAlice(HttpApiFixture f, String device, long threshold) throws Exception {
    Response bound = f.call("POST", "/v1/mandates", ALICE_TOKEN, bind(device, ALICE_ACCOUNT, terms(10_000, threshold)));
    assertThat(bound.status()).as(bound.toString()).isEqualTo(201);
    return bound.json().get("mandate_id").asText();
  }

  /** A merchant shop-1, and a device enrolled over HTTP, online, bound to alice's account. */
  private static void alicesOnlineDevice(HttpApiFixture f, String device, long threshold) throws Exception {
    f.platform.merchant("shop-1", "5399", 900, null);
    f.enrol(device);
    f.platform.onlineDevice(device);
    bindToAlice(f, device, threshold);
  }

  private static IdempotencyKey decide(HttpApiFixture f, String device, long counter, long amountMinor) {
    IdempotencyKey key = new IdempotencyKey(DeviceId.of(device), counter);
    f.platform.service.decide(new PaymentIntent(key, "shop-1", PlatformFixture.cny(amountMinor), PaymentIntent.DEVICE_REQUEST,
        "order-" + counter, false, false));
    return key;
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void health_isOpen_metricsNeedTheOperator(AlgorithmSuite suite) throws Exception {
    try (HttpApiFixture f = new HttpApiFixture(suite, tempDir)) {
      Response health = f.call("GET", "/health", null, null);
      assertThat(health.status()).isEqualTo(200);
      assertThat(health.json().get("status").asText()).isEqualTo("UP");
      assertThat(f.call("GET", "/metrics", null, null).status()).isEqualTo(401);
      assertThat(f.call("GET", "/metrics", ALICE_TOKEN, null).status()).isEqualTo(403);
      Response metrics = f.call("GET", "/metrics", f.operatorToken, null);
      assertThat(metrics.status()).isEqualTo(200);
      assertThat(metrics.text()).contains("iotpay_http_requests_seconds_count").contains("route=\"/health\"");
      Response unknown = f.call("GET", "/v1/nothing-here", f.operatorToken, null);
      assertThat(unknown.status()).isEqualTo(404);
      assertThat(unknown.error()).isEqualTo("NOT_FOUND");
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void devices_registerListStateAndStatus_withTypedErrors(AlgorithmSuite suite) throws Exception {
    try (HttpApiFixture f = new HttpApiFixture(suite, tempDir)) {
      f.enrol("washer-1");
      f.enrol("washer-2");
      Response state = f.call("GET", "/v1/devices/washer-1/state", f.operatorToken, null);
      assertThat(state.status()).isEqualTo(200);
      assertThat(state.json().at("/device/status").asText()).isEqualTo("ACTIVE");
      assertThat(state.json().at("/device/suite").asText()).isEqualTo(suite.name());
      assertThat(state.json().get("live").isNull()).isTrue();

      Response suspended = f.call("POST", "/v1/devices/washer-1/suspend", f.operatorToken, "{\"reason\":\"lost\"}");
      assertThat(suspended.status()).isEqualTo(200);
      assertThat(suspended.json().get("status").asText()).isEqualTo("SUSPENDED");
      assertThat(suspended.json().get("status_reason").asText()).isEqualTo("lost");
      Response listed = f.call("GET", "/v1/devices?status=suspended", f.operatorToken, null);
      assertThat(listed.json().get("devices")).hasSize(1);
      assertThat(listed.json().at("/devices/0/device_id").asText()).isEqualTo("washer-1");
      Response page = f.call("GET", "/v1/devices?limit=1", f.operatorToken, null);
      assertThat(page.json().get("next_after").asText()).isEqualTo("washer-1");
      Response next = f.call("GET", "/v1/devices?limit=1&after=washer-1", f.operatorToken, null);
      assertThat(next.json().at("/devices/0/device_id").asText()).isEqualTo("washer-2");

      assertThat(f.call("POST", "/v1/devices/washer-1/resume", f.operatorToken, "{\"reason\":\"found\"}").json().get("status").asText())
          .isEqualTo("ACTIVE");
      assertThat(f.call("POST", "/v1/devices/washer-1/revoke", f.operatorToken, "{\"reason\":\"sold\"}").json().get("status").asText())
          .isEqualTo("REVOKED");
      Response again = f.call("POST", "/v1/devices/washer-1/resume", f.operatorToken, "{\"reason\":\"x\"}");
      assertThat(again.status()).isEqualTo(409);
      assertThat(again.error()).isEqualTo("ILLEGAL_TRANSITION");
      assertThat(f.registry.find(DeviceId.of("washer-1")).orElseThrow().status()).isEqualTo(DeviceStatus.REVOKED);

      assertThat(f.call("GET", "/v1/devices/ghost/state", f.operatorToken, null).error()).isEqualTo("UNKNOWN_DEVICE");
      assertThat(f.call("GET", "/v1/devices/ghost/state", f.operatorToken, null).status()).isEqualTo(404);
      assertThat(f.call("POST", "/v1/devices/ghost/suspend", f.operatorToken, "{\"reason\":\"x\"}").status()).isEqualTo(404);
      assertThat(f.call("GET", "/v1/devices/bad%20id/state", f.operatorToken, null).status()).isEqualTo(400);
      assertThat(f.call("GET", "/v1/devices?status=LOST", f.operatorToken, null).status()).isEqualTo(400);
      assertThat(f.call("GET", "/v1/devices?limit=0", f.operatorToken, null).status()).isEqualTo(400);
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void registerDevice_refusals_areTypedAndChangeNothing(AlgorithmSuite suite) throws Exception {
    try (HttpApiFixture f = new HttpApiFixture(suite, tempDir)) {
      HttpApiFixture.Device device = f.enrol("speaker-1");
      String csr = java.util.Base64.getEncoder().encodeToString(io.iotpay.agent.sdk.DeviceCsr.create(device.signer()));
      Response twice = f.call("POST", "/v1/devices", f.operatorToken, "{\"suite\":\"" + suite + "\",\"csr\":\"" + csr + "\"}");
      assertThat(twice.status()).isEqualTo(409);
      assertThat(twice.error()).isEqualTo("ALREADY_REGISTERED");
      Response otherSuite = f.call("POST", "/v1/devices", f.operatorToken,
          "{\"suite\":\"" + Pki.other(suite) + "\",\"csr\":\"" + csr + "\"}");
      assertThat(otherSuite.status()).isEqualTo(400);
      assertThat(f.call("POST", "/v1/devices", f.operatorToken, "{\"suite\":\"" + suite + "\",\"csr\":\"%%%\"}").status()).isEqualTo(400);
      assertThat(f.call("POST", "/v1/devices", f.operatorToken, "{\"suite\":\"QUANTUM\",\"csr\":\"" + csr + "\"}").status()).isEqualTo(400);
      Response unknownField = f.call("POST", "/v1/devices", f.operatorToken, "{\"suite\":\"" + suite + "\",\"csr\":\"" + csr + "\",\"x\":1}");
      assertThat(unknownField.status()).isEqualTo(400);
      assertThat(unknownField.error()).isEqualTo("BAD_JSON");
      assertThat(f.call("POST", "/v1/devices", null, "{}").status()).isEqualTo(401);
      assertThat(f.call("POST", "/v1/devices", "wrong-token", "{}").status()).isEqualTo(401);
      assertThat(f.call("POST", "/v1/devices", ALICE_TOKEN, "{}").status()).isEqualTo(403);
      assertThat(f.call("GET", "/v1/devices", f.operatorToken, null).json().get("devices")).hasSize(1);
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void manufacturerCa_registersOnce_refusesGarbageAndOtherSuites(AlgorithmSuite suite) throws Exception {
    try (HttpApiFixture f = new HttpApiFixture(suite, tempDir)) {
      Pki.Ca ca = Pki.manufacturerCa(suite, "CN=Acme Devices " + suite + ", O=Acme");
      String body = "{\"suite\":\"" + suite + "\",\"certificate_pem\":" + HttpApiFixture.JSON.writeValueAsString(Views.pem(ca.certificate())) + "}";
      Response first = f.call("POST", "/v1/manufacturer-cas", f.operatorToken, body);
      assertThat(first.status()).as(first.toString()).isEqualTo(201);
      assertThat(first.json().get("added").asBoolean()).isTrue();
      assertThat(f.call("POST", "/v1/manufacturer-cas", f.operatorToken, body).json().get("added").asBoolean()).isFalse();
      Response otherSuite = f.call("POST", "/v1/manufacturer-cas", f.operatorToken, body.replace(suite.name(), Pki.other(suite).name()));
      assertThat(otherSuite.status()).isEqualTo(400);
      assertThat(otherSuite.error()).isEqualTo("CERTIFICATE_INVALID");
      Response garbage = f.call("POST", "/v1/manufacturer-cas", f.operatorToken,
          "{\"suite\":\"" + suite + "\",\"certificate_pem\":\"-----BEGIN CERTIFICATE-----\\nAAAA\\n-----END CERTIFICATE-----\"}");
      assertThat(garbage.status()).isEqualTo(400);
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void merchants_areAdded_andMalformedOnesRefused(AlgorithmSuite suite) throws Exception {
    try (HttpApiFixture f = new HttpApiFixture(suite, tempDir)) {
      Response added = f.call("POST", "/v1/merchants", f.operatorToken,
          "{\"merchant_id\":\"fuel-9\",\"name\":\"Fuel 9\",\"category\":\"5542\",\"settlement_account_id\":909,"
              + "\"location\":{\"latitude_deg\":31.23,\"longitude_deg\":121.47}}");
      assertThat(added.status()).as(added.toString()).isEqualTo(200);
      assertThat(f.platform.merchants.find("fuel-9")).isPresent();
      Response bad = f.call("POST", "/v1/merchants", f.operatorToken,
          "{\"merchant_id\":\"fuel-10\",\"name\":\"Fuel 10\",\"category\":\"55\",\"settlement_account_id\":910}");
      assertThat(bad.status()).isEqualTo(400);
      assertThat(f.platform.merchants.find("fuel-10")).isEmpty();
      assertThat(f.call("POST", "/v1/merchants", ALICE_TOKEN, "{}").status()).isEqualTo(403);
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void mandates_bindReadSuspendResumeRevoke_onlyByTheirOwner(AlgorithmSuite suite) throws Exception {
    try (HttpApiFixture f = new HttpApiFixture(suite, tempDir)) {
      f.enrol("car-1");
      Response notHers = f.call("POST", "/v1/mandates", ALICE_TOKEN, bind("car-1", BOB_ACCOUNT, terms(5_000, 1_000)));
      assertThat(notHers.status()).isEqualTo(403);
      assertThat(notHers.error()).isEqualTo("NOT_YOUR_ACCOUNT");
      assertThat(f.call("POST", "/v1/mandates", ALICE_TOKEN, bind("ghost", ALICE_ACCOUNT, terms(5_000, 1_000))).status()).isEqualTo(404);
      Response badTerms = f.call("POST", "/v1/mandates", ALICE_TOKEN, bind("car-1", ALICE_ACCOUNT, terms(5_000, 6_000)));
      assertThat(badTerms.status()).isEqualTo(400);
      assertThat(f.platform.mandates.liveMandateOf(DeviceId.of("car-1"))).isEmpty();

      String id = bindToAlice(f, "car-1", 1_000);
      Response read = f.call("GET", "/v1/mandates/" + id, ALICE_TOKEN, null);
      assertThat(read.json().get("user_id").asText()).isEqualTo(ALICE);
      assertThat(read.json().at("/terms/per_payment_max_minor").asLong()).isEqualTo(10_000);
      assertThat(read.json().at("/terms/currency").asText()).isEqualTo("CNY");
      Response twice = f.call("POST", "/v1/mandates", ALICE_TOKEN, bind("car-1", ALICE_ACCOUNT, terms(5_000, 1_000)));
      assertThat(twice.status()).isEqualTo(409);
      assertThat(twice.error()).isEqualTo("MANDATE_EXISTS");

      Response bobReads = f.call("GET", "/v1/mandates/" + id, BOB_TOKEN, null);
      assertThat(bobReads.status()).isEqualTo(403);
      assertThat(f.call("POST", "/v1/mandates/" + id + "/revoke", BOB_TOKEN, null).status()).isEqualTo(403);
      assertThat(f.platform.mandates.find(new io.iotpay.platform.mandate.MandateId(id)).orElseThrow().status()).isEqualTo(MandateStatus.ACTIVE);

      assertThat(f.call("POST", "/v1/mandates/" + id + "/suspend", ALICE_TOKEN, null).json().get("status").asText()).isEqualTo("SUSPENDED");
      assertThat(f.call("POST", "/v1/mandates/" + id + "/resume", ALICE_TOKEN, null).json().get("status").asText()).isEqualTo("ACTIVE");
      assertThat(f.call("POST", "/v1/mandates/" + id + "/revoke", ALICE_TOKEN, null).json().get("status").asText()).isEqualTo("REVOKED");
      Response resumeRevoked = f.call("POST", "/v1/mandates/" + id + "/resume", ALICE_TOKEN, null);
      assertThat(resumeRevoked.status()).isEqualTo(409);
      assertThat(resumeRevoked.error()).isEqualTo("MANDATE_REVOKED");
      assertThat(f.call("GET", "/v1/mandates/mandate-999", ALICE_TOKEN, null).status()).isEqualTo(404);
      assertThat(f.call("GET", "/v1/mandates/" + id, "nobody", null).status()).isEqualTo(401);
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void payments_askUser_confirmedByTheOwnerOnly_thenCapturedByTheOperator(AlgorithmSuite suite) throws Exception {
    try (HttpApiFixture f = new HttpApiFixture(suite, tempDir)) {
      alicesOnlineDevice(f, "car-2", 1_000);
      IdempotencyKey key = decide(f, "car-2", 7, 2_500);
      String path = "/v1/payments/car-2/7";
      Response asked = f.call("GET", path, ALICE_TOKEN, null);
      assertThat(asked.status()).isEqualTo(200);
      assertThat(asked.json().get("outcome").asText()).isEqualTo("ASK_USER");
      assertThat(asked.json().get("amount_minor").asLong()).isEqualTo(2_500);
      assertThat(asked.json().get("currency").asText()).isEqualTo("CNY");
      assertThat(asked.json().get("payment").isNull()).isTrue();

      assertThat(f.call("GET", path, BOB_TOKEN, null).status()).isEqualTo(403);
      Response bobConfirms = f.call("POST", path + "/confirm", BOB_TOKEN, "{\"approve\":true}");
      assertThat(bobConfirms.status()).isEqualTo(403);
      assertThat(bobConfirms.error()).isEqualTo("NOT_YOURS");
      assertThat(f.platform.service.versions(key)).hasSize(1);
      assertThat(f.call("POST", path + "/confirm", ALICE_TOKEN, "{\"approve\":\"yes\"}").status()).isEqualTo(400);
      assertThat(f.call("POST", path + "/confirm", ALICE_TOKEN, "{}").status()).isEqualTo(400);
      assertThat(f.platform.service.versions(key)).hasSize(1);

      Response confirmed = f.call("POST", path + "/confirm", ALICE_TOKEN, "{\"approve\":true}");
      assertThat(confirmed.status()).as(confirmed.toString()).isEqualTo(200);
      assertThat(confirmed.json().get("outcome").asText()).isEqualTo("APPROVED");
      assertThat(confirmed.json().at("/payment/state").asText()).isEqualTo("HELD");
      assertThat(confirmed.json().get("decisions")).hasSize(2);

      assertThat(f.call("POST", path + "/capture", ALICE_TOKEN, null).status()).isEqualTo(403);
      Response captured = f.call("POST", path + "/capture", f.operatorToken, null);
      assertThat(captured.json().at("/payment/state").asText()).isEqualTo("CAPTURED");
      Response voidAfter = f.call("POST", path + "/void", f.operatorToken, null);
      assertThat(voidAfter.status()).isEqualTo(409);
      assertThat(f.platform.balance(ALICE_ACCOUNT).debitsPostedMinor()).isEqualTo(2_500);
      f.platform.assertBooksBalance();

      assertThat(f.call("POST", "/v1/payments/car-2/8/capture", f.operatorToken, null).status()).isEqualTo(404);
      assertThat(f.call("GET", "/v1/payments/car-2/8", ALICE_TOKEN, null).status()).isEqualTo(404);
      assertThat(f.call("GET", "/v1/payments/car-2/-1", ALICE_TOKEN, null).status()).isEqualTo(400);
      assertThat(f.call("GET", "/v1/payments/car-2/99999999999999999999", ALICE_TOKEN, null).status()).isEqualTo(400);
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void payments_approvedDirectly_cannotBeConfirmed_andAreVoidedByTheOperator(AlgorithmSuite suite) throws Exception {
    try (HttpApiFixture f = new HttpApiFixture(suite, tempDir)) {
      alicesOnlineDevice(f, "washer-3", 5_000);
      decide(f, "washer-3", 3, 800);
      String path = "/v1/payments/washer-3/3";
      Response notAsked = f.call("POST", path + "/confirm", ALICE_TOKEN, "{\"approve\":false}");
      assertThat(notAsked.status()).isEqualTo(409);
      assertThat(notAsked.error()).isEqualTo("NOT_AWAITING_CONFIRMATION");
      Response voided = f.call("POST", path + "/void", f.operatorToken, null);
      assertThat(voided.json().at("/payment/state").asText()).isEqualTo("VOIDED");
      assertThat(f.platform.balance(ALICE_ACCOUNT).debitsPendingMinor()).isZero();
      f.platform.assertBooksBalance();
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void proof_fetchedOverHttp_verifiesWithTheLogPublicKeyAlone(AlgorithmSuite suite) throws Exception {
    try (HttpApiFixture f = new HttpApiFixture(suite, tempDir)) {
      alicesOnlineDevice(f, "car-3", 1_000);
      IdempotencyKey key = decide(f, "car-3", 11, 2_000);
      f.call("POST", "/v1/payments/car-3/11/confirm", ALICE_TOKEN, "{\"approve\":false}");

      Response response = f.call("GET", "/v1/payments/car-3/11/proof", ALICE_TOKEN, null);
      assertThat(response.status()).as(response.toString()).isEqualTo(200);
      JsonNode body = response.json();
      PublicKey logKey = f.platform.auditKey.getPublic();
      String keyId = Checkpoint.keyIdOf(suite, logKey.getEncoded());
      assertThat(body.get("log_key_id").asText()).isEqualTo(keyId);
      assertThat(body.get("proofs")).hasSize(2);
      for (int i = 0; i < 2; i++) {
        JsonNode entry = body.get("proofs").get(i);
        InclusionProof proof = InclusionProof.fromJson(entry.get("proof"), "proof " + i);
        assertThat(proof.problem(Map.of(keyId, logKey))).as("proof of version " + i).isEmpty();
        PaymentDecision decision = DecisionCodec.decode(proof.entry(), proof.leafIndex());
        assertThat(decision.key()).isEqualTo(key);
        assertThat(decision.version()).isEqualTo(i);
        assertThat(entry.get("outcome").asText()).isEqualTo(decision.outcome().name());
      }
      assertThat(body.at("/proofs/1/outcome").asText()).isEqualTo(DecisionOutcome.DECLINED.name());

      // A changed entry no longer verifies: the check above can fail.
      JsonNode tampered = body.at("/proofs/0/proof").deepCopy();
      String entryHex = tampered.get("entry").asText();
      ((com.fasterxml.jackson.databind.node.ObjectNode) tampered).put("entry", (entryHex.charAt(0) == '0' ? "1" : "0") + entryHex.substring(1));
      assertThat(InclusionProof.fromJson(tampered, "tampered").problem(Map.of(keyId, logKey))).isPresent();

      assertThat(f.call("GET", "/v1/payments/car-3/11/proof", BOB_TOKEN, null).status()).isEqualTo(403);
    }
  }
}
