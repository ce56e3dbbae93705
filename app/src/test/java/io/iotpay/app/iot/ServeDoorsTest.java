package io.iotpay.app.iot;

import static io.iotpay.app.iot.ServeApi.DEPOSIT;
import static io.iotpay.app.iot.ServeApi.FARE;
import static io.iotpay.app.iot.ServeApi.PAYER;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.iotpay.foundation.Conditions;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Standard tools as devices, and the attacks at each door visible to the operator, against
 * {@code iotpay serve} as a separate process: Debian's {@code mosquitto_pub} pays with the text
 * connect token from {@code iotpay device token} and an envelope from {@code iotpay device seal};
 * libcoap's {@code coap-client-openssl} pays with the PSK from the device's registration answer.
 * Then the attacks: the same connect token again (REPLAYED), a garbage password (MALFORMED), a token
 * issued two hours ago (EXPIRED), a DTLS handshake with the device's identity and a wrong PSK
 * (BAD_HANDSHAKE_KEY), the first envelope again over HTTP (REPLAYED_COUNTER). Each is refused, and
 * each appears exactly once in the node's log, in {@code /metrics} by door and reason, and at
 * {@code GET /operator/refusals}; the replays moved no money. Skipped with the reason when a tool
 * is missing (.ci/setup.d/60-mosquitto-clients.sh, 10-libcoap.sh, 50-onboarding-openssl.sh).
 */
class ServeDoorsTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String MOSQUITTO_PUB = "/usr/bin/mosquitto_pub";
  private static final String COAP_CLIENT = "/usr/bin/coap-client-openssl";

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void mosquittoPubAndCoapClientPay_andEveryRefusalIsLoggedCountedAndListedOnce(AlgorithmSuite suite) throws Exception {
    Assumptions.assumeTrue(io.iotpay.foundation.TestCommands.works("openssl", "version"), "openssl not on PATH (.ci/setup.d/50-onboarding-openssl.sh)");
    Assumptions.assumeTrue(Files.isExecutable(Path.of(MOSQUITTO_PUB)), MOSQUITTO_PUB + " missing (.ci/setup.d/60-mosquitto-clients.sh)");
    Assumptions.assumeTrue(Files.isExecutable(Path.of(COAP_CLIENT)), COAP_CLIENT + " missing (.ci/setup.d/10-libcoap.sh)");
    Path log = dir.resolve("serve.log");
    Map<String, String> env = Map.of("IOTPAY_MASTER_KEY", HexFormat.of().formatHex(new SecureRandom().generateSeed(16)));
    try (ServeProcess serve = ServeProcess.start(log, env, "--data-dir", dir.resolve("serve").toString(), "--http-port", "0",
        "--mqtt-port", "0", "--coaps-port", "0")) {
      ServeApi api = new ServeApi(serve, dir);
      String mqttPort = port(serve, "  mqtt   tcp://");
      String coapsPort = port(serve, "  coaps  coaps://");
      ServeApi.PayingDevice device = api.payingDevice(suite, "car-7");

      // MQTT: mosquitto_pub as the device, its password the text connect token.
      String token = token(api, suite, device, Instant.now());
      assertThat(token).matches("[A-Za-z0-9_-]+");
      Path first = envelopeFile(api, suite, device, 1);
      ServeApi.Cli published = mosquittoPub(mqttPort, device.id(), token, first);
      assertThat(published.exit()).as(published.out()).isZero();
      awaitApproved(api, device, 1);

      // CoAP: coap-client with the PSK the registration answer gave.
      String psk = device.registration().path("coap_psk").path("key").asText();
      Path second = envelopeFile(api, suite, device, 2);
      ServeApi.Cli posted = coapPost(coapsPort, device.id(), psk, second);
      assertThat(posted.exit()).as(posted.out()).isZero();
      awaitApproved(api, device, 2);

      // The attacks.
      assertBadPassword(mosquittoPub(mqttPort, device.id(), token, first));
      assertBadPassword(mosquittoPub(mqttPort, device.id(), "hunter2", first));
      assertBadPassword(mosquittoPub(mqttPort, device.id(), token(api, suite, device, Instant.now().minus(Duration.ofHours(2))), first));
      assertThat(coapPost(coapsPort, device.id(), "0123456789abcdef0123456789abcdef", second).out()).doesNotContain("2.04");
      assertThat(api.postEnvelope(device.id(), Files.readAllBytes(first)).statusCode()).isEqualTo(409);

      Map<String, List<String>> expected = Map.of("mqtt", List.of("REPLAYED", "MALFORMED", "EXPIRED"), "coap", List.of("BAD_HANDSHAKE_KEY"),
          "http", List.of("REPLAYED_COUNTER"));
      for (Map.Entry<String, List<String>> door : expected.entrySet()) {
        for (String reason : door.getValue()) {
          String line = "Refused at the door [door=" + door.getKey().toUpperCase(Locale.ROOT) + ", channel=" + device.id() + ", reason=" + reason;
          assertThat(Conditions.await(WAIT, () -> logLines(log, line) >= 1)).as("logged: " + line).isTrue();
          assertThat(logLines(log, line)).as("logged once: " + line).isEqualTo(1);
          Pattern metric = Pattern.compile("(?m)^iotpay_door_refusals_total\\{door=\"" + door.getKey() + "\",reason=\"" + reason + "\",?\\} 1\\.0$");
          assertThat(api.getText("/metrics", api.operator).body()).as("counted once").containsPattern(metric);
          JsonNode listed = api.get("/operator/refusals?door=" + door.getKey() + "&reason=" + reason, api.operator).path("refusals");
          assertThat(listed).as("listed once: " + door.getKey() + " " + reason).hasSize(1);
          assertThat(listed.get(0).path("channel").asText()).isEqualTo(device.id());
        }
      }
      // What the node did, in /metrics: one accepted connection at each door (the refused ones are above), two
      // decisions approved, two holds the issuer host approved (0100 answered 00).
      String scrape = api.getText("/metrics", api.operator).body();
      assertThat(scrape).containsPattern(series("iotpay_door_connects_total", "door=\"mqtt\"", 1))
          .containsPattern(series("iotpay_door_connects_total", "door=\"coap\"", 1))
          .containsPattern(series("iotpay_platform_decisions_total", "outcome=\"APPROVED\"", 2))
          .containsPattern(series("iotpay_platform_decisions_total", "outcome=\"DECLINED\"", 0))
          .containsPattern(series("iotpay_authorisations_total", "answered_by=\"issuer\",code=\"00\",mti=\"0100\"", 2));
      JsonNode payer = api.get("/v1/accounts/" + PAYER, api.operator);
      assertThat(payer.path("debits_pending_minor").asLong()).as("two payments held, the replays none").isEqualTo(2 * FARE);
      assertThat(payer.path("available_minor").asLong()).isEqualTo(DEPOSIT - 2 * FARE);
    }
  }

  /** One Prometheus sample line: {@code name{labels} value}. */
  private static Pattern series(String name, String labels, long value) {
    return Pattern.compile("(?m)^" + name + "\\{" + labels + ",?\\} " + value + "\\.0$");
  }

  private static String port(ServeProcess serve, String prefix) {
    String line = serve.startLines().stream().filter(l -> l.startsWith(prefix)).findFirst()
        .orElseThrow(() -> new AssertionError("no line " + prefix + " in " + serve.startLines()));
    return line.substring(line.lastIndexOf(':') + 1).strip();
  }

  private static String token(ServeApi api, AlgorithmSuite suite, ServeApi.PayingDevice device, Instant issuedAt) throws Exception {
    ServeApi.Cli token = api.cli("device", "token", "--suite", suite.name(), "--device", device.id(), "--key", device.key().toString(),
        "--issued-at", issuedAt.toString());
    assertThat(token.exit()).as(token.out()).isZero();
    return token.out().strip();
  }

  private Path envelopeFile(ServeApi api, AlgorithmSuite suite, ServeApi.PayingDevice device, long counter) throws Exception {
    return Files.write(dir.resolve("msg" + counter + ".cose"), api.seal(suite, device, counter));
  }

  private static ServeApi.Cli mosquittoPub(String port, String device, String password, Path envelope) throws Exception {
    return ServeApi.run(List.of(MOSQUITTO_PUB, "-h", "127.0.0.1", "-p", port, "-V", "mqttv5", "-i", device, "-u", device, "-P", password,
        "-q", "1", "-t", "devices/" + device + "/up", "-f", envelope.toString()));
  }

  private ServeApi.Cli coapPost(String port, String device, String psk, Path envelope) throws Exception {
    Path answer = dir.resolve("answer-" + System.nanoTime() + ".cbor");
    return ServeApi.run(new ArrayList<>(List.of(COAP_CLIENT, "-m", "post", "-B", "10", "-u", device, "-k", psk, "-f", envelope.toString(),
        "-o", answer.toString(), "coaps://127.0.0.1:" + port + "/devices/" + device + "/up")));
  }

  private static void assertBadPassword(ServeApi.Cli run) {
    assertThat(run.exit()).as(run.out()).isNotZero();
    assertThat(run.out().toLowerCase(Locale.ROOT)).contains("user name or password");
  }

  private static void awaitApproved(ServeApi api, ServeApi.PayingDevice device, long counter) throws Exception {
    String path = "/v1/payments/" + device.id() + "/" + counter;
    assertThat(Conditions.await(WAIT, () -> status(api, path, device.userToken()) == 200)).as(path + " decided").isTrue();
    assertThat(api.get(path, device.userToken()).path("outcome").asText()).isEqualTo("APPROVED");
  }

  private static int status(ServeApi api, String path, String token) {
    try {
      return api.getText(path, token).statusCode();
    } catch (Exception e) {
      return -1;
    }
  }

  private static long logLines(Path log, String line) {
    try {
      return Files.readAllLines(log, StandardCharsets.UTF_8).stream().filter(l -> l.contains(line)).count();
    } catch (java.io.IOException e) {
      return -1;
    }
  }
}
