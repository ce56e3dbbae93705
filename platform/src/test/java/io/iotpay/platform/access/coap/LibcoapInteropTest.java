package io.iotpay.platform.access.coap;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.agent.sdk.SealedMessage;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Interoperability with an independent CoAP/DTLS stack: libcoap's {@code coap-client} (Debian's
 * libcoap3-bin, 4.3.x, OpenSSL or GnuTLS build) posts an SDK-sealed envelope over DTLS PSK; the SDK
 * verifies the answer it wrote out. Skipped when no coap-client binary is installed.
 */
class LibcoapInteropTest {
  /** Debian installs only the TLS-specific names; other distributions install plain {@code coap-client}. */
  private static final List<String> BINARIES = List.of("coap-client", "coap-client-openssl", "coap-client-gnutls");
  private static final long PROCESS_SECONDS_MAX = 30;

  @TempDir Path tempDir;
  private CoapFixture platform;

  @BeforeEach
  void start() {
    platform = new CoapFixture(tempDir);
  }

  @AfterEach
  void stop() {
    platform.close();
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void coapClientPsk_postsEnvelope_answerVerifiesInSdk(AlgorithmSuite suite) throws Exception {
    Path binary = coapClient().orElse(null);
    Assumptions.assumeTrue(binary != null, "no coap-client on the PATH (apt-get install libcoap3-bin): libcoap test skipped");
    CoapFixture.Device device = platform.enrol(suite, "libcoap-" + suite.name().toLowerCase());
    SealedMessage sent = device.client().seal("dispense 1".getBytes(StandardCharsets.UTF_8), true);
    Path envelope = Files.write(tempDir.resolve("envelope.cbor"), sent.bytes());
    Path answer = tempDir.resolve("answer.cbor");
    String psk = new String(platform.pskDeriver.derive(device.deviceId()), StandardCharsets.US_ASCII);
    Process process = new ProcessBuilder(binary.toString(), "-m", "post", "-u", device.id(), "-k", psk,
        "-f", envelope.toString(), "-o", answer.toString(), "-B", "10",
        "coaps://127.0.0.1:" + platform.server.dtlsAddress().getPort() + "/devices/" + device.id() + "/up")
        .redirectErrorStream(true).redirectOutput(tempDir.resolve("coap-client.log").toFile()).start();
    assertThat(process.waitFor(PROCESS_SECONDS_MAX, TimeUnit.SECONDS)).as("coap-client finished").isTrue();
    String log = Files.readString(tempDir.resolve("coap-client.log"));
    assertThat(process.exitValue()).as("coap-client exit, output: %s", log).isZero();
    byte[] answerBytes = Files.readAllBytes(answer);
    assertThat(new String(device.client().openAnswer(sent, answerBytes), StandardCharsets.UTF_8)).isEqualTo("ok:dispense 1");
    assertThat(platform.inbox.handled).hasValue(1);
  }

  private static Optional<Path> coapClient() throws IOException {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String name : BINARIES) {
      try (Stream<String> dirs = Stream.of(path.split(java.io.File.pathSeparator))) {
        Optional<Path> found = dirs.filter(dir -> !dir.isEmpty()).map(dir -> Path.of(dir, name)).filter(Files::isExecutable).findFirst();
        if (found.isPresent()) {
          return found;
        }
      }
    }
    return Optional.empty();
  }
}
