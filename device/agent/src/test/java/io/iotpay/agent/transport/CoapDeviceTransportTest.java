package io.iotpay.agent.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iotpay.foundation.InvalidInputException;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The device side's own rules; the end-to-end runs against the platform are in the platform module's CoAP tests. */
class CoapDeviceTransportTest {
  private static final byte[] PSK = "00112233445566778899aabbccddeeff".getBytes(StandardCharsets.US_ASCII);

  @Test
  void refusal_readsTheReasonFromTheDiagnostic_retryableOnlyWhenSendingAgainMayWork() {
    assertThat(CoapDeviceTransport.refusal(ResponseCode.CONFLICT, "REPLAYED_COUNTER"))
        .satisfies(e -> assertThat(e.reason()).isEqualTo("REPLAYED_COUNTER"))
        .satisfies(e -> assertThat(e.retryable()).isFalse());
    assertThat(CoapDeviceTransport.refusal(ResponseCode.CONFLICT, "DUPLICATE_IN_PROGRESS").retryable()).isTrue();
    assertThat(CoapDeviceTransport.refusal(ResponseCode.SERVICE_UNAVAILABLE, "UNAVAILABLE").retryable()).isTrue();
    assertThat(CoapDeviceTransport.refusal(ResponseCode.FORBIDDEN, "NOT_AUTHORISED").reason()).isEqualTo("NOT_AUTHORISED");
  }

  @Test
  void refusal_withJunkDiagnostic_namesTheCoapCode() {
    assertThat(CoapDeviceTransport.refusal(ResponseCode.BAD_GATEWAY, "<html>proxy error</html>").reason()).isEqualTo("COAP_BAD_GATEWAY");
    assertThat(CoapDeviceTransport.refusal(ResponseCode.NOT_FOUND, null).reason()).isEqualTo("COAP_NOT_FOUND");
    assertThat(CoapDeviceTransport.refusal(ResponseCode.BAD_REQUEST, "A".repeat(41)).reason()).isEqualTo("COAP_BAD_REQUEST");
    assertThat(CoapDeviceTransport.refusal(ResponseCode.SERVICE_UNAVAILABLE, "").retryable()).isTrue();
  }

  @Test
  void pskOutsideBounds_refused_andNeverPrinted() {
    assertThatThrownBy(() -> new CoapDeviceCredentials.Psk("d1", new byte[15])).isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> new CoapDeviceCredentials.Psk("d1", new byte[65])).isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> new CoapDeviceCredentials.Psk("x".repeat(65), PSK)).isInstanceOf(InvalidInputException.class);
    assertThat(new CoapDeviceCredentials.Psk("d1", PSK).toString()).doesNotContain("0011223344").contains("hidden");
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void x509_needsAP256Key(AlgorithmSuite suite) throws Exception {
    var keys = suite.signature().generateKeyPair(new SecureRandom());
    var certificate = io.iotpay.foundation.crypto.Certificates.issueCa(suite, keys, new io.iotpay.foundation.crypto.Certificates.Profile(
        "CN=d1", java.time.Instant.now().minusSeconds(60), java.time.Instant.now().plusSeconds(3600), java.math.BigInteger.ONE));
    switch (suite) {
      case INTERNATIONAL -> assertThat(new CoapDeviceCredentials.X509(keys.getPrivate(), List.of(certificate), List.of(certificate))
          .toString()).contains("CN=d1").contains("key hidden");
      case NATIONAL -> assertThatThrownBy(() -> new CoapDeviceCredentials.X509(keys.getPrivate(), List.of(certificate), List.of(certificate)))
          .isInstanceOf(InvalidInputException.class).hasMessageContaining("SM2 devices use a PSK");
    }
  }

  @Test
  void silentServer_timesOutRetryable() throws Exception {
    try (DatagramSocket blackHole = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        CoapDeviceTransport transport = new CoapDeviceTransport(new InetSocketAddress(InetAddress.getLoopbackAddress(),
            blackHole.getLocalPort()), "d1", new CoapDeviceCredentials.Psk("d1", PSK), Duration.ofMillis(100))) {
      var sent = transport.send(new byte[] {1, 2, 3});
      DatagramPacket hello = new DatagramPacket(new byte[2048], 2048);
      blackHole.receive(hello);
      assertThat(hello.getData()[0]).as("a DTLS handshake record").isEqualTo((byte) 22);
      assertThatThrownBy(() -> sent.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
          .cause().isInstanceOfSatisfying(TransportException.class, e -> {
            assertThat(e.reason()).isIn("TIMEOUT", "CONNECTION");
            assertThat(e.retryable()).isTrue();
          });
    }
  }

  @Test
  void emptyEnvelopeOrBadSettings_refusedUpFront() throws Exception {
    InetSocketAddress server = new InetSocketAddress(InetAddress.getLoopbackAddress(), 5684);
    var psk = new CoapDeviceCredentials.Psk("d1", PSK);
    assertThatThrownBy(() -> new CoapDeviceTransport(server, "d1", psk, Duration.ofMillis(10))).isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> new CoapDeviceTransport(server, "", psk, Duration.ofSeconds(1))).isInstanceOf(InvalidInputException.class);
    try (CoapDeviceTransport transport = new CoapDeviceTransport(server, "d1", psk, Duration.ofSeconds(1))) {
      assertThatThrownBy(() -> transport.send(new byte[0]).get(5, TimeUnit.SECONDS)).cause()
          .isInstanceOfSatisfying(TransportException.class, e -> assertThat(e.reason()).isEqualTo("MALFORMED"));
    }
  }
}
