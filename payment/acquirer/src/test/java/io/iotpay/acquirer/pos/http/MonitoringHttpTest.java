package io.iotpay.acquirer.pos.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.iotpay.acquirer.pos.merchant.TerminalId;
import io.iotpay.acquirer.pos.risk.RiskConfig;
import io.iotpay.acquirer.pos.risk.RiskEvent;
import io.iotpay.acquirer.pos.risk.RiskReason;
import io.iotpay.acquirer.pos.risk.TerminalRiskService;
import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.store.Database;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Base64;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The terminal monitoring service on the acquirer's HTTP API (docs/phone-sdk.md, "The acquirer's
 * HTTP API"): the nonce and the attestation over real HTTP, with a token signed by the terminal's
 * enrolled key (here a software key; the SE's own tokens are PhonePosTest's), and the API's error
 * contract: 503 before the service runs, 401 without the merchant's token, 404 for another
 * merchant's terminal, 400 for a bad token, 415 for a body that is not JSON. Both suites.
 */
class MonitoringHttpTest {
  @TempDir Path dir;

  private static final byte[] BUILD = sha256("iotpay-pos-sdk 1.0 release build");

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void nonceThenToken_approves_andTheContractHolds(AlgorithmSuite suite) throws Exception {
    try (PosFixture f = OnboardingHttpTest.fixture(suite, Database.Dialect.SQLITE, dir);
        Database riskDb = Database.open("jdbc:sqlite:" + dir.resolve("risk.db"), 2)) {
      String mine = f.post("/v1/pos/merchants", null, OnboardingHttpTest.registration(f).toString()).body()
          .get("merchant_token").asText();
      String theirs = f.post("/v1/pos/merchants", null, OnboardingHttpTest.registration(f).toString()).body()
          .get("merchant_token").asText();
      KeyPair keys = Csrs.keyPair(suite);
      String terminal = OnboardingHttpTest.enrol(f, mine, suite, keys, 201).get("terminal_id").asText();
      String nonce = "/v1/pos/merchant/terminals/" + terminal + "/nonce";
      String attestations = "/v1/pos/merchant/terminals/" + terminal + "/attestations";

      assertError(f.post(nonce, mine, ""), 503, "UNAVAILABLE");
      TerminalRiskService risk = new TerminalRiskService(new RiskConfig(Set.of(Hex.encode(BUILD)), 60_000, 60_000, 100,
          3_600_000, 900, 50), riskDb, f.service, Clock.systemUTC());
      f.api.serveMonitoring(risk);

      assertError(f.post(nonce, null, ""), 401, "UNAUTHENTICATED");
      assertError(f.post(nonce, theirs, ""), 404, "UNKNOWN_TERMINAL");
      assertError(f.post("/v1/pos/merchant/terminals/1234/nonce", mine, ""), 400, "INVALID_FIELD");

      PosFixture.Answer issued = f.post(nonce, mine, "");
      assertThat(issued.status()).as(issued.raw()).isEqualTo(201);
      byte[] fresh = Base64.getDecoder().decode(issued.body().get("nonce").asText());
      assertThat(fresh).hasSize(16);
      String token = Base64.getEncoder().encodeToString(token(suite, keys, 1, terminal, fresh));

      assertError(f.post(attestations, theirs, "{\"token\":\"" + token + "\"}"), 404, "UNKNOWN_TERMINAL");
      assertError(f.post(attestations, mine, "{\"token\":\"not base64!\"}"), 400, "BAD_REQUEST");
      assertError(f.post(attestations, mine, "{\"token\":\"" + "A".repeat(400) + "\"}"), 400, "BAD_REQUEST");
      assertError(f.post(attestations, mine, "{\"token\":\"" + token + "\",\"extra\":1}"), 400, "BAD_JSON");
      assertError(f.send(java.net.http.HttpRequest.newBuilder(f.uri(attestations)).header("Authorization", "Bearer " + mine)
          .header("Content-Type", "text/plain").POST(java.net.http.HttpRequest.BodyPublishers.ofString(token)).build()),
          415, "UNSUPPORTED_MEDIA_TYPE");
      assertThat(risk.events(new TerminalId(terminal))).as("no refused request reached the risk service").isEmpty();

      JsonNode approved = f.post(attestations, mine, "{\"token\":\"" + token + "\"}").body();
      assertThat(approved.get("outcome").asText()).as(approved.toString()).isEqualTo("APPROVE");
      assertThat(approved.get("reason").asText()).isEqualTo("OK");
      JsonNode replayed = f.post(attestations, mine, "{\"token\":\"" + token + "\"}").body();
      assertThat(replayed.get("outcome").asText()).isEqualTo("REFUSE");
      assertThat(replayed.get("reason").asText()).isEqualTo("NONCE_NOT_FRESH");
      assertThat(risk.events(new TerminalId(terminal))).extracting(RiskEvent::reason)
          .containsExactly(RiskReason.OK, RiskReason.NONCE_NOT_FRESH);

      // A client that only asks: at most NONCES_OUTSTANDING_MAX unused nonces, then 429.
      for (int i = 0; i < TerminalRiskService.NONCES_OUTSTANDING_MAX; i++) {
        assertThat(f.post(nonce, mine, "").status()).isEqualTo(201);
      }
      assertError(f.post(nonce, mine, ""), 429, "RATE_LIMITED");
    }
  }

  private static void assertError(PosFixture.Answer answer, int status, String code) {
    assertThat(answer.status()).as(answer.raw()).isEqualTo(status);
    assertThat(answer.body().get("error").asText()).as(answer.raw()).isEqualTo(code);
    assertThat(answer.body().get("detail").asText()).isNotBlank();
  }

  /** A token laid out as docs/se-apdus.md says, signed with the terminal's key in software. */
  static byte[] token(AlgorithmSuite suite, KeyPair keys, int counter, String terminal, byte[] nonce) {
    ByteBuffer signed = ByteBuffer.allocate(72).putInt(counter).put(terminal.getBytes(StandardCharsets.US_ASCII))
        .put((byte) 1).put(BUILD).put((byte) 0).put((byte) 1).put((byte) 0).put(nonce).putInt(31_230_400)
        .putInt(121_473_700);
    byte[] signature = suite.signature().sign(keys.getPrivate(), signed.array());
    return ByteBuffer.allocate(72 + signature.length).put(signed.array()).put(signature).array();
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.US_ASCII));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
