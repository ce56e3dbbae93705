package io.iotpay.platform.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.ledger.audit.AuditVerifier;
import io.iotpay.ledger.audit.Checkpoint;
import io.iotpay.ledger.audit.DatabaseAuditSource;
import io.iotpay.ledger.audit.VerificationReport;
import io.iotpay.platform.console.AuditCheck;
import io.iotpay.platform.console.ConsoleServices;
import io.iotpay.platform.console.OperatorConsole;
import io.iotpay.platform.decision.DecisionAuditCheck;
import io.iotpay.platform.decision.DecisionListing;
import io.iotpay.platform.decision.IdempotencyKey;
import io.iotpay.platform.decision.PaymentIntent;
import io.iotpay.platform.decision.PlatformFixture;
import io.iotpay.platform.identity.DeviceId;
import io.iotpay.platform.state.DeviceObservation;
import io.iotpay.protocol.device.DeviceMessageCodec;
import io.iotpay.protocol.device.DeviceRequest;
import io.iotpay.platform.access.http.DeviceMessages;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The HTTP API with the operator console mounted, on real parts ({@link HttpApiFixture}), holding one
 * device of alice's with an approved payment (counter 7) and a declined one (counter 8, asked of alice,
 * who said no), so every console page has something to show.
 */
final class ConsoleFixture implements AutoCloseable {
  static final String DEVICE = "car-2";
  static final String MERCHANT = "shop-1";

  final HttpApiFixture api;
  final HttpApiFixture.Device device;

  ConsoleFixture(AlgorithmSuite suite, Path tempDir) throws Exception {
    api = new HttpApiFixture(suite, tempDir, HttpApiConfig.defaults(), null, f -> List.of(console(f)));
    api.platform.merchant(MERCHANT, "5399", 900, null);
    device = api.enrol(DEVICE);
    api.platform.onlineDevice(DEVICE);
    String terms = "{\"currency\":\"CNY\",\"per_payment_max_minor\":10000,\"per_day_max_minor\":100000,"
        + "\"per_month_max_minor\":1000000,\"confirmation_threshold_minor\":3000,\"allowed_merchants\":[\"shop-1\"],"
        + "\"allowed_categories\":[\"5399\"]}";
    HttpApiFixture.Response bound = api.call("POST", "/v1/mandates", HttpApiFixture.ALICE_TOKEN,
        "{\"device_id\":\"" + DEVICE + "\",\"account_id\":" + HttpApiFixture.ALICE_ACCOUNT + ",\"terms\":" + terms + "}");
    assertThat(bound.status()).as(bound.toString()).isEqualTo(201);
    decide(7, 2_500);
    decide(8, 4_000);
    HttpApiFixture.Response declined = api.call("POST", "/v1/payments/" + DEVICE + "/8/confirm", HttpApiFixture.ALICE_TOKEN,
        "{\"approve\":false}");
    assertThat(declined.status()).as(declined.toString()).isEqualTo(200);
  }

  /** The console over the fixture's parts, as `iotpay serve` mounts it. */
  static OperatorConsole console(HttpApiFixture f) {
    AuditCheck verify = () -> {
      String keyId = Checkpoint.keyIdOf(f.suite, f.platform.auditKey.getPublic().getEncoded());
      VerificationReport report = AuditVerifier.verify(DatabaseAuditSource.of(f.platform.database),
          Map.of(keyId, f.platform.auditKey.getPublic()), DecisionAuditCheck.of(f.platform.database));
      return new AuditCheck.Result(report.verified(), report.leavesChecked(),
          report.verified() ? "OK (" + report.checkpointsChecked() + " checkpoints)" : "FAILED at " + report.failure().orElseThrow().describe());
    };
    return new OperatorConsole(new ConsoleServices(f.services, new DecisionListing(f.platform.database), f.platform.ledger,
        f.platform.auditLog, verify, leaf -> f.platform.auditLog.appendStandalone(List.of(leaf))));
  }

  IdempotencyKey decide(long counter, long amountMinor) {
    IdempotencyKey key = new IdempotencyKey(DeviceId.of(DEVICE), counter);
    api.platform.service.decide(new PaymentIntent(key, MERCHANT, PlatformFixture.cny(amountMinor), PaymentIntent.DEVICE_REQUEST,
        "order-" + counter, false, false));
    return key;
  }

  /** The device asks to pay (an event envelope over the HTTP door, as a fuel pump would): the door's answer. */
  HttpApiFixture.Response devicePaymentRequest() throws Exception {
    byte[] event = DeviceMessageCodec.encode(new DeviceRequest.Event("fuel-pump", Map.of("litres", "42", "merchant", MERCHANT)));
    byte[] envelope = device.client().seal(event, false).bytes();
    return api.call("POST", "/v1/devices/" + DEVICE + "/messages", null, DeviceMessages.COSE, envelope);
  }

  /** Marks the fixture's device as cloned: fresh counters from two places at once, as only a second key holder sends. */
  void flagAsCloned(long counter) {
    DeviceId id = DeviceId.of(DEVICE);
    api.platform.states.observe(new DeviceObservation.Message(id, api.platform.clock.now(), "a", "http:198.51.100.7", counter));
    api.platform.states.observe(new DeviceObservation.Message(id, api.platform.clock.now(), "b", "http:203.0.113.9", counter + 1));
    api.platform.states.observe(new DeviceObservation.Message(id, api.platform.clock.now(), "a", "http:198.51.100.7", counter + 2));
  }

  /** A PEM CSR made by a fresh device key of {@code suite} for {@code deviceId}, as its chip would make it. */
  static String csrPem(AlgorithmSuite suite, String deviceId) {
    java.security.KeyPair keys = suite.signature().generateKeyPair(HttpApiFixture.RANDOM);
    byte[] der = io.iotpay.agent.sdk.DeviceCsr.create(new io.iotpay.agent.sdk.SoftwareDeviceSigner(deviceId, suite, keys));
    return "-----BEGIN CERTIFICATE REQUEST-----\n"
        + java.util.Base64.getMimeEncoder(64, "\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END CERTIFICATE REQUEST-----\n";
  }

  /** One CSV line of a bulk registration: the PEM in double quotes (it holds line breaks). */
  static String csvRow(String deviceId, String suite, String csr) {
    return deviceId + "," + suite + ",\"" + csr + "\"\n";
  }

  /** The audit log's newest leaf, as text. */
  String lastAuditLeaf() throws Exception {
    long last = api.platform.auditLog.size() - 1;
    String[] found = new String[1];
    DatabaseAuditSource.of(api.platform.database).forEachLeaf((index, entry, chainHash) -> {
      if (index == last) {
        found[0] = new String(entry, java.nio.charset.StandardCharsets.UTF_8);
      }
      return true;
    });
    return found[0];
  }

  URI uri(String path) {
    return api.base.resolve(path);
  }

  /** The paths of every console page this fixture has content for. */
  List<String> pages() {
    return List.of("/console/devices", "/console/devices?q=car", "/console/devices/" + DEVICE, "/console/payments",
        "/console/payments?device=" + DEVICE, "/console/payments/" + DEVICE + "/7", "/console/payments/" + DEVICE + "/8",
        "/console/books", "/console/live");
  }

  /** Everything no page may show: the tokens, every private key's encoding, the account's card number. */
  List<String> secrets() {
    List<String> secrets = new java.util.ArrayList<>(List.of(api.operatorToken, HttpApiFixture.ALICE_TOKEN, HttpApiFixture.BOB_TOKEN,
        PlatformFixture.tokenOf(HttpApiFixture.ALICE_ACCOUNT).digits(), PlatformFixture.tokenOf(HttpApiFixture.BOB_ACCOUNT).digits(),
        "PRIVATE KEY"));
    List<java.security.PrivateKey> keys = new java.util.ArrayList<>(List.of(api.platform.auditKey.getPrivate(), device.keys().getPrivate()));
    api.answerKeys.values().forEach(k -> keys.add(k.keys().getPrivate()));
    for (java.security.PrivateKey key : keys) {
      byte[] pkcs8 = key.getEncoded();
      secrets.add(java.util.Base64.getEncoder().encodeToString(pkcs8).substring(0, 48));
      secrets.add(io.iotpay.foundation.codec.Hex.encode(pkcs8).substring(pkcs8.length * 2 - 64));
    }
    return secrets;
  }

  @Override
  public void close() {
    api.close();
  }

  /** A console session driven with {@code java.net.http} (no browser): cookie kept by hand. */
  static final class Client {
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([A-Za-z0-9_-]+)\"");
    private static final Pattern COOKIE = Pattern.compile("iotpay_console=([A-Za-z0-9_-]*)");
    final ConsoleFixture f;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    String cookie;

    Client(ConsoleFixture f) {
      this.f = f;
    }

    HttpResponse<String> get(String path) throws Exception {
      return send(request(path).GET().build());
    }

    /** Posts {@code fields} and one file as {@code multipart/form-data}, as a browser's upload form does. */
    HttpResponse<String> postFile(String path, Map<String, String> fields, String fileField, byte[] file) throws Exception {
      String boundary = "----iotpay" + Long.toHexString(HttpApiFixture.RANDOM.nextLong());
      java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
      for (Map.Entry<String, String> field : fields.entrySet()) {
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field.getKey() + "\"\r\n\r\n" + field.getValue()
            + "\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
      }
      if (file != null) {
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + fileField + "\"; filename=\"devices.csv\"\r\n"
            + "Content-Type: text/csv\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        body.writeBytes(file);
        body.writeBytes("\r\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      }
      body.writeBytes(("--" + boundary + "--\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return send(request(path).header("Content-Type", "multipart/form-data; boundary=" + boundary)
          .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build());
    }

    HttpResponse<String> post(String path, String form) throws Exception {
      return send(request(path).header("Content-Type", "application/x-www-form-urlencoded")
          .POST(HttpRequest.BodyPublishers.ofString(form)).build());
    }

    /** Opens the login page, keeps its cookie, returns the form's CSRF token. */
    String loginForm() throws Exception {
      return csrfOf(get("/console/login").body());
    }

    /** Logs in with the operator token; returns the answer (303 on success). */
    HttpResponse<String> login(String token) throws Exception {
      String csrf = loginForm();
      return post("/console/login", "csrf=" + csrf + "&token=" + java.net.URLEncoder.encode(token, java.nio.charset.StandardCharsets.UTF_8));
    }

    static String csrfOf(String html) {
      Matcher m = CSRF.matcher(html);
      assertThat(m.find()).as("a CSRF field in the page").isTrue();
      return m.group(1);
    }

    private HttpRequest.Builder request(String path) {
      HttpRequest.Builder request = HttpRequest.newBuilder(f.uri(path)).timeout(Duration.ofSeconds(30));
      if (cookie != null) {
        request.header("Cookie", "iotpay_console=" + cookie);
      }
      return request;
    }

    private HttpResponse<String> send(HttpRequest request) throws Exception {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      for (String set : response.headers().allValues("Set-Cookie")) {
        Matcher m = COOKIE.matcher(set);
        if (m.find()) {
          cookie = m.group(1).isEmpty() ? null : m.group(1);
        }
      }
      return response;
    }
  }
}
