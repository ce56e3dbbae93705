package io.iotpay.platform.access.coap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iotpay.agent.sdk.SealedMessage;
import io.iotpay.agent.transport.CoapDeviceCredentials;
import io.iotpay.agent.transport.CoapDeviceTransport;
import io.iotpay.agent.transport.TransportException;
import io.iotpay.foundation.InvalidInputException;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.platform.inbox.DeviceInbox;
import io.iotpay.platform.inbox.DeviceInbox.ConnectivityEvent;
import io.iotpay.platform.identity.DeviceId;
import io.iotpay.platform.identity.Pki;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.Message;
import org.eclipse.californium.core.coap.Response;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.elements.config.UdpConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The CoAP access server over real UDP and DTLS, driven by the SDK's CoapDeviceTransport and a raw Californium client. */
class CoapAccessServerTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  /** Debian installs only the TLS-specific names; other distributions install plain {@code coap-client}. */
  private static final List<String> LIBCOAP_BINARIES = List.of("coap-client", "coap-client-openssl", "coap-client-gnutls");
  private static final long LIBCOAP_SECONDS_MAX = 30;

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
  void pskDevice_postsEnvelope_gets204AnswerVerifiedBySdk(AlgorithmSuite suite) throws Exception {
    CoapFixture.Device device = platform.enrol(suite, "washer-" + suite.name().toLowerCase());
    SealedMessage sent = device.client().seal("wash 40".getBytes(StandardCharsets.UTF_8), true);
    try (CoapDeviceTransport transport = platform.pskTransport(device.id())) {
      byte[] answer = transport.send(sent.bytes()).get(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertThat(new String(device.client().openAnswer(sent, answer), StandardCharsets.UTF_8)).isEqualTo("ok:wash 40");
    }
    assertThat(platform.inbox.handled).hasValue(1);
    await(() -> platform.inbox.eventsOf(device.id()).containsAll(List.of(ConnectivityEvent.CONNECTED, ConnectivityEvent.HEARTBEAT)));
    String connectedSession = platform.inbox.connectivity.stream()
        .filter(c -> c.event() == ConnectivityEvent.CONNECTED).findFirst().orElseThrow().sessionId();
    assertThat(connectedSession).matches("dtls/[0-9A-Fa-f]{2,64}");
    assertThat(platform.inbox.deliverySessions).containsExactly(connectedSession);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void x509Device_internationalHandshakes_nationalMustUsePsk(AlgorithmSuite suite) throws Exception {
    CoapFixture.Device device = platform.enrol(suite, "meter-" + suite.name().toLowerCase());
    switch (suite) {
      case INTERNATIONAL -> {
        SealedMessage sent = device.client().seal("read".getBytes(StandardCharsets.UTF_8), false);
        try (CoapDeviceTransport transport = platform.x509Transport(device, CoapFixture.ACK_TIMEOUT)) {
          byte[] answer = transport.send(sent.bytes()).get(WAIT.toSeconds(), TimeUnit.SECONDS);
          assertThat(new String(device.client().openAnswer(sent, answer), StandardCharsets.UTF_8)).isEqualTo("ok:read");
        }
        await(() -> platform.inbox.eventsOf(device.id()).contains(ConnectivityEvent.CONNECTED));
      }
      case NATIONAL -> assertThatThrownBy(() -> platform.x509Transport(device, CoapFixture.ACK_TIMEOUT))
          .isInstanceOf(InvalidInputException.class).hasMessageContaining("SM2 devices use a PSK");
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void x509UnknownDeviceOfRegisteredManufacturer_provisionedJustInTime(AlgorithmSuite suite) throws Exception {
    Pki.Ca manufacturer = Pki.manufacturerCa(suite, "CN=Acme modems " + suite + ", O=Acme");
    platform.identity.registerManufacturerCa(suite, manufacturer.certificate(), Pki.T0);
    String id = "acme-" + suite.name().toLowerCase();
    java.security.KeyPair keys = suite.signature().generateKeyPair(CoapFixture.RANDOM);
    CoapFixture.Device device = platform.device(suite, id, keys, manufacturer.issue(suite, id, keys.getPublic()));
    switch (suite) {
      case INTERNATIONAL -> {
        SealedMessage sent = device.client().seal("first words".getBytes(StandardCharsets.UTF_8), false);
        try (CoapDeviceTransport transport = platform.x509Transport(device, CoapFixture.ACK_TIMEOUT)) {
          byte[] answer = transport.send(sent.bytes()).get(WAIT.toSeconds(), TimeUnit.SECONDS);
          assertThat(device.client().openAnswer(sent, answer)).asString(StandardCharsets.UTF_8).isEqualTo("ok:first words");
        }
        assertThat(platform.identity.deviceForMessage(device.deviceId())).hasValueSatisfying(record ->
            assertThat(record.origin()).isEqualTo(io.iotpay.platform.identity.RegistrationOrigin.JUST_IN_TIME));
      }
      case NATIONAL -> assertThatThrownBy(() -> platform.x509Transport(device, CoapFixture.ACK_TIMEOUT))
          .isInstanceOf(InvalidInputException.class).hasMessageContaining("SM2 devices use a PSK");
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void x509Device_withAnotherKeyForItsId_handshakeRefused(AlgorithmSuite suite) throws Exception {
    CoapFixture.Device device = platform.enrol(AlgorithmSuite.INTERNATIONAL, "clone-" + suite.name().toLowerCase());
    Pki.Ca forger = Pki.manufacturerCa(AlgorithmSuite.INTERNATIONAL, "CN=forger");
    java.security.KeyPair cloneKeys = AlgorithmSuite.INTERNATIONAL.signature().generateKeyPair(CoapFixture.RANDOM);
    CoapFixture.Device clone = new CoapFixture.Device(device.id(), device.suite(), cloneKeys, device.client(),
        forger.issue(AlgorithmSuite.INTERNATIONAL, device.id(), cloneKeys.getPublic()));
    SealedMessage sent = device.client().seal("x".getBytes(StandardCharsets.UTF_8), false);
    long before = refusals("BAD_CERTIFICATE");
    try (CoapDeviceTransport transport = platform.x509Transport(clone, CoapFixture.ACK_TIMEOUT_REFUSED)) {
      assertRefusedWithoutDelivery(() -> transport.send(sent.bytes()).get(WAIT.toSeconds(), TimeUnit.SECONDS), "CONNECTION", "TIMEOUT");
    }
    // Each failed handshake is in the security log (the client may retry its handshake, so at least one).
    assertThat(refusals("BAD_CERTIFICATE")).isGreaterThan(before);
    assertThat(platform.inbox.security.latest()).last().satisfies(e -> assertThat(e.detail()).contains("certificate refused"));
  }

  private long refusals(String reason) {
    return platform.inbox.security.count(new io.iotpay.platform.inbox.SecurityEventLog.DoorReason(io.iotpay.platform.inbox.Transport.COAP, reason));
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void unknownPskIdentity_handshakeFails_inboxNotCalled(AlgorithmSuite suite) throws Exception {
    CoapFixture.Device device = platform.enrol(suite, "known-" + suite.name().toLowerCase());
    SealedMessage sent = device.client().seal("x".getBytes(StandardCharsets.UTF_8), false);
    long before = refusals("UNKNOWN_PSK_IDENTITY");
    try (CoapDeviceTransport ghost = new CoapDeviceTransport(platform.server.dtlsAddress(), "ghost",
        platform.psk("ghost"), CoapFixture.ACK_TIMEOUT_REFUSED)) {
      assertRefusedWithoutDelivery(() -> ghost.send(sent.bytes()).get(WAIT.toSeconds(), TimeUnit.SECONDS), "CONNECTION", "TIMEOUT");
    }
    assertThat(refusals("UNKNOWN_PSK_IDENTITY")).isGreaterThan(before);
    assertThat(platform.inbox.security.latest()).anySatisfy(e -> {
      assertThat(e.channelDevice()).isEqualTo("ghost");
      assertThat(e.detail()).contains("not registered");
    });
    // A known identity with a wrong key: its Finished fails (retransmitted several times), recorded once with the identity.
    long badKeyBefore = refusals(HandshakeFailures.BAD_HANDSHAKE_KEY);
    byte[] wrongKey = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    try (CoapDeviceTransport impostor = new CoapDeviceTransport(platform.server.dtlsAddress(), device.id(),
        new CoapDeviceCredentials.Psk(device.id(), wrongKey), CoapFixture.ACK_TIMEOUT_REFUSED)) {
      assertRefusedWithoutDelivery(() -> impostor.send(sent.bytes()).get(WAIT.toSeconds(), TimeUnit.SECONDS), "CONNECTION", "TIMEOUT");
    }
    await(() -> refusals(HandshakeFailures.BAD_HANDSHAKE_KEY) > badKeyBefore);
    assertThat(refusals(HandshakeFailures.BAD_HANDSHAKE_KEY)).as("one handshake, one record").isEqualTo(badKeyBefore + 1);
    assertThat(platform.inbox.security.latest()).anySatisfy(e -> {
      assertThat(e.reason()).isEqualTo(HandshakeFailures.BAD_HANDSHAKE_KEY);
      assertThat(e.channelDevice()).isEqualTo(device.id());
    });
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void suspendedDevice_getsNoPsk(AlgorithmSuite suite) throws Exception {
    CoapFixture.Device device = platform.enrol(suite, "paused-" + suite.name().toLowerCase());
    platform.identity.suspend(device.deviceId(), "test", Pki.T0);
    SealedMessage sent = device.client().seal("x".getBytes(StandardCharsets.UTF_8), false);
    try (CoapDeviceTransport transport = platform.pskTransport(device.id(), CoapFixture.ACK_TIMEOUT_REFUSED)) {
      assertRefusedWithoutDelivery(() -> transport.send(sent.bytes()).get(WAIT.toSeconds(), TimeUnit.SECONDS), "CONNECTION", "TIMEOUT");
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void pathOfAnotherDevice_403_inboxNotCalled(AlgorithmSuite suite) {
    CoapFixture.Device mallory = platform.enrol(suite, "mallory-" + suite.name().toLowerCase());
    CoapFixture.Device victim = platform.enrol(suite, "victim-" + suite.name().toLowerCase());
    byte[] envelope = victim.client().seal("pay".getBytes(StandardCharsets.UTF_8), false).bytes();
    try (RawDtlsClient client = new RawDtlsClient(platform.server.dtlsAddress(), platform.psk(mallory.id()))) {
      CoapResponse response = client.post("devices/" + victim.id() + "/up", envelope);
      assertThat(response.getCode()).isEqualTo(ResponseCode.FORBIDDEN);
      assertThat(response.getResponseText()).isEqualTo("NOT_AUTHORISED");
      assertThat(client.post("devices/" + mallory.id() + "/up/../up", envelope).getCode()).isEqualTo(ResponseCode.NOT_FOUND);
    }
    assertThat(platform.inbox.deliveries).hasValue(0);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void envelopeOfAnotherDevice_onOwnPath_403ChannelMismatch(AlgorithmSuite suite) {
    CoapFixture.Device mallory = platform.enrol(suite, "relay-" + suite.name().toLowerCase());
    CoapFixture.Device victim = platform.enrol(suite, "payer-" + suite.name().toLowerCase());
    byte[] envelope = victim.client().seal("pay".getBytes(StandardCharsets.UTF_8), false).bytes();
    try (RawDtlsClient client = new RawDtlsClient(platform.server.dtlsAddress(), platform.psk(mallory.id()))) {
      CoapResponse response = client.post("devices/" + mallory.id() + "/up", envelope);
      assertThat(response.getCode()).isEqualTo(ResponseCode.FORBIDDEN);
      assertThat(response.getResponseText()).isEqualTo("CHANNEL_MISMATCH");
    }
    assertThat(platform.inbox.handled).hasValue(0);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void oversizedBody_refusedBeforeInbox(AlgorithmSuite suite) {
    CoapFixture.Device device = platform.enrol(suite, "big-" + suite.name().toLowerCase());
    byte[] body = new byte[CoapAccessConfig.ENVELOPE_BYTES_MAX_DEFAULT + 1];
    CoapFixture.RANDOM.nextBytes(body);
    try (RawDtlsClient client = new RawDtlsClient(platform.server.dtlsAddress(), platform.psk(device.id()))) {
      CoapResponse response = client.post("devices/" + device.id() + "/up", body);
      assertThat(response.getCode()).isEqualTo(ResponseCode.REQUEST_ENTITY_TOO_LARGE);
      // a body of the largest allowed size goes through Block1 and reaches the inbox (refused there as junk)
      CoapResponse largest = client.post("devices/" + device.id() + "/up", java.util.Arrays.copyOf(body, body.length - 1));
      assertThat(largest.getCode()).isEqualTo(ResponseCode.BAD_REQUEST);
      assertThat(largest.getResponseText()).isEqualTo("MALFORMED");
    }
    assertThat(platform.inbox.deliveries).hasValue(1);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void replayedCounter_409_notRetryable(AlgorithmSuite suite) throws Exception {
    CoapFixture.Device device = platform.enrol(suite, "replay-" + suite.name().toLowerCase());
    SealedMessage first = device.client().seal("one".getBytes(StandardCharsets.UTF_8), false);
    SealedMessage second = device.client().seal("two".getBytes(StandardCharsets.UTF_8), false);
    try (CoapDeviceTransport transport = platform.pskTransport(device.id())) {
      transport.send(first.bytes()).get(WAIT.toSeconds(), TimeUnit.SECONDS);
      byte[] again = transport.send(first.bytes()).get(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertThat(device.client().openAnswer(first, again)).asString(StandardCharsets.UTF_8).isEqualTo("ok:one");
      transport.send(second.bytes()).get(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertThatThrownBy(() -> transport.send(first.bytes()).get(WAIT.toSeconds(), TimeUnit.SECONDS))
          .cause().isInstanceOfSatisfying(TransportException.class, e -> {
            assertThat(e.reason()).isEqualTo("REPLAYED_COUNTER");
            assertThat(e.retryable()).isFalse();
          });
    }
    assertThat(platform.inbox.handled).hasValue(2);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void sameConRetransmittedFiveTimes_handledOnce_sameAnswer(AlgorithmSuite suite) {
    CoapFixture.Device device = platform.enrol(suite, "retry-" + suite.name().toLowerCase());
    SealedMessage sent = device.client().seal("once".getBytes(StandardCharsets.UTF_8), false);
    byte[] datagram = RawDtlsClient.conPost(platform.server.dtlsAddress(), "devices/" + device.id() + "/up", sent.bytes(), 4711);
    List<Message> received = new CopyOnWriteArrayList<>();
    try (RawDtlsClient client = new RawDtlsClient(platform.server.dtlsAddress(), platform.psk(device.id()), received::add)) {
      for (int copy = 1; copy <= 5; copy++) {
        client.sendDatagram(datagram);
        int expected = copy;
        await(() -> received.size() >= expected);
      }
    }
    assertThat(received).hasSize(5).allSatisfy(message -> {
      assertThat(message).isInstanceOf(Response.class);
      assertThat(((Response) message).getCode()).isEqualTo(ResponseCode.CHANGED);
      assertThat(message.getMID()).isEqualTo(4711);
      assertThat(message.getPayload()).isEqualTo(received.get(0).getPayload());
    });
    assertThat(device.client().openAnswer(sent, received.get(0).getPayload())).asString(StandardCharsets.UTF_8).isEqualTo("ok:once");
    assertThat(platform.inbox.deliveries).hasValue(1);
    assertThat(platform.inbox.handled).hasValue(1);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void emptyConPing_isAHeartbeat(AlgorithmSuite suite) {
    CoapFixture.Device device = platform.enrol(suite, "pinger-" + suite.name().toLowerCase());
    try (RawDtlsClient client = new RawDtlsClient(platform.server.dtlsAddress(), platform.psk(device.id()))) {
      assertThat(client.ping()).isTrue();
      await(() -> platform.inbox.eventsOf(device.id()).contains(ConnectivityEvent.HEARTBEAT));
      assertThat(platform.inbox.eventsOf(device.id())).contains(ConnectivityEvent.CONNECTED);
    }
    assertThat(platform.inbox.deliveries).hasValue(0);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void plainUdp_offByDefault_whenConfiguredThePathNamesTheChannel(AlgorithmSuite suite) throws Exception {
    assertThat(platform.server.plainUdpAddress()).isEmpty();
    try (CoapFixture proxied = new CoapFixture(tempDir, true)) {
      CoapFixture.Device device = proxied.enrol(suite, "proxied-" + suite.name().toLowerCase());
      CoapFixture.Device other = proxied.enrol(suite, "other-" + suite.name().toLowerCase());
      SealedMessage sent = device.client().seal("hi".getBytes(StandardCharsets.UTF_8), false);
      int port = proxied.server.plainUdpAddress().orElseThrow().getPort();
      CoapClient client = new CoapClient("coap://127.0.0.1:" + port + "/devices/" + device.id() + "/up");
      // an explicit endpoint: Californium's default one would write Californium3.properties into the working directory
      CoapEndpoint endpoint = new CoapEndpoint.Builder()
          .setConfiguration(new Configuration(CoapConfig.DEFINITIONS, UdpConfig.DEFINITIONS)).build();
      client.setEndpoint(endpoint);
      try {
        CoapResponse answer = client.post(sent.bytes(), UplinkResource.CONTENT_FORMAT_COSE_SIGN1);
        assertThat(answer.getCode()).isEqualTo(ResponseCode.CHANGED);
        assertThat(answer.getOptions().getContentFormat()).isEqualTo(UplinkResource.CONTENT_FORMAT_COSE_SIGN1);
        assertThat(device.client().openAnswer(sent, answer.getPayload())).asString(StandardCharsets.UTF_8).isEqualTo("ok:hi");
        byte[] foreign = other.client().seal("pay".getBytes(StandardCharsets.UTF_8), false).bytes();
        assertThat(client.post(foreign, UplinkResource.CONTENT_FORMAT_COSE_SIGN1).getResponseText()).isEqualTo("CHANNEL_MISMATCH");
        assertThat(proxied.inbox.deliverySessions).allSatisfy(session -> assertThat(session).startsWith("udp/"));
      } finally {
        client.shutdown();
        endpoint.destroy();
      }
      assertThat(proxied.inbox.handled).hasValue(1);
    }
  }

  /**
   * Interoperability with an independent CoAP/DTLS stack: libcoap's {@code coap-client} (Debian's
   * libcoap3-bin, 4.3.x) posts an SDK-sealed envelope over DTLS PSK, the key given as text with
   * {@code -k}; the SDK verifies the answer it wrote out. Skipped when no coap-client is installed.
   */
  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void libcoapClientPsk_postsEnvelope_answerVerifiesInSdk(AlgorithmSuite suite) throws Exception {
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
    assertThat(process.waitFor(LIBCOAP_SECONDS_MAX, TimeUnit.SECONDS)).as("coap-client finished").isTrue();
    String log = Files.readString(tempDir.resolve("coap-client.log"));
    assertThat(process.exitValue()).as("coap-client exit, output: %s", log).isZero();
    byte[] answerBytes = Files.readAllBytes(answer);
    assertThat(new String(device.client().openAnswer(sent, answerBytes), StandardCharsets.UTF_8)).isEqualTo("ok:dispense 1");
    assertThat(platform.inbox.handled).hasValue(1);
  }

  private static Optional<Path> coapClient() throws IOException {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String name : LIBCOAP_BINARIES) {
      try (Stream<String> dirs = Stream.of(path.split(java.io.File.pathSeparator))) {
        Optional<Path> found = dirs.filter(dir -> !dir.isEmpty()).map(dir -> Path.of(dir, name)).filter(Files::isExecutable).findFirst();
        if (found.isPresent()) {
          return found;
        }
      }
    }
    return Optional.empty();
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void inboxThatThrows_503Unavailable_retryable(AlgorithmSuite suite) throws Exception {
    CoapFixture.Device device = platform.enrol(suite, "broken-" + suite.name().toLowerCase());
    DeviceInbox broken = new DeviceInbox() {
      @Override
      public io.iotpay.platform.inbox.Reply deliver(io.iotpay.platform.inbox.Transport transport, DeviceId channel, byte[] envelope) {
        throw new IllegalStateException("store down");
      }

      @Override
      public void connectivity(io.iotpay.platform.inbox.Transport transport, DeviceId device, ConnectivityEvent event, String sessionId) {
        throw new IllegalStateException("store down");
      }
    };
    try (CoapAccessServer server = CoapAccessServer.start(CoapAccessConfig.builder().dtlsAddress(new InetSocketAddress("127.0.0.1", 0))
            .build(), platform.identity, platform.pskDeriver, broken);
        CoapDeviceTransport transport = new CoapDeviceTransport(server.dtlsAddress(), device.id(), platform.psk(device.id()),
            CoapFixture.ACK_TIMEOUT)) {
      byte[] envelope = device.client().seal("x".getBytes(StandardCharsets.UTF_8), false).bytes();
      assertThatThrownBy(() -> transport.send(envelope).get(WAIT.toSeconds(), TimeUnit.SECONDS)).cause()
          .isInstanceOfSatisfying(TransportException.class, e -> {
            assertThat(e.reason()).isEqualTo("UNAVAILABLE");
            assertThat(e.retryable()).isTrue();
          });
    }
  }

  private void assertRefusedWithoutDelivery(ThrowingCall call, String... reasons) {
    assertThatThrownBy(call::run).isInstanceOf(ExecutionException.class)
        .cause().isInstanceOfSatisfying(TransportException.class, e -> assertThat(e.reason()).isIn((Object[]) reasons));
    assertThat(platform.inbox.deliveries).hasValue(0);
  }

  @FunctionalInterface
  private interface ThrowingCall {
    void run() throws Exception;
  }

  /** Waits until {@code condition} holds, failing after {@link #WAIT}. */
  static void await(BooleanSupplier condition) {
    assertThat(io.iotpay.foundation.Conditions.await(WAIT, condition)).as("condition met within %s", WAIT).isTrue();
  }
}
