package io.iotpay.app.iot;

import static io.iotpay.app.iot.ServeApi.DEPOSIT;
import static io.iotpay.app.iot.ServeApi.FARE;
import static io.iotpay.app.iot.ServeApi.PAYER;
import static io.iotpay.app.iot.ServeApi.SHOP_ACCOUNT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * docs/serve.md's walk-through, run: {@code iotpay serve} as a separate process on an empty data
 * directory, driven only over HTTP (Java's HttpClient in the place of curl), with the device's key
 * and CSR made by the openssl command line and its envelopes sealed and the proof checked by the
 * project's CLI (each its own JVM). Users, accounts, a merchant and a device are created through
 * the operator API; a payment is approved, captured and proven; after a SIGTERM and a restart the
 * same user, account, merchant and device pay again. The money ends where it should (deposits =
 * what the payer holds + what the merchant received), the audit log verifies, and no file the node
 * wrote is open to others. SQLite always; PostgreSQL in a fresh schema when
 * {@code IOTPAY_TEST_POSTGRES_URL} is set. Both suites (see {@link #cases()}).
 */
class ServeWalkthroughTest {
  @TempDir Path dir;

  /**
   * Each suite and each store at least once, in a CI run's time: with PostgreSQL at hand, SQLite
   * under INTERNATIONAL and PostgreSQL under NATIONAL (each pass is a separate JVM started twice,
   * about 20 s); without it, SQLite under both suites. {@code -Diotpay.walkthrough.all=true} runs
   * every store under every suite.
   */
  static Stream<Arguments> cases() {
    String url = System.getenv("IOTPAY_TEST_POSTGRES_URL");
    boolean postgres = url != null && !url.isBlank();
    if (postgres && !Boolean.getBoolean("iotpay.walkthrough.all")) {
      return Stream.of(Arguments.of("sqlite", AlgorithmSuite.INTERNATIONAL),
          Arguments.of("postgresql", AlgorithmSuite.NATIONAL));
    }
    List<Arguments> cases = new ArrayList<>();
    for (String database : List.of("sqlite", "postgresql")) {
      for (AlgorithmSuite suite : AlgorithmSuite.values()) {
        cases.add(Arguments.of(database, suite));
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void emptyDirectory_toACapturedProvenPayment_andAgainAfterARestart(String database, AlgorithmSuite suite) throws Exception {
    Assumptions.assumeTrue(io.iotpay.foundation.TestCommands.works("openssl", "version"), "openssl not on PATH: the serve walk-through is skipped "
        + "(.ci/setup.d/50-onboarding-openssl.sh installs it)");
    Path data = dir.resolve("serve");
    List<String> args = new ArrayList<>(List.of("--data-dir", data.toString(), "--http-port", "0", "--mqtt-port", "0",
        "--coaps-port", "0"));
    if (database.equals("postgresql")) {
      args.addAll(List.of("--db", freshPostgresSchema()));
    }
    Map<String, String> env = Map.of("IOTPAY_MASTER_KEY", HexFormat.of().formatHex(new SecureRandom().generateSeed(16)));
    Path log = dir.resolve("serve.log");
    Path auditKey = data.resolve("platform-keys/audit-public-key.pem");
    ServeApi.PayingDevice device;
    try (ServeProcess serve = ServeProcess.start(log, env, args.toArray(String[]::new))) {
      ServeApi api = new ServeApi(serve, dir);
      assertThat(api.get("/health", null).path("status").asText()).isEqualTo("UP");
      device = api.payingDevice(suite, "car-7");
      assertThat(device.userToken()).hasSize(64);
      assertThat(device.registration().path("coap_psk").path("key").asText()).isNotEqualTo(device.userToken()).matches("[0-9a-f]{32}");
      api.send("POST", "/v1/devices", api.operator, ServeApi.registerBody(suite, dir.resolve("car-7.csr.der")), 409);
      // A deposit retried is made once; the same deposit id with another amount is refused.
      api.send("POST", "/v1/accounts/" + PAYER + "/deposits", api.operator, "{\"deposit_id\":\"dep-1\",\"amount_minor\":" + DEPOSIT + "}", 200);
      api.send("POST", "/v1/accounts/" + PAYER + "/deposits", api.operator, "{\"deposit_id\":\"dep-1\",\"amount_minor\":1}", 409);
      assertThat(api.get("/v1/accounts/" + PAYER, api.operator).path("available_minor").asLong()).isEqualTo(DEPOSIT);

      payAndCapture(api, suite, device, 1, auditKey);
      assertThat(serve.stop()).as("exit status on SIGTERM (128 + 15)").isEqualTo(143);
    }
    if (database.equals("sqlite")) {
      assertThat(Files.getPosixFilePermissions(data.resolve("iotpay-serve.db")))
          .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    }
    try (Stream<Path> written = Files.walk(data)) {
      assertThat(written.filter(path -> !ownerOnly(path) && !published(path)).toList())
          .as("files and directories of the node (HiveMQ's mqtt/ included) open to group or others").isEmpty();
    }

    try (ServeProcess serve = ServeProcess.start(log, env, args.toArray(String[]::new))) {
      ServeApi api = new ServeApi(serve, dir);
      assertThat(api.get("/v1/merchants/" + ServeApi.MERCHANT, api.operator).path("settlement_account_id").asLong()).isEqualTo(SHOP_ACCOUNT);
      assertThat(api.get("/v1/users", api.operator).path("users").get(0).path("user_id").asText()).isEqualTo("alice");
      assertThat(api.get("/v1/accounts/" + PAYER, api.operator).path("owner").asText()).isEqualTo("alice");
      // The same user, account, merchant and device pay again; counter 1 again is a replay.
      payAndCapture(api, suite, device, 2, auditKey);
      HttpResponse<byte[]> replay = api.postEnvelope(device.id(), api.seal(suite, device, 1));
      assertThat(replay.statusCode()).as("counter 1 again").isEqualTo(409);

      JsonNode payer = api.get("/v1/accounts/" + PAYER, api.operator);
      JsonNode shop = api.get("/v1/accounts/" + SHOP_ACCOUNT, api.operator);
      assertThat(payer.path("debits_posted_minor").asLong()).isEqualTo(2 * FARE);
      assertThat(payer.path("available_minor").asLong()).isEqualTo(DEPOSIT - 2 * FARE);
      assertThat(shop.path("credits_posted_minor").asLong()).isEqualTo(2 * FARE);
      assertThat(payer.path("available_minor").asLong() + shop.path("credits_posted_minor").asLong()).as("no money made or lost")
          .isEqualTo(DEPOSIT);
      assertThat(serve.stop()).as("exit status on SIGTERM (128 + 15)").isEqualTo(143);
      String db = database.equals("postgresql") ? args.get(args.indexOf("--db") + 1) : "jdbc:sqlite:" + data.resolve("iotpay-serve.db");
      ServeApi.Cli verify = api.cli("audit", "verify", "--db", db, "--public-key", auditKey.toString());
      assertThat(verify.exit()).as(verify.out()).isZero();
    }
  }

  private void payAndCapture(ServeApi api, AlgorithmSuite suite, ServeApi.PayingDevice device, long counter, Path auditKey)
      throws Exception {
    HttpResponse<byte[]> answer = api.postEnvelope(device.id(), api.seal(suite, device, counter));
    assertThat(answer.statusCode()).as("the device's message").isEqualTo(200);
    assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/cose"));
    String payment = "/v1/payments/" + device.id() + "/" + counter;
    assertThat(api.get(payment, device.userToken()).path("outcome").asText()).isEqualTo("APPROVED");
    assertThat(api.send("POST", payment + "/capture", api.operator, "", 200).path("payment").path("state").asText()).isEqualTo("CAPTURED");
    Path proof = dir.resolve("proof-" + counter + ".json");
    Files.writeString(proof, api.getText(payment + "/proof", device.userToken()).body());
    ServeApi.Cli check = api.cli("audit", "check-proof", proof.toString(), "--public-key", auditKey.toString());
    assertThat(check.exit()).as(check.out()).isZero();
    assertThat(ServeApi.JSON.readTree(check.out()).path("valid").asBoolean()).isTrue();
  }

  /** Certificates, public keys and the key manifest are meant to be handed out (docs/serve.md). */
  private static boolean published(Path path) {
    String name = path.getFileName().toString();
    return Files.isRegularFile(path) && (name.endsWith(".crt.pem") || name.endsWith(".pub.pem") || name.endsWith("-public-key.pem")
        || name.equals("manifest.properties"));
  }

  private static boolean ownerOnly(Path path) {
    try {
      return Files.getPosixFilePermissions(path).stream().allMatch(p -> p.name().startsWith("OWNER_"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A fresh schema's JDBC URL on {@code IOTPAY_TEST_POSTGRES_URL}; the test is skipped when the variable is unset. */
  static String freshPostgresSchema() throws Exception {
    String url = System.getenv("IOTPAY_TEST_POSTGRES_URL");
    Assumptions.assumeTrue(url != null && !url.isBlank(), "IOTPAY_TEST_POSTGRES_URL not set: the PostgreSQL case is skipped");
    String schema = "t_" + UUID.randomUUID().toString().replace("-", "");
    try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
      statement.execute("CREATE SCHEMA " + schema);
    }
    return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
  }
}
