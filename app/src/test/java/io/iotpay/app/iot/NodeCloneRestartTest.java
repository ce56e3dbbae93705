package io.iotpay.app.iot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.iotpay.agent.sdk.DeviceCsr;
import io.iotpay.agent.sdk.EnvelopeClient;
import io.iotpay.agent.sdk.InMemoryMessageCounter;
import io.iotpay.agent.sdk.PlatformTrust;
import io.iotpay.agent.sdk.SealedMessage;
import io.iotpay.agent.sdk.SoftwareDeviceSigner;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import io.iotpay.foundation.time.BusinessDayRule;
import io.iotpay.foundation.time.ManualBusinessClock;
import io.iotpay.platform.envelope.PlatformSigningKey;
import io.iotpay.platform.keys.PlatformKeyStore;
import io.iotpay.platform.risk.RiskConfig;
import io.iotpay.protocol.device.DeviceMessageCodec;
import io.iotpay.protocol.device.DeviceRequest;
import io.iotpay.protocol.device.PlatformAnswer;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 18: a clone suspicion and its evidence survive a restart of the node. A {@code serve} node
 * ({@link IotNode} behind {@link IotServer}'s HTTP door, its keys sealed in a data directory) on SQLite,
 * or on PostgreSQL in a fresh schema when {@code IOTPAY_TEST_POSTGRES_URL} is set; both suites. A car
 * pays; a second holder of its key sends fresh counters from another address (127.0.0.2) between two
 * of the car's (from 127.0.0.1): the node suspects a clone and declines the car's next payment. The
 * node restarts (a new instance on the same database and keys): the car is still suspected with the
 * same evidence, shown by the API and the console, and its payments are still declined. The operator
 * clears the suspicion; after another restart the car's honest messages are approved again.
 */
class NodeCloneRestartTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant T0 = Instant.parse("2026-05-01T08:00:00Z");
  private static final String DEVICE = "car-7";
  private static final long PAYER = 501;
  private static final long DEPOSIT = 10_000;
  private static final long FARE = 1_200;

  @TempDir Path dataDir;

  static Stream<Arguments> cases() {
    return Stream.of("sqlite", "postgresql").flatMap(db -> Stream.of(AlgorithmSuite.values()).map(suite -> Arguments.of(db, suite)));
  }

  /** One running node: the node and its HTTP door, with clients from the car's address and from the clone's. */
  private final class Running implements AutoCloseable {
    final IotNode node;
    final IotServer server;
    final String base;

    Running(String jdbcUrl, ManualBusinessClock clock, SecretKeyBytes master, AlgorithmSuite suite) throws Exception {
      node = new IotNode(jdbcUrl, dataDir.resolve("node.db"), clock, PlatformKeyStore.openOrCreate(dataDir, master, suite, T0, RANDOM),
          RiskConfig.defaults(), RANDOM);
      byte[] pskMaster = new byte[32];
      server = IotServer.start(node, new IotServer.Options("127.0.0.1", -1, -1, 0, dataDir, OPERATOR, token -> Optional.empty(),
          (user, account) -> false, pskMaster, 2, 64), RANDOM);
      base = "http://127.0.0.1:" + server.http.port();
    }

    JsonNode call(String method, String path, String token, String body, int expected) throws Exception {
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
          .header("Content-Type", "application/json")
          .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
      if (token != null) {
        request.header("Authorization", "Bearer " + token);
      }
      HttpResponse<String> response = REAL.send(request.build(), HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isEqualTo(expected);
      return JSON.readTree(response.body());
    }

    /** Posts the envelope from {@code from}'s address; the signed answer (checked by the device's SDK), or null when refused. */
    PlatformAnswer send(HttpClient from, EnvelopeClient device, DeviceRequest request, int expected) throws Exception {
      SealedMessage sealed = device.seal(DeviceMessageCodec.encode(request), false);
      HttpResponse<byte[]> response = from.send(HttpRequest.newBuilder(URI.create(base + "/v1/devices/" + DEVICE + "/messages"))
          .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/cose")
          .POST(HttpRequest.BodyPublishers.ofByteArray(sealed.bytes())).build(), HttpResponse.BodyHandlers.ofByteArray());
      assertThat(response.statusCode()).as(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(expected);
      return expected == 200 ? DeviceMessageCodec.decodeAnswer(device.openAnswer(sealed, response.body())) : null;
    }

    /** The device's page of the operator console, after logging in with the operator token. */
    String consoleDevicePage() throws Exception {
      HttpClient browser = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
      HttpResponse<String> loginPage = browser.send(HttpRequest.newBuilder(URI.create(base + "/console/login")).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      String cookie = cookie(loginPage);
      Matcher csrf = Pattern.compile("name=\"csrf\" value=\"([A-Za-z0-9_-]+)\"").matcher(loginPage.body());
      assertThat(csrf.find()).isTrue();
      HttpResponse<String> login = browser.send(HttpRequest.newBuilder(URI.create(base + "/console/login"))
          .header("Content-Type", "application/x-www-form-urlencoded").header("Cookie", "iotpay_console=" + cookie)
          .POST(HttpRequest.BodyPublishers.ofString("csrf=" + csrf.group(1) + "&token=" + URLEncoder.encode(OPERATOR, StandardCharsets.UTF_8)))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertThat(login.statusCode()).as(login.body()).isEqualTo(303);
      HttpResponse<String> page = browser.send(HttpRequest.newBuilder(URI.create(base + "/console/devices/" + DEVICE))
          .header("Cookie", "iotpay_console=" + cookie(login)).GET().build(), HttpResponse.BodyHandlers.ofString());
      assertThat(page.statusCode()).isEqualTo(200);
      Matcher evidence = Pattern.compile("<dd id=\"clone-evidence\">([^<]*)</dd>").matcher(page.body());
      assertThat(evidence.find()).as("the clone evidence field").isTrue();
      return evidence.group(1);
    }

    @Override
    public void close() {
      server.close();
      node.close();
    }
  }

  private static final String OPERATOR = HexFormat.of().formatHex(RANDOM.generateSeed(32));
  /** The car's HTTP client, from 127.0.0.1; the clone's, from another loopback address. */
  private static final HttpClient REAL = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private static final HttpClient CLONE;

  static {
    try {
      CLONE = HttpClient.newBuilder().localAddress(InetAddress.getByName("127.0.0.2")).connectTimeout(Duration.ofSeconds(10)).build();
    } catch (java.net.UnknownHostException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private static String cookie(HttpResponse<?> response) {
    for (String set : response.headers().allValues("Set-Cookie")) {
      Matcher m = Pattern.compile("iotpay_console=([A-Za-z0-9_-]+)").matcher(set);
      if (m.find()) {
        return m.group(1);
      }
    }
    throw new AssertionError("no console cookie in " + response.headers().map());
  }

  private static DeviceRequest parking(long ticket) {
    return new DeviceRequest.Event("car-head-unit", Map.of("event", "parking-ended", "merchantId", "city-parking", "amountMinor",
        Long.toString(FARE), "currency", "CNY", "driverConfirmed", "true", "parkingTicket", "ticket-" + ticket));
  }

  private static final DeviceRequest STATUS = new DeviceRequest.Status("hu-3.1.0", null, null, null);

  private static PlatformAnswer.Decision onlyDecision(PlatformAnswer answer) {
    assertThat(answer.decisions()).hasSize(1);
    return answer.decisions().get(0);
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void aClonesSuspicion_survivesRestarts_untilTheOperatorClearsIt(String database, AlgorithmSuite suite) throws Exception {
    String jdbcUrl = database.equals("postgresql") ? ServeWalkthroughTest.freshPostgresSchema() : "jdbc:sqlite:" + dataDir.resolve("node.db");
    SecretKeyBytes master = new SecretKeyBytes(RANDOM.generateSeed(PlatformKeyStore.MASTER_KEY_BYTES));
    ManualBusinessClock clock = new ManualBusinessClock(T0, BusinessDayRule.UTC_MIDNIGHT);
    KeyPair carKey = suite.signature().generateKeyPair(RANDOM);
    SoftwareDeviceSigner signer = new SoftwareDeviceSigner(DEVICE, suite, carKey);
    EnvelopeClient car;
    JsonNode flagged;
    String summary;

    try (Running n = new Running(jdbcUrl, clock, master, suite)) {
      String alice = n.call("POST", "/v1/users", OPERATOR, "{\"user_id\":\"alice\"}", 201).path("token").asText();
      n.call("POST", "/v1/accounts", OPERATOR, "{\"account_id\":" + PAYER + ",\"currency\":\"CNY\",\"owner\":\"alice\"}", 201);
      n.call("POST", "/v1/accounts/" + PAYER + "/deposits", OPERATOR, "{\"deposit_id\":\"dep-1\",\"amount_minor\":" + DEPOSIT + "}", 200);
      n.call("POST", "/v1/accounts", OPERATOR, "{\"account_id\":909,\"currency\":\"CNY\"}", 201);
      n.call("POST", "/v1/merchants", OPERATOR, "{\"merchant_id\":\"city-parking\",\"name\":\"City Parking\",\"category\":\"7523\","
          + "\"settlement_account_id\":909}", 200);
      n.call("POST", "/v1/devices", OPERATOR, "{\"suite\":\"" + suite + "\",\"csr\":\""
          + Base64.getEncoder().encodeToString(DeviceCsr.create(signer)) + "\"}", 201);
      n.call("POST", "/v1/mandates", alice, "{\"device_id\":\"" + DEVICE + "\",\"account_id\":" + PAYER + ",\"terms\":{\"currency\":\"CNY\","
          + "\"per_payment_max_minor\":5000,\"per_day_max_minor\":20000,\"per_month_max_minor\":100000,\"confirmation_threshold_minor\":5000,"
          + "\"allowed_merchants\":[\"city-parking\"],\"allowed_categories\":[\"7523\"]}}", 201);
      car = client(n.node.answerKeys.get(suite), signer, 0);
      assertThat(onlyDecision(n.send(REAL, car, parking(1), 200)).outcome()).isEqualTo("APPROVED"); // counter 1

      // The clone: the same key, its counter copied from the chip at 1, at another address.
      EnvelopeClient clone = client(n.node.answerKeys.get(suite), new SoftwareDeviceSigner(DEVICE, suite, carKey), 1);
      clock.advance(Duration.ofSeconds(5));
      n.send(CLONE, clone, STATUS, 200);                  // the clone's 2: fresh, accepted
      n.send(REAL, car, STATUS, 409);                     // the car's 2: a replay now, refused (never evidence)
      clock.advance(Duration.ofSeconds(5));
      n.send(REAL, car, STATUS, 200);                     // the car's 3: fresh, back at its place: A, B, A
      PlatformAnswer.Decision declined = onlyDecision(n.send(REAL, car, parking(4), 200));
      assertThat(declined.outcome()).isEqualTo("DECLINED");
      assertThat(declined.reasons()).contains("CLONE_SUSPECTED");

      flagged = n.call("GET", "/v1/devices/" + DEVICE + "/clone", OPERATOR, null, 200);
      assertThat(flagged.get("clone_suspected").asBoolean()).isTrue();
      assertThat(flagged.get("clone_status").asText()).isEqualTo("SUSPECTED");
      assertThat(flagged.get("evidence_rows")).extracting(r -> r.get("counter").asLong() + "@" + r.get("place").asText())
          .containsExactly("1@http:127.0.0.1", "2@http:127.0.0.2", "3@http:127.0.0.1");
      summary = flagged.get("evidence").asText();
      assertThat(summary).contains("interleaved places", "counter 2 from http:127.0.0.2");
    }

    clock.advance(Duration.ofMinutes(10));
    try (Running n = new Running(jdbcUrl, clock, master, suite)) {
      // The same node after the restart: still suspected, with the same evidence, in the API and the console.
      assertThat(n.call("GET", "/v1/devices/" + DEVICE + "/clone", OPERATOR, null, 200)).isEqualTo(flagged);
      assertThat(n.consoleDevicePage()).contains("interleaved places", "counter 2 from http:127.0.0.2");
      PlatformAnswer.Decision stillDeclined = onlyDecision(n.send(REAL, car, parking(5), 200));
      assertThat(stillDeclined.outcome()).isEqualTo("DECLINED");
      assertThat(stillDeclined.reasons()).contains("CLONE_SUSPECTED");

      JsonNode cleared = n.call("POST", "/v1/devices/" + DEVICE + "/clone/clear", OPERATOR,
          "{\"reason\":\"the owner's second unit was decommissioned\"}", 200);
      assertThat(cleared.get("cleared_evidence").asText()).isEqualTo(summary);
      assertThat(cleared.get("audit_index").isIntegralNumber()).isTrue();
    }

    clock.advance(Duration.ofMinutes(10));
    try (Running n = new Running(jdbcUrl, clock, master, suite)) {
      assertThat(n.call("GET", "/v1/devices/" + DEVICE + "/clone", OPERATOR, null, 200).get("clone_suspected").asBoolean()).isFalse();
      assertThat(n.consoleDevicePage()).isEqualTo("none");
      PlatformAnswer.Decision approved = onlyDecision(n.send(REAL, car, parking(6), 200));
      assertThat(approved.outcome()).isEqualTo("APPROVED");
      assertThat(approved.paymentState()).isEqualTo("HELD");
      // Two approved parkings held, nothing else moved.
      assertThat(n.call("GET", "/v1/accounts/" + PAYER, OPERATOR, null, 200).get("available_minor").asLong())
          .isEqualTo(DEPOSIT - 2 * FARE);
    }
  }

  private static EnvelopeClient client(PlatformSigningKey answerKey, SoftwareDeviceSigner signer, long lastCounter) {
    return new EnvelopeClient(signer, new InMemoryMessageCounter(lastCounter),
        new PlatformTrust(answerKey.suite(), answerKey.keyId(), answerKey.keys().getPublic()), null, RANDOM);
  }
}
