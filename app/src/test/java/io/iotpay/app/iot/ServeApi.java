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
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What a newcomer has to drive {@code iotpay serve}: its HTTP API (Java's HttpClient in the place of
 * curl), the openssl command line for a device's key and CSR, and the project's CLI in its own JVM.
 * The set-up of docs/serve.md's walk-through (a funded user, a merchant, a device bound to the user's
 * account) is {@link #payingDevice}.
 */
final class ServeApi {
  static final ObjectMapper JSON = new ObjectMapper();
  static final long PAYER = 501;
  static final long SHOP_ACCOUNT = 909;
  static final long DEPOSIT = 10_000;
  static final long FARE = 1_200;
  static final String MERCHANT = "city-parking";
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  final String base;
  final String operator;
  private final Path dir;

  /** @param dir the test's scratch directory (keys, CSRs, envelopes); the data directory is {@code dir/serve} */
  ServeApi(ServeProcess serve, Path dir) throws IOException {
    this.base = "http://127.0.0.1:" + serve.httpPort();
    this.operator = Files.readString(dir.resolve("serve/operator.token")).strip();
    this.dir = dir;
  }

  /** The user, her funded account, the merchant and its account, a device from an openssl CSR bound to her account. */
  record PayingDevice(String id, Path key, String userToken, JsonNode registration) {}

  PayingDevice payingDevice(AlgorithmSuite suite, String deviceId) throws Exception {
    String userToken = send("POST", "/v1/users", operator, "{\"user_id\":\"alice\"}", 201).path("token").asText();
    send("POST", "/v1/accounts", operator, "{\"account_id\":" + PAYER + ",\"currency\":\"CNY\",\"owner\":\"alice\"}", 201);
    send("POST", "/v1/accounts/" + PAYER + "/deposits", operator, "{\"deposit_id\":\"dep-1\",\"amount_minor\":" + DEPOSIT + "}", 200);
    send("POST", "/v1/accounts", operator, "{\"account_id\":" + SHOP_ACCOUNT + ",\"currency\":\"CNY\"}", 201);
    send("POST", "/v1/merchants", operator, "{\"merchant_id\":\"" + MERCHANT + "\",\"name\":\"City Parking\",\"category\":\"7523\","
        + "\"settlement_account_id\":" + SHOP_ACCOUNT + "}", 200);
    Path key = dir.resolve(deviceId + ".key.pem");
    JsonNode registration = send("POST", "/v1/devices", operator, registerBody(suite, opensslCsr(suite, key, deviceId)), 201);
    send("POST", "/v1/mandates", userToken, "{\"device_id\":\"" + deviceId + "\",\"account_id\":" + PAYER + ",\"terms\":{"
        + "\"currency\":\"CNY\",\"per_payment_max_minor\":5000,\"per_day_max_minor\":20000,\"per_month_max_minor\":100000,"
        + "\"confirmation_threshold_minor\":5000,\"allowed_merchants\":[\"" + MERCHANT + "\"],\"allowed_categories\":[\"7523\"]}}", 201);
    return new PayingDevice(deviceId, key, userToken, registration);
  }

  static String registerBody(AlgorithmSuite suite, Path csr) throws IOException {
    return "{\"suite\":\"" + suite + "\",\"csr\":\"" + Base64.getEncoder().encodeToString(Files.readAllBytes(csr)) + "\"}";
  }

  /** The device's parking payment with {@code counter}, sealed by {@code iotpay device seal}. */
  byte[] seal(AlgorithmSuite suite, PayingDevice device, long counter) throws Exception {
    String payload = "{\"kind\":\"event\",\"device_type\":\"car-head-unit\",\"fields\":{\"event\":\"parking-ended\","
        + "\"merchantId\":\"" + MERCHANT + "\",\"amountMinor\":\"" + FARE + "\",\"currency\":\"CNY\",\"driverConfirmed\":\"true\","
        + "\"parkingTicket\":\"ticket-" + counter + "\"}}";
    Cli sealed = cli("device", "seal", "--suite", suite.name(), "--key", device.key().toString(), "--device", device.id(), "--counter",
        Long.toString(counter), "--payload-json", payload);
    assertThat(sealed.exit()).as(sealed.out()).isZero();
    return Base64.getDecoder().decode(sealed.out().strip());
  }

  HttpResponse<byte[]> postEnvelope(String device, byte[] envelope) throws Exception {
    return HTTP.send(request("/v1/devices/" + device + "/messages", null).header("Content-Type", "application/cose")
        .POST(HttpRequest.BodyPublishers.ofByteArray(envelope)).build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  JsonNode get(String path, String token) throws Exception {
    HttpResponse<String> response = getText(path, token);
    assertThat(response.statusCode()).as("GET " + path + ": " + response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  HttpResponse<String> getText(String path, String token) throws Exception {
    return HTTP.send(request(path, token).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  JsonNode send(String method, String path, String token, String body, int expected) throws Exception {
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

  /** A key and its PKCS#10 CSR (DER) made by the openssl command line (SM2 with SM3 and the default distinguishing id). */
  Path opensslCsr(AlgorithmSuite suite, Path key, String commonName) throws Exception {
    Path csr = dir.resolve(commonName + ".csr.der");
    run(suite == AlgorithmSuite.NATIONAL ? List.of("openssl", "genpkey", "-algorithm", "SM2", "-out", key.toString())
        : List.of("openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", key.toString()));
    List<String> request = new ArrayList<>(List.of("openssl", "req", "-new", "-key", key.toString(), "-subj", "/CN=" + commonName,
        "-outform", "DER", "-out", csr.toString()));
    request.addAll(suite == AlgorithmSuite.NATIONAL ? List.of("-sm3", "-sigopt", "distid:1234567812345678") : List.of("-sha256"));
    run(request);
    return csr;
  }

  /** Runs a command to its end; stdout and stderr together. */
  static Cli run(List<String> command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).as(String.join(" ", command) + " finished").isTrue();
    return new Cli(process.exitValue(), out);
  }

  record Cli(int exit, String out) {}

  /** The project's CLI in its own JVM: stdout, and stderr when it failed. */
  Cli cli(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), "io.iotpay.app.Main"));
    command.addAll(List.of(args));
    Path err = Files.createTempFile(dir, "cli", ".err");
    Process process = new ProcessBuilder(command).redirectError(err.toFile()).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
    return new Cli(process.exitValue(), process.exitValue() == 0 ? out : out + Files.readString(err));
  }
}
