package io.iotpay.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.iotpay.agent.sdk.DeviceCsr;
import io.iotpay.agent.sdk.SoftwareDeviceSigner;
import io.iotpay.app.cli.CryptoCommandTest.Result;
import io.iotpay.app.iot.IotNode;
import io.iotpay.app.iot.IotServer;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.Pem;
import io.iotpay.foundation.time.BusinessDayRule;
import io.iotpay.foundation.time.ManualBusinessClock;
import io.iotpay.platform.identity.DeviceRecord;
import io.iotpay.platform.operator.UserTokens;
import io.iotpay.platform.risk.RiskConfig;
import io.iotpay.protocol.cose.Cose;
import io.iotpay.protocol.cose.SignedMessage;
import io.iotpay.protocol.device.DeviceMessageCodec;
import io.iotpay.protocol.device.PlatformAnswer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@code iotpay envelope seal|open} through picocli, against a real node's HTTP door. */
class DeviceEnvelopeCommandTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Instant T0 = Instant.parse("2026-05-01T08:00:00Z");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String EVENT = "{\"kind\":\"event\",\"device_type\":\"washing-machine\",\"fields\":{\"detergentLevelPercent\":\"80\"}}";

  @TempDir Path tempDir;

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void sealedEnvelope_isAcceptedByTheHttpDoor_andOpenPrintsItsPayload(AlgorithmSuite suite) throws Exception {
    ManualBusinessClock clock = new ManualBusinessClock(T0, BusinessDayRule.UTC_MIDNIGHT);
    KeyPair auditKey = suite.signature().generateKeyPair(RANDOM);
    byte[] psk = new byte[32];
    RANDOM.nextBytes(psk);
    IotServer.Options options = new IotServer.Options("127.0.0.1", -1, -1, 0, tempDir, "operator-" + "t".repeat(32),
        UserTokens.inMemory(Map.of()), (user, account) -> false, psk, 2, 64);
    try (IotNode node = new IotNode(tempDir.resolve("node.db"), clock, suite, auditKey, RiskConfig.defaults(), RANDOM);
        IotServer server = IotServer.start(node, options, RANDOM);
        HttpClient http = HttpClient.newHttpClient()) {
      SoftwareDeviceSigner signer = SoftwareDeviceSigner.generate("washer-cli-1", suite, RANDOM);
      DeviceRecord device = node.identity.registerFromCsr(suite, DeviceCsr.create(signer), clock.now());
      Path key = Files.writeString(tempDir.resolve("device-key.pem"), Pem.write(signer.keyPair().getPrivate()));
      Path cert = Files.writeString(tempDir.resolve("device-cert.pem"), Pem.write(device.certificate()));

      Result sealed = CryptoCommandTest.run("envelope", "seal", "--suite", suite.name(), "--key", key.toString(), "--device", "washer-cli-1",
          "--counter", "1", "--payload-json", EVENT);
      assertThat(sealed.err()).isEmpty();
      assertThat(sealed.exit()).isZero();
      String envelope = sealed.out().strip();

      HttpResponse<byte[]> answer = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.http.port()
              + "/v1/devices/washer-cli-1/messages")).header("Content-Type", "application/cose")
          .POST(HttpRequest.BodyPublishers.ofByteArray(Base64.getDecoder().decode(envelope))).build(), HttpResponse.BodyHandlers.ofByteArray());
      assertThat(answer.statusCode()).as(new String(answer.body())).isEqualTo(200);
      SignedMessage signedAnswer = SignedMessage.parse(answer.body());
      assertThat(signedAnswer.replyTo()).isEqualTo(1);
      assertThat(DeviceMessageCodec.decodeAnswer(signedAnswer.payload()).status()).isEqualTo(PlatformAnswer.Status.OK);

      Result opened = CryptoCommandTest.run("envelope", "open", "--suite", suite.name(), "--cert", cert.toString(), envelope);
      assertThat(opened.err()).isEmpty();
      assertThat(opened.exit()).isZero();
      JsonNode printed = JSON.readTree(opened.out());
      assertThat(printed.path("device").asText()).isEqualTo("washer-cli-1");
      assertThat(printed.path("counter").asLong()).isEqualTo(1);
      assertThat(printed.path("encrypted").asBoolean()).isFalse();
      assertThat(printed.path("payload")).isEqualTo(JSON.readTree(EVENT));

      HttpResponse<String> replay = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.http.port()
              + "/v1/devices/washer-cli-1/messages")).POST(HttpRequest.BodyPublishers.ofByteArray(sealedWith(suite, key, 1))).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(replay.statusCode()).isEqualTo(409);
      assertThat(replay.body()).contains("REPLAYED_COUNTER");
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void encryptedPayload_opensOnlyWithThePayloadKey_andBadEnvelopesExit2WithOneLine(AlgorithmSuite suite) throws Exception {
    SoftwareDeviceSigner signer = SoftwareDeviceSigner.generate("meter-cli-2", suite, RANDOM);
    SoftwareDeviceSigner other = SoftwareDeviceSigner.generate("meter-cli-3", suite, RANDOM);
    Path key = Files.writeString(tempDir.resolve("key.pem"), Pem.write(signer.keyPair().getPrivate()));
    Path cert;
    Path otherCert;
    ManualBusinessClock clock = new ManualBusinessClock(T0, BusinessDayRule.UTC_MIDNIGHT);
    try (IotNode node = new IotNode(tempDir.resolve("node.db"), clock, suite, suite.signature().generateKeyPair(RANDOM),
        RiskConfig.defaults(), RANDOM)) {
      cert = Files.writeString(tempDir.resolve("cert.pem"),
          Pem.write(node.identity.registerFromCsr(suite, DeviceCsr.create(signer), clock.now()).certificate()));
      otherCert = Files.writeString(tempDir.resolve("other.pem"),
          Pem.write(node.identity.registerFromCsr(suite, DeviceCsr.create(other), clock.now()).certificate()));
    }
    byte[] payloadKey = new byte[16];
    RANDOM.nextBytes(payloadKey);
    String keyHex = HexFormat.of().formatHex(payloadKey);
    String status = "{\"kind\":\"status\",\"firmware\":\"1.2.3\",\"tampered\":false,\"latitude_micro\":31230416,\"longitude_micro\":121473701}";
    Result sealed = CryptoCommandTest.run("envelope", "seal", "--suite", suite.name(), "--key", key.toString(), "--device", "meter-cli-2",
        "--counter", "7", "--payload-json", status, "--payload-key", keyHex, "--hex");
    assertThat(sealed.exit()).as(sealed.err()).isZero();
    String envelope = sealed.out().strip();
    assertThat(SignedMessage.parse(HexFormat.of().parseHex(envelope)).payloadKind()).isEqualTo(Cose.PAYLOAD_ENCRYPT0);

    Result opened = CryptoCommandTest.run("envelope", "open", "--suite", suite.name(), "--cert", cert.toString(), "--payload-key", keyHex,
        "--hex", envelope);
    assertThat(opened.exit()).as(opened.err()).isZero();
    assertThat(JSON.readTree(opened.out()).path("payload")).isEqualTo(JSON.readTree(status));

    byte[] flipped = HexFormat.of().parseHex(envelope);
    flipped[flipped.length - 1] ^= 1;
    AlgorithmSuite otherSuite = suite == AlgorithmSuite.INTERNATIONAL ? AlgorithmSuite.NATIONAL : AlgorithmSuite.INTERNATIONAL;
    String[][] bad = {
        {"--cert", cert.toString(), "--hex", envelope},
        {"--cert", cert.toString(), "--payload-key", "00".repeat(16), "--hex", envelope},
        {"--cert", otherCert.toString(), "--payload-key", keyHex, "--hex", envelope},
        {"--cert", cert.toString(), "--payload-key", keyHex, "--hex", HexFormat.of().formatHex(flipped)},
        {"--cert", cert.toString(), "--payload-key", keyHex, "--hex", envelope.substring(0, envelope.length() - 10)},
        {"--cert", cert.toString(), "--payload-key", keyHex, "not-base64!"},
        {"--cert", cert.toString(), "--payload-key", keyHex, "--hex", "a0"},
    };
    for (String[] args : bad) {
      String[] full = new String[args.length + 4];
      full[0] = "envelope";
      full[1] = "open";
      full[2] = "--suite";
      full[3] = suite.name();
      System.arraycopy(args, 0, full, 4, args.length);
      Result refused = CryptoCommandTest.run(full);
      assertThat(refused.exit()).as(String.join(" ", args)).isEqualTo(2);
      assertThat(refused.out()).isEmpty();
      assertThat(refused.err().strip().lines().count()).as(refused.err()).isEqualTo(1);
    }
    Result wrongSuite = CryptoCommandTest.run("envelope", "open", "--suite", otherSuite.name(), "--cert", cert.toString(), "--hex", envelope);
    assertThat(wrongSuite.exit()).isEqualTo(2);
    Result badJson = CryptoCommandTest.run("envelope", "seal", "--suite", suite.name(), "--key", key.toString(), "--device", "meter-cli-2",
        "--counter", "8", "--payload-json", "{\"kind\":\"event\",\"device_type\":\"x\",\"fields\":{},\"extra\":1}");
    assertThat(badJson.exit()).isEqualTo(2);
    assertThat(badJson.err()).contains("unknown field 'extra'");
  }

  private static byte[] sealedWith(AlgorithmSuite suite, Path key, long counter) {
    Result sealed = CryptoCommandTest.run("envelope", "seal", "--suite", suite.name(), "--key", key.toString(), "--device", "washer-cli-1",
        "--counter", Long.toString(counter), "--payload-json", "{\"kind\":\"delivery\",\"payment_counter\":1,\"delivered\":true}");
    assertThat(sealed.exit()).as(sealed.err()).isZero();
    return Base64.getDecoder().decode(sealed.out().strip());
  }
}
