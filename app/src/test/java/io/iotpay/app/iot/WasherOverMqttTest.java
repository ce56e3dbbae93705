package io.iotpay.app.iot;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import io.iotpay.agent.sdk.DeviceCsr;
import io.iotpay.agent.sdk.EnvelopeClient;
import io.iotpay.agent.sdk.InMemoryMessageCounter;
import io.iotpay.agent.sdk.PlatformTrust;
import io.iotpay.agent.sdk.SealedMessage;
import io.iotpay.agent.sdk.SoftwareDeviceSigner;
import io.iotpay.agent.transport.ConnectTokens;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.money.Money;
import io.iotpay.foundation.time.BusinessDayRule;
import io.iotpay.foundation.time.ManualBusinessClock;
import io.iotpay.ledger.Account;
import io.iotpay.ledger.AccountFlags;
import io.iotpay.ledger.Transfer;
import io.iotpay.platform.operator.UserTokens;
import io.iotpay.platform.identity.DeviceId;
import io.iotpay.platform.mandate.MandateTerms;
import io.iotpay.platform.mandate.Merchant;
import io.iotpay.platform.risk.RiskConfig;
import io.iotpay.platform.rules.BuiltInRules;
import io.iotpay.protocol.device.DeviceMessageCodec;
import io.iotpay.protocol.device.DeviceRequest;
import io.iotpay.protocol.device.PlatformAnswer;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The idempotency case on every real part: a washing machine's low-level event published five
 * times (as QoS 1 redelivery and device retries would) through the embedded broker (or Mosquitto and
 * the bridge), the batching inbox, the rules, the decision service and the issuer buys exactly one
 * bottle, and all five answers are the same signed bytes.
 */
class WasherOverMqttTest {
  @TempDir Path tempDir;

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void lowLevelPublishedFiveTimes_buysExactlyOneBottle(AlgorithmSuite suite) throws Exception {
    fivePublishesBuyOneBottle(suite, null);
  }

  /** The same through a broker no one here wrote: Mosquitto named by {@code IOTPAY_TEST_MQTT_URL} (skipped without it). */
  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void lowLevelPublishedFiveTimesThroughMosquitto_buysExactlyOneBottle(AlgorithmSuite suite) throws Exception {
    String url = System.getenv("IOTPAY_TEST_MQTT_URL");
    org.junit.jupiter.api.Assumptions.assumeTrue(url != null && !url.isBlank(), "IOTPAY_TEST_MQTT_URL not set: no external broker to test against");
    fivePublishesBuyOneBottle(suite, java.net.URI.create(url));
  }

  /** @param externalBroker tcp://host:port of an external broker, or null for the node's embedded one */
  private void fivePublishesBuyOneBottle(AlgorithmSuite suite, java.net.URI externalBroker) throws Exception {
    SecureRandom random = new SecureRandom();
    // A fresh id each run: an external broker is shared with other tests and runs.
    String washerId = "washer-" + Long.toHexString(random.nextLong() & Long.MAX_VALUE);
    ManualBusinessClock clock = new ManualBusinessClock(Instant.parse("2026-11-23T08:00:00Z"), BusinessDayRule.UTC_MIDNIGHT);
    KeyPair auditKey = suite.signature().generateKeyPair(random);
    byte[] psk = new byte[32];
    random.nextBytes(psk);
    IotServer.Options options = new IotServer.Options("127.0.0.1", externalBroker == null ? 0 : -1, -1, -1, tempDir,
        "operator-" + "t".repeat(32), UserTokens.inMemory(Map.of()), (user, account) -> false, psk, 2, 64);
    try (IotNode node = new IotNode(tempDir.resolve("node.db"), clock, suite, auditKey, RiskConfig.defaults(), random);
        IotServer server = externalBroker == null ? IotServer.start(node, options, random)
            : IotServer.start(node, options, random, io.iotpay.platform.access.mqtt.MqttBridgeConfig
                .defaults(externalBroker.getHost(), externalBroker.getPort())
                .withClientId("iotpay-test-bridge-" + washerId).withSharedGroup("iotpay-test-" + washerId))) {
      String brokerHost = externalBroker == null ? server.host() : externalBroker.getHost();
      int brokerPort = externalBroker == null ? server.broker.port() : externalBroker.getPort();
      node.ledger.createAccounts(List.of(new Account(100, 1, CurrencyUnit.CNY, AccountFlags.NONE),
          new Account(200, 1, CurrencyUnit.CNY, AccountFlags.NONE),
          new Account(10, 1, CurrencyUnit.CNY, AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS))).get(30, TimeUnit.SECONDS);
      node.ledger.submit(List.of(Transfer.single(1, 100, 10, 100_000))).get(30, TimeUnit.SECONDS);
      node.merchants.put(new Merchant(BuiltInRules.DETERGENT_SHOP, "Detergent Shop", "5399", 200, null));
      SoftwareDeviceSigner signer = SoftwareDeviceSigner.generate(washerId, suite, random);
      node.identity.registerFromCsr(suite, DeviceCsr.create(signer), clock.now());
      Money limit = Money.ofMinor(10_000, CurrencyUnit.CNY);
      node.mandates.bind("carol", DeviceId.of(washerId), 10, new MandateTerms(limit, limit, limit, limit,
          Set.of(BuiltInRules.DETERGENT_SHOP), Set.of()));
      var answerKey = node.answerKeys.get(suite);
      EnvelopeClient client = new EnvelopeClient(signer, new InMemoryMessageCounter(0),
          new PlatformTrust(suite, answerKey.keyId(), answerKey.keys().getPublic()), null, random);

      List<byte[]> answers = new CopyOnWriteArrayList<>();
      java.util.concurrent.CountDownLatch fiveAnswers = new java.util.concurrent.CountDownLatch(5);
      Mqtt5AsyncClient washer = MqttClient.builder().useMqttVersion5().identifier(washerId)
          .serverHost(brokerHost).serverPort(brokerPort)
          .simpleAuth().username(washerId).password(ConnectTokens.create(signer, Instant.now())).applySimpleAuth().buildAsync();
      washer.connect().get(30, TimeUnit.SECONDS);
      washer.subscribeWith().topicFilter("devices/" + washerId + "/down").qos(MqttQos.AT_LEAST_ONCE)
          .callback(publish -> {
            answers.add(publish.getPayloadAsBytes());
            fiveAnswers.countDown();
          }).send().get(30, TimeUnit.SECONDS);
      SealedMessage low = client.seal(DeviceMessageCodec.encode(
          new DeviceRequest.Event(BuiltInRules.WASHER, Map.of("detergentLevelPercent", "12"))), false);
      for (int copy = 0; copy < 5; copy++) {
        washer.publishWith().topic("devices/" + washerId + "/up").qos(MqttQos.AT_LEAST_ONCE).payload(low.bytes()).send().get(30, TimeUnit.SECONDS);
      }
      assertThat(fiveAnswers.await(30, TimeUnit.SECONDS)).as("five answers within 30 s").isTrue();
      washer.disconnect().get(30, TimeUnit.SECONDS);

      assertThat(answers).hasSize(5);
      for (byte[] answer : answers) {
        assertThat(answer).isEqualTo(answers.get(0));
      }
      PlatformAnswer opened = DeviceMessageCodec.decodeAnswer(client.openAnswer(low, answers.get(0)));
      assertThat(opened.decisions()).singleElement().satisfies(d -> {
        assertThat(d.outcome()).isEqualTo("APPROVED");
        assertThat(d.amountMinor()).isEqualTo(3_990);
      });
      assertThat(node.decisions.stats().approved()).isEqualTo(1);
      assertThat(node.inbox.stats().duplicates()).isEqualTo(4);
      assertThat(node.ledger.balance(10).orElseThrow().debitsPendingMinor()).isEqualTo(3_990);
      assertThat(IotBooks.balanced(node.ledger)).isTrue();
      node.auditLog.checkpointNow();
      assertThat(IotBooks.verifyAudit(node.database, auditKey, suite).verified()).isTrue();
    }
  }
}
