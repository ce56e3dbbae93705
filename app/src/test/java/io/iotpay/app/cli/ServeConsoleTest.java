package io.iotpay.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.agent.sdk.DeviceCsr;
import io.iotpay.agent.sdk.SoftwareDeviceSigner;
import io.iotpay.app.iot.IotNode;
import io.iotpay.app.iot.IotServer;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.time.BusinessDayRule;
import io.iotpay.foundation.time.ManualBusinessClock;
import io.iotpay.platform.operator.UserTokens;
import io.iotpay.platform.risk.RiskConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The node {@code iotpay serve} runs serves the operator console and the OpenAPI document on its HTTP
 * port; the operator token logs in with every right, a user's token from {@code POST /v1/users} read-only.
 */
class ServeConsoleTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Instant T0 = Instant.parse("2026-05-01T08:00:00Z");

  @TempDir Path tempDir;

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void serve_servesTheConsole_behindTheOperatorToken(AlgorithmSuite suite) throws Exception {
    ManualBusinessClock clock = new ManualBusinessClock(T0, BusinessDayRule.UTC_MIDNIGHT);
    KeyPair auditKey = suite.signature().generateKeyPair(RANDOM);
    byte[] psk = new byte[32];
    RANDOM.nextBytes(psk);
    String token = "operator-" + "t".repeat(32);
    IotServer.Options options = new IotServer.Options("127.0.0.1", -1, -1, 0, tempDir, token,
        UserTokens.inMemory(Map.of()), (user, account) -> false, psk, 2, 64);
    try (IotNode node = new IotNode(tempDir.resolve("node.db"), clock, suite, auditKey, RiskConfig.defaults(), RANDOM);
        IotServer server = IotServer.start(node, options, RANDOM);
        HttpClient http = HttpClient.newHttpClient()) {
      node.identity.registerFromCsr(suite, DeviceCsr.create(SoftwareDeviceSigner.generate("washer-console-1", suite, RANDOM)), clock.now());
      URI base = URI.create("http://127.0.0.1:" + server.http.port());
      HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(base.resolve("/console/devices")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(anonymous.statusCode()).isEqualTo(303);
      assertThat(http.send(HttpRequest.newBuilder(base.resolve("/openapi.json")).build(), HttpResponse.BodyHandlers.ofString()).body())
          .contains("\"openapi\": \"3.1.0\"");

      BenchConsoleCommand.ConsoleSession operator = BenchConsoleCommand.ConsoleSession.logIn(base, token);
      for (String page : new String[] {"/console/devices", "/console/devices/washer-console-1", "/console/payments", "/console/books",
          "/console/live"}) {
        assertThat(operator.load(page)).as(page).isPositive();  // load() refuses anything but 200
      }

      // A user the operator made through the API (kept in serve's database) opens the console read-only.
      HttpResponse<String> made = http.send(HttpRequest.newBuilder(base.resolve("/v1/users")).header("Authorization", "Bearer " + token)
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"user_id\":\"dana\"}")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
      String userToken = made.body().replaceAll(".*\"token\":\"([0-9a-f]+)\".*", "$1");
      BenchConsoleCommand.ConsoleSession user = BenchConsoleCommand.ConsoleSession.logIn(base, userToken);
      HttpResponse<String> page = http.send(HttpRequest.newBuilder(base.resolve("/console/devices/washer-console-1"))
          .header("Cookie", "iotpay_console=" + user.cookie()).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.body()).contains("user dana (read-only)").doesNotContain("id=\"status-form\"").doesNotContain(userToken);
    }
  }
}
