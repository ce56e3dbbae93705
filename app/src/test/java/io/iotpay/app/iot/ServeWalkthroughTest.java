package io.iotpay.app.iot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
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
 * what the payer holds + what the merchant received) and the audit log verifies. SQLite always;
 * PostgreSQL in a fresh schema when {@code IOTPAY_TEST_POSTGRES_URL} is set. Both suites.
 */
class ServeWalkthroughTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private static final long PAYER = 501;
  private static final long SHOP_ACCOUNT = 909;
  private static final long DEPOSIT = 10_000;
  private static final long FARE = 1_200;

  @TempDir Path dir;
  private String base;
  private String operator;

  static Stream<Arguments> cases() {
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
    Assumptions.assumeTrue(commandWorks("openssl", "version"), "openssl not on PATH: the serve walk-through is skipped "
        + "(.ci/setup.d/50-onboarding-openssl.sh installs it)");
    Path data = dir.resolve("serve");
    List<String> args = new ArrayList<>(List.of("--data-dir", data.toString(), "--http-port", "0", "--mqtt-port", "0",
        "--coaps-port", "0"));
    if (database.equals("postgresql")) {
      args.addAll(List.of("--db", freshPostgresSchema()));
    }
    Map<String, String> env = Map.of("IOTPAY_MASTER_KEY", HexFormat.of().formatHex(new SecureRandom().generateSeed(16)));
    Path log = dir.resolve("serve.log");
    String device;
    String aliceToken;
    Path key = dir.resolve("device.key.pem");
    try (ServeProcess serve = ServeProcess.start(log, env, args.toArray(String[]::new))) {
      connect(serve);
      assertThat(get("/health", null).path("status").asText()).isEqualTo("UP");

      // The operator's directory: a user and her token, her funded account, the merchant's account and the merchant.
      JsonNode alice = send("POST", "/v1/users", operator, "{\"user_id\":\"alice\"}", 201);
      aliceToken = alice.path("token").asText();
      assertThat(aliceToken).hasSize(64);
      send("POST", "/v1/accounts", operator, "{\"account_id\":" + PAYER + ",\"currency\":\"CNY\",\"owner\":\"alice\"}", 201);
      send("POST", "/v1/accounts/" + PAYER + "/deposits", operator, "{\"deposit_id\":\"dep-1\",\"amount_minor\":" + DEPOSIT + "}", 200);
      send("POST", "/v1/accounts/" + PAYER + "/deposits", operator, "{\"deposit_id\":\"dep-1\",\"amount_minor\":" + DEPOSIT + "}", 200);
      send("POST", "/v1/accounts/" + PAYER + "/deposits", operator, "{\"deposit_id\":\"dep-1\",\"amount_minor\":1}", 409);
      send("POST", "/v1/accounts", operator, "{\"account_id\":" + SHOP_ACCOUNT + ",\"currency\":\"CNY\"}", 201);
      send("POST", "/v1/merchants", operator, "{\"merchant_id\":\"city-parking\",\"name\":\"City Parking\",\"category\":\"7523\","
          + "\"settlement_account_id\":" + SHOP_ACCOUNT + "}", 200);
      assertThat(get("/v1/accounts/" + PAYER, operator).path("available_minor").asLong()).as("deposited once").isEqualTo(DEPOSIT);

      // The device: its key and CSR from openssl; registered from the CSR; its PSK in the registration answer.
      Path csr = opensslCsr(suite, key, "car-7");
      JsonNode registered = send("POST", "/v1/devices", operator, "{\"suite\":\"" + suite + "\",\"csr\":\""
          + Base64.getEncoder().encodeToString(Files.readAllBytes(csr)) + "\"}", 201);
      device = registered.path("device_id").asText();
      assertThat(device).isEqualTo("car-7");
      assertThat(registered.path("coap_psk").path("key").asText()).matches("[0-9a-f]{32}");
      send("POST", "/v1/devices", operator, "{\"suite\":\"" + suite + "\",\"csr\":\""
          + Base64.getEncoder().encodeToString(Files.readAllBytes(csr)) + "\"}", 409);

      // Alice binds the device to her account; the device pays; the operator captures; Alice gets the proof.
      send("POST", "/v1/mandates", aliceToken, "{\"device_id\":\"" + device + "\",\"account_id\":" + PAYER + ",\"terms\":{"
          + "\"currency\":\"CNY\",\"per_payment_max_minor\":5000,\"per_day_max_minor\":20000,\"per_month_max_minor\":100000,"
          + "\"confirmation_threshold_minor\":5000,\"allowed_merchants\":[\"city-parking\"],\"allowed_categories\":[\"7523\"]}}", 201);
      payAndCapture(suite, key, device, 1, aliceToken, data);
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
      connect(serve);
      assertThat(get("/v1/merchants/city-parking", operator).path("settlement_account_id").asLong()).isEqualTo(SHOP_ACCOUNT);
      assertThat(get("/v1/users", operator).path("users").get(0).path("user_id").asText()).isEqualTo("alice");
      assertThat(get("/v1/accounts/" + PAYER, operator).path("owner").asText()).isEqualTo("alice");
      // The same user, account, merchant and device pay again; counter 1 again is a replay.
      payAndCapture(suite, key, device, 2, aliceToken, data);
      HttpResponse<byte[]> replay = postEnvelope(device, seal(suite, key, device, 1));
      assertThat(replay.statusCode()).as("counter 1 again").isEqualTo(409);

      JsonNode payer = get("/v1/accounts/" + PAYER, operator);
      JsonNode shop = get("/v1/accounts/" + SHOP_ACCOUNT, operator);
      assertThat(payer.path("debits_posted_minor").asLong()).isEqualTo(2 * FARE);
      assertThat(payer.path("available_minor").asLong()).isEqualTo(DEPOSIT - 2 * FARE);
      assertThat(shop.path("credits_posted_minor").asLong()).isEqualTo(2 * FARE);
      assertThat(payer.path("available_minor").asLong() + shop.path("credits_posted_minor").asLong()).as("no money made or lost")
          .isEqualTo(DEPOSIT);
      assertThat(serve.stop()).as("exit status on SIGTERM (128 + 15)").isEqualTo(143);
    }
    String db = database.equals("postgresql") ? args.get(args.indexOf("--db") + 1) : "jdbc:sqlite:" + data.resolve("iotpay-serve.db");
    Cli verify = cli("audit", "verify", "--db", db, "--public-key", data.resolve("platform-keys/audit-public-key.pem").toString());
    assertThat(verify.exit()).as(verify.out()).isZero();
  }

  private void payAndCapture(AlgorithmSuite suite, Path key, String device, long counter, String userToken, Path data) throws Exception {
    HttpResponse<byte[]> answer = postEnvelope(device, seal(suite, key, device, counter));
    assertThat(answer.statusCode()).as("the device's message").isEqualTo(200);
    assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/cose"));
    String payment = "/v1/payments/" + device + "/" + counter;
    assertThat(get(payment, userToken).path("outcome").asText()).isEqualTo("APPROVED");
    assertThat(send("POST", payment + "/capture", operator, "", 200).path("payment").path("state").asText()).isEqualTo("CAPTURED");
    Path proof = dir.resolve("proof-" + counter + ".json");
    Files.write(proof, HTTP.send(request(payment + "/proof", userToken).GET().build(), HttpResponse.BodyHandlers.ofByteArray()).body());
    Cli check = cli("audit", "check-proof", proof.toString(), "--public-key", data.resolve("platform-keys/audit-public-key.pem").toString());
    assertThat(check.exit()).as(check.out()).isZero();
    assertThat(JSON.readTree(check.out()).path("valid").asBoolean()).isTrue();
  }

  private byte[] seal(AlgorithmSuite suite, Path key, String device, long counter) throws Exception {
    String payload = "{\"kind\":\"event\",\"device_type\":\"car-head-unit\",\"fields\":{\"event\":\"parking-ended\","
        + "\"merchantId\":\"city-parking\",\"amountMinor\":\"" + FARE + "\",\"currency\":\"CNY\",\"driverConfirmed\":\"true\","
        + "\"parkingTicket\":\"ticket-" + counter + "\"}}";
    Cli sealed = cli("device", "seal", "--suite", suite.name(), "--key", key.toString(), "--device", device, "--counter",
        Long.toString(counter), "--payload-json", payload);
    assertThat(sealed.exit()).as(sealed.out()).isZero();
    return Base64.getDecoder().decode(sealed.out().strip());
  }

  private HttpResponse<byte[]> postEnvelope(String device, byte[] envelope) throws Exception {
    return HTTP.send(request("/v1/devices/" + device + "/messages", null).header("Content-Type", "application/cose")
        .POST(HttpRequest.BodyPublishers.ofByteArray(envelope)).build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private void connect(ServeProcess serve) throws IOException {
    base = "http://127.0.0.1:" + serve.httpPort();
    operator = Files.readString(dir.resolve("serve/operator.token")).strip();
  }

  private JsonNode get(String path, String token) throws Exception {
    HttpResponse<String> response = HTTP.send(request(path, token).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as("GET " + path + ": " + response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  private JsonNode send(String method, String path, String token, String body, int expected) throws Exception {
    HttpRequest.Builder request = request(path, token).header("Content-Type", "application/json");
    request.method(method, body.isEmpty() ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isEqualTo(expected);
    return JSON.readTree(response.body());
  }

  private HttpRequest.Builder request(String path, String token) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
    return token == null ? builder : builder.header("Authorization", "Bearer " + token);
  }

  /** The device's key and its PKCS#10 CSR (DER) made by the openssl command line (SM2 with SM3 and the default distinguishing id). */
  private Path opensslCsr(AlgorithmSuite suite, Path key, String commonName) throws Exception {
    Path csr = dir.resolve("device.csr.der");
    run(suite == AlgorithmSuite.NATIONAL ? List.of("openssl", "genpkey", "-algorithm", "SM2", "-out", key.toString())
        : List.of("openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", key.toString()));
    List<String> request = new ArrayList<>(List.of("openssl", "req", "-new", "-key", key.toString(), "-subj", "/CN=" + commonName,
        "-outform", "DER", "-out", csr.toString()));
    request.addAll(suite == AlgorithmSuite.NATIONAL ? List.of("-sm3", "-sigopt", "distid:1234567812345678") : List.of("-sha256"));
    run(request);
    return csr;
  }

  private static void run(List<String> command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(String.join(" ", command) + ": " + out).isZero();
  }

  record Cli(int exit, String out) {}

  /** The project's CLI in its own JVM: stdout, and stderr when it failed. */
  private Cli cli(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), "io.iotpay.app.Main"));
    command.addAll(List.of(args));
    Path err = Files.createTempFile(dir, "cli", ".err");
    Process process = new ProcessBuilder(command).redirectError(err.toFile()).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
    return new Cli(process.exitValue(), process.exitValue() == 0 ? out : out + Files.readString(err));
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
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static boolean commandWorks(String... command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      process.getInputStream().readAllBytes();
      return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static String freshPostgresSchema() throws Exception {
    String url = System.getenv("IOTPAY_TEST_POSTGRES_URL");
    Assumptions.assumeTrue(url != null && !url.isBlank(), "IOTPAY_TEST_POSTGRES_URL not set: the PostgreSQL walk-through is skipped");
    String schema = "t_" + UUID.randomUUID().toString().replace("-", "");
    try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
      statement.execute("CREATE SCHEMA " + schema);
    }
    return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
  }
}
