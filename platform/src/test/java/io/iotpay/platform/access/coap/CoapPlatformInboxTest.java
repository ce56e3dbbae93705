package io.iotpay.platform.access.coap;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.agent.sdk.DeviceCsr;
import io.iotpay.agent.sdk.EnvelopeClient;
import io.iotpay.agent.sdk.InMemoryMessageCounter;
import io.iotpay.agent.sdk.PlatformTrust;
import io.iotpay.agent.sdk.SealedMessage;
import io.iotpay.agent.sdk.SoftwareDeviceSigner;
import io.iotpay.agent.transport.CoapDeviceCredentials;
import io.iotpay.agent.transport.CoapDeviceTransport;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import io.iotpay.platform.decision.PlatformFixture;
import io.iotpay.platform.identity.DeviceId;
import io.iotpay.platform.envelope.CounterStore;
import io.iotpay.platform.envelope.EnvelopeService;
import io.iotpay.platform.envelope.PlatformSigningKey;
import io.iotpay.platform.identity.DeviceRegistry;
import io.iotpay.platform.identity.IdentityConfig;
import io.iotpay.platform.identity.IdentityService;
import io.iotpay.platform.identity.Pki;
import io.iotpay.platform.inbox.InboxPipeline;
import io.iotpay.platform.inbox.PlatformInbox;
import io.iotpay.platform.inbox.SecurityEventLog;
import io.iotpay.platform.rules.BillerDirectory;
import io.iotpay.platform.rules.BuiltInRules;
import io.iotpay.platform.rules.RuleEngine;
import io.iotpay.protocol.device.DeviceMessageCodec;
import io.iotpay.protocol.device.DeviceRequest;
import io.iotpay.protocol.device.PlatformAnswer;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The CoAP server in front of the real platform inbox (the batching pipeline over PlatformInbox). */
class CoapPlatformInboxTest {
  private static final SecureRandom RANDOM = new SecureRandom();

  @TempDir Path tempDir;

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void washerOverCoap_eventAnsweredByThePlatform_duplicateAnsweredAlike(AlgorithmSuite suite) throws Exception {
    try (PlatformFixture platform = new PlatformFixture(suite, tempDir)) {
      IdentityService identity = new IdentityService(new DeviceRegistry(platform.database), Map.of(suite, Pki.deviceCa(suite)),
          IdentityConfig.defaults());
      PlatformSigningKey answerKey = new PlatformSigningKey(suite, "platform-answers-1", suite.signature().generateKeyPair(RANDOM));
      byte[] payloadKey = new byte[16];
      RANDOM.nextBytes(payloadKey);
      EnvelopeService envelopes = new EnvelopeService(identity, new CounterStore(platform.database), Map.of(suite, answerKey),
          id -> java.util.Optional.of(new SecretKeyBytes(payloadKey)), EnvelopeService.ENVELOPE_BYTES_MAX_DEFAULT, RANDOM);
      RuleEngine rules = new RuleEngine(BuiltInRules.book(), new BillerDirectory());
      platform.service.addListener(rules);
      PlatformInbox core = new PlatformInbox(envelopes, platform.states, rules, platform.service, platform.clock,
          new SecurityEventLog(1_000, 100));
      byte[] masterKey = new byte[DevicePskDeriver.MASTER_KEY_BYTES_MIN];
      RANDOM.nextBytes(masterKey);
      DevicePskDeriver deriver = new DevicePskDeriver(masterKey);

      KeyPair keys = suite.signature().generateKeyPair(RANDOM);
      SoftwareDeviceSigner signer = new SoftwareDeviceSigner("washer-coap", suite, keys);
      identity.registerFromCsr(suite, DeviceCsr.create(signer), platform.clock.now());
      EnvelopeClient client = new EnvelopeClient(signer, new InMemoryMessageCounter(0),
          new PlatformTrust(suite, answerKey.keyId(), answerKey.keys().getPublic()), new SecretKeyBytes(payloadKey), RANDOM);
      SealedMessage sent = client.seal(DeviceMessageCodec.encode(
          new DeviceRequest.Event(BuiltInRules.WASHER, Map.of("detergentLevelPercent", "60"))), false);

      try (InboxPipeline pipeline = new InboxPipeline(core, envelopes, 2, 16, 256);
          CoapAccessServer server = CoapAccessServer.start(CoapAccessConfig.builder()
              .dtlsAddress(new InetSocketAddress("127.0.0.1", 0)).build(), identity, deriver, pipeline);
          CoapDeviceTransport transport = new CoapDeviceTransport(server.dtlsAddress(), "washer-coap",
              new CoapDeviceCredentials.Psk("washer-coap", deriver.derive(new DeviceId("washer-coap"))), CoapFixture.ACK_TIMEOUT)) {
        byte[] answer = transport.send(sent.bytes()).get(20, TimeUnit.SECONDS);
        PlatformAnswer opened = DeviceMessageCodec.decodeAnswer(client.openAnswer(sent, answer));
        assertThat(opened.status()).isEqualTo(PlatformAnswer.Status.OK);
        assertThat(opened.decisions()).isEmpty();
        byte[] again = transport.send(sent.bytes()).get(20, TimeUnit.SECONDS);
        assertThat(DeviceMessageCodec.decodeAnswer(client.openAnswer(sent, again))).isEqualTo(opened);
      }
    }
  }
}
