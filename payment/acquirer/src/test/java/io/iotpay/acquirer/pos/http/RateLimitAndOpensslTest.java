package io.iotpay.acquirer.pos.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.Certificates;
import io.iotpay.foundation.store.Database;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Anonymous registration is rate-limited per client; a CSR made by the openssl command line enrols a terminal. */
class RateLimitAndOpensslTest {
  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void registration_overTheLimitPerClient_isRefusedWith429AndCreatesNothing(AlgorithmSuite suite) throws Exception {
    try (PosFixture f = new PosFixture(suite, Database.Dialect.SQLITE, dir, List.of(), 3)) {
      List<Integer> statuses = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        statuses.add(f.post("/v1/pos/merchants", null, OnboardingHttpTest.registration(f).toString()).status());
      }
      assertThat(statuses).containsExactly(201, 201, 201, 429, 429);
      PosFixture.Answer refused = f.post("/v1/pos/merchants", null, OnboardingHttpTest.registration(f).toString());
      assertThat(refused.body().get("error").asText()).isEqualTo("RATE_LIMITED");
      assertThat(f.get("/v1/pos/merchants", PosFixture.ALICE_TOKEN).body().get("merchants")).hasSize(3);
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void opensslCsr_enrolsATerminal(AlgorithmSuite suite) throws Exception {
    Assumptions.assumeTrue(opensslAvailable(), "openssl not on PATH: the openssl CSR test is skipped (.ci/setup.d/50-onboarding-openssl.sh installs it)");
    Path key = dir.resolve("phone-key.pem");
    Path csr = dir.resolve("phone.csr.der");
    List<String> keygen = switch (suite) {
      case INTERNATIONAL -> List.of("openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", key.toString());
      case NATIONAL -> List.of("openssl", "genpkey", "-algorithm", "SM2", "-out", key.toString());
    };
    run(keygen);
    List<String> request = new ArrayList<>(List.of("openssl", "req", "-new", "-key", key.toString(), "-subj", "/CN=merchant phone",
        "-outform", "DER", "-out", csr.toString()));
    // SM2 signs with the GM/T 0009 default user id, which the acquirer's CA (BouncyCastle) assumes.
    request.addAll(suite == AlgorithmSuite.NATIONAL ? List.of("-sm3", "-sigopt", "distid:1234567812345678") : List.of("-sha256"));
    run(request);
    try (PosFixture f = OnboardingHttpTest.fixture(suite, Database.Dialect.SQLITE, dir)) {
      String token = f.post("/v1/pos/merchants", null, OnboardingHttpTest.registration(f).toString()).body().get("merchant_token").asText();
      ObjectNode body = PosFixture.JSON.createObjectNode().put("suite", suite.name())
          .put("csr", Base64.getEncoder().encodeToString(Files.readAllBytes(csr)));
      PosFixture.Answer answer = f.post("/v1/pos/merchant/terminals", token, body.toString());
      assertThat(answer.status()).as(answer.raw()).isEqualTo(201);
      JsonNode terminal = answer.body();
      X509Certificate leaf = OnboardingHttpTest.certificate(terminal.get("certificate_pem").asText());
      Certificates.check(suite, leaf, OnboardingHttpTest.certificate(terminal.get("ca_certificate_pem").asText()), Instant.now());
    }
  }

  static boolean opensslAvailable() {
    try {
      Process process = new ProcessBuilder("openssl", "version").redirectErrorStream(true).start();
      return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
    } catch (java.io.IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static void run(List<String> command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(String.join(" ", command) + "\n" + output).isZero();
  }
}
