package io.iotpay.platform.inbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.agent.sdk.EnvelopeClient;
import io.iotpay.agent.sdk.SealedMessage;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.protocol.device.RefusalReason;
import io.iotpay.platform.decision.IdempotencyKey;
import io.iotpay.platform.decision.PlatformFixture;
import io.iotpay.platform.rules.BuiltInRules;
import io.iotpay.protocol.device.DeviceRequest;
import io.iotpay.protocol.device.PlatformAnswer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The inbox end to end on real parts: SDK devices seal events, the inbox opens them, the rules and
 * the decision service pay, the SDK checks the signed answers; every attack is refused with its
 * reason and moves no money.
 */
class PlatformInboxTest {
  static final long USER_ACCOUNT = 10;
  static final long SHOP_ACCOUNT = 200;
  static final String OWNER = "carol";

  @TempDir Path tempDir;

  private static InboxFixture.Device washer(InboxFixture f, String id) throws Exception {
    InboxFixture.Device washer = f.enrol(id);
    f.platform.mandates.bind(OWNER, washer.id(), USER_ACCOUNT,
        PlatformFixture.terms(5_000, 10_000, 30_000, 5_000, Set.of(BuiltInRules.DETERGENT_SHOP), Set.of()));
    return washer;
  }

  private static InboxFixture fixture(AlgorithmSuite suite, Path dir) throws Exception {
    InboxFixture f = new InboxFixture(suite, dir);
    f.platform.userAccount(USER_ACCOUNT, 100_000);
    f.platform.merchant(BuiltInRules.DETERGENT_SHOP, "5399", SHOP_ACCOUNT, null);
    return f;
  }

  private static DeviceRequest level(int percent) {
    return new DeviceRequest.Event(BuiltInRules.WASHER, Map.of("detergentLevelPercent", Integer.toString(percent)));
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void lowLevelDeliveredFiveTimes_buysOneBottle_andDeliveryCapturesIt(AlgorithmSuite suite) throws Exception {
    try (InboxFixture f = fixture(suite, tempDir)) {
      InboxFixture.Device washer = washer(f, "washer-1");
      f.inbox.connectivity(Transport.MQTT, washer.id(), io.iotpay.platform.inbox.DeviceInbox.ConnectivityEvent.CONNECTED, "c1");
      assertThat(f.exchange(washer, "c1", washer.seal(level(60))).decisions()).isEmpty();

      SealedMessage low = washer.seal(level(12));
      PlatformAnswer first = f.exchange(washer, "c1", low);
      assertThat(first.decisions()).singleElement().satisfies(d -> {
        assertThat(d.outcome()).isEqualTo("APPROVED");
        assertThat(d.paymentState()).isEqualTo("HELD");
        assertThat(d.amountMinor()).isEqualTo(3_990);
      });
      // QoS 1 redelivery, a CoAP retransmission, a device retry: the same bytes four more times.
      for (int copy = 0; copy < 4; copy++) {
        Reply reply = f.send(washer, "c1", low);
        assertThat(reply).isInstanceOfSatisfying(Reply.Answer.class, a -> assertThat(a.duplicate()).isTrue());
        assertThat(f.exchange(washer, "c1", low)).isEqualTo(first);
      }
      assertThat(f.platform.service.stats().approved()).isEqualTo(1);
      assertThat(f.platform.balance(USER_ACCOUNT).debitsPendingMinor()).isEqualTo(3_990);

      PlatformAnswer delivered = f.exchange(washer, "c1", washer.seal(new DeviceRequest.Delivery(low.counter(), true)));
      assertThat(delivered.status()).isEqualTo(PlatformAnswer.Status.OK);
      assertThat(delivered.decisions()).singleElement().satisfies(d -> assertThat(d.paymentState()).isEqualTo("CAPTURED"));
      assertThat(f.platform.balance(SHOP_ACCOUNT).creditsPostedMinor()).isEqualTo(3_990);
      assertThat(f.inbox.stats().duplicates()).isEqualTo(8);
      assertThat(f.inbox.stats().refused()).isZero();
      f.platform.assertBooksBalance();
      f.platform.assertProvable(new IdempotencyKey(washer.id(), low.counter()), OWNER);
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void attacks_areRefusedWithTheirReason_andMoveNoMoney(AlgorithmSuite suite) throws Exception {
    try (InboxFixture f = fixture(suite, tempDir)) {
      InboxFixture.Device washer = washer(f, "washer-1");
      InboxFixture.Device other = washer(f, "washer-2");
      SealedMessage genuine = washer.seal(level(10));
      byte[] bytes = genuine.bytes();

      // Unknown device: a key and an id the registry never saw.
      InboxFixture.Device stranger = new InboxFixture.Device(io.iotpay.platform.identity.DeviceId.of("washer-x"),
          suite.signature().generateKeyPair(InboxFixture.RANDOM), null);
      EnvelopeClient strangerClient = new EnvelopeClient(
          new io.iotpay.agent.sdk.SoftwareDeviceSigner("washer-x", suite, stranger.keys()),
          new io.iotpay.agent.sdk.InMemoryMessageCounter(0),
          new io.iotpay.agent.sdk.PlatformTrust(suite, f.answerKey.keyId(), f.answerKey.keys().getPublic()), null, InboxFixture.RANDOM);
      assertRefused(f.inbox.deliver(Transport.MQTT, stranger.id(), "s", strangerClient.seal(
          io.iotpay.protocol.device.DeviceMessageCodec.encode(level(10)), false).bytes()), RefusalReason.UNKNOWN_DEVICE);
      // Signed by another device (washer-2's key under washer-1's id).
      EnvelopeClient impostor = f.client("washer-1", other.keys());
      assertRefused(f.send(washer, "s", impostor.seal(io.iotpay.protocol.device.DeviceMessageCodec.encode(level(10)), false)),
          RefusalReason.BAD_SIGNATURE);
      // Another device's genuine message pushed through this device's channel (topic / URI).
      assertRefused(f.inbox.deliver(Transport.COAP, other.id(), "s", bytes), RefusalReason.CHANNEL_MISMATCH);
      // Tampered payload: one bit of the signed body flipped.
      byte[] tampered = bytes.clone();
      tampered[tampered.length - 70] ^= 0x01;
      Reply tamperedReply = f.send(washer, "s", new SealedMessage(genuine.counter(), tampered));
      assertThat(tamperedReply).isInstanceOf(Reply.Refused.class);
      assertThat(((Reply.Refused) tamperedReply).reason()).isIn(RefusalReason.BAD_SIGNATURE, RefusalReason.MALFORMED);
      // Oversized and malformed.
      assertRefused(f.send(washer, "s", new SealedMessage(1, new byte[EnvelopeServiceBound.MAX + 1])), RefusalReason.OVERSIZED);
      assertRefused(f.send(washer, "s", new SealedMessage(1, new byte[] {(byte) 0xD2, (byte) 0x84, 0x01})), RefusalReason.MALFORMED);
      // Wrong suite: a device of the other suite's algorithm is not what this platform registered.
      AlgorithmSuite otherSuite = suite == AlgorithmSuite.INTERNATIONAL ? AlgorithmSuite.NATIONAL : AlgorithmSuite.INTERNATIONAL;
      EnvelopeClient wrongSuite = new EnvelopeClient(
          new io.iotpay.agent.sdk.SoftwareDeviceSigner("washer-1", otherSuite, otherSuite.signature().generateKeyPair(InboxFixture.RANDOM)),
          new io.iotpay.agent.sdk.InMemoryMessageCounter(100),
          new io.iotpay.agent.sdk.PlatformTrust(otherSuite, "k", otherSuite.signature().generateKeyPair(InboxFixture.RANDOM).getPublic()),
          null, InboxFixture.RANDOM);
      assertRefused(f.send(washer, "s", wrongSuite.seal(io.iotpay.protocol.device.DeviceMessageCodec.encode(level(10)), false)),
          RefusalReason.SUITE_MISMATCH);
      // Revoked: the next message is refused.
      f.identity.revoke(other.id(), "stolen", f.platform.clock.now());
      assertRefused(f.send(other, "s", other.seal(level(10))), RefusalReason.DEVICE_REVOKED);

      assertThat(f.platform.service.stats().approved() + f.platform.service.stats().declined()).isZero();
      assertThat(f.platform.ledger.balances().values()).allSatisfy(b -> {
        assertThat(b.debitsPendingMinor()).isZero();
        assertThat(b.creditsPendingMinor()).isZero();
      });
      // The genuine message still works afterwards: none of the refusals moved its counter.
      assertThat(f.exchange(washer, "s", genuine).decisions()).singleElement()
          .satisfies(d -> assertThat(d.outcome()).isEqualTo("APPROVED"));
      // ...and replaying it later (after a newer message) is refused as a replay.
      f.exchange(washer, "s", washer.seal(level(9)));
      assertRefused(f.send(washer, "s", genuine), RefusalReason.REPLAYED_COUNTER);
      assertThat(f.inbox.securityLog().counts()).containsKeys(RefusalReason.UNKNOWN_DEVICE, RefusalReason.BAD_SIGNATURE,
          RefusalReason.CHANNEL_MISMATCH, RefusalReason.OVERSIZED, RefusalReason.MALFORMED, RefusalReason.SUITE_MISMATCH,
          RefusalReason.DEVICE_REVOKED, RefusalReason.REPLAYED_COUNTER);
      assertThat(f.inbox.securityLog().latest()).allSatisfy(e -> assertThat(e.detail()).isNotBlank());
      f.platform.assertBooksBalance();
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void replayingACapturedEnvelopeManyTimes_isRefused_andNeverLocksTheRealDeviceOut(AlgorithmSuite suite) throws Exception {
    try (InboxFixture f = fixture(suite, tempDir)) {
      InboxFixture.Device washer = washer(f, "washer-1");
      SealedMessage captured = washer.seal(level(80));
      f.exchange(Transport.HTTP, washer, "198.51.100.7:40001", captured);
      f.exchange(Transport.HTTP, washer, "198.51.100.7:40001", washer.seal(level(80)));
      // The attacker resends the captured envelope from its own address, over new connections, again and again.
      for (int i = 0; i < 10; i++) {
        assertRefused(f.send(Transport.HTTP, washer, "203.0.113.66:" + (50_000 + i), captured), RefusalReason.REPLAYED_COUNTER);
      }
      assertThat(f.platform.states.state(washer.id()).orElseThrow().cloneSuspicion()).isNull();
      assertThat(f.inbox.securityLog().counts()).containsEntry(RefusalReason.REPLAYED_COUNTER, 10L);
      // The real device's next honest message is approved.
      assertThat(f.exchange(Transport.HTTP, washer, "198.51.100.7:40001", washer.seal(level(10))).decisions()).singleElement()
          .satisfies(d -> assertThat(d.outcome()).isEqualTo("APPROVED"));
      f.platform.assertBooksBalance();
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void anHonestDeviceOnTwoKeepAliveConnections_isNotAClone(AlgorithmSuite suite) throws Exception {
    try (InboxFixture f = fixture(suite, tempDir)) {
      InboxFixture.Device washer = washer(f, "washer-1");
      // Two pooled TCP connections from one address, used in turn (what an HTTP client pool does).
      for (int i = 0; i < 8; i++) {
        f.exchange(Transport.HTTP, washer, "198.51.100.7:" + (40_001 + i % 2), washer.seal(level(80)));
      }
      assertThat(f.platform.states.state(washer.id()).orElseThrow().cloneSuspicion()).isNull();
      assertThat(f.exchange(Transport.HTTP, washer, "198.51.100.7:40002", washer.seal(level(10))).decisions()).singleElement()
          .satisfies(d -> assertThat(d.outcome()).isEqualTo("APPROVED"));
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void aRealCloneWithItsOwnFreshCounters_isSuspectedWithEvidence_andItsPaymentsDeclined(AlgorithmSuite suite) throws Exception {
    try (InboxFixture f = fixture(suite, tempDir)) {
      InboxFixture.Device washer = washer(f, "washer-1");
      for (int i = 0; i < 5; i++) {
        f.exchange(Transport.HTTP, washer, "198.51.100.7:40001", washer.seal(level(80)));
      }
      // A second SDK instance holding the same key, its counter copied from the chip at 5, elsewhere.
      InboxFixture.Device clone = new InboxFixture.Device(washer.id(), washer.keys(), f.client("washer-1", washer.keys(), 5));
      String realAt = "198.51.100.7:40001";
      String cloneAt = "203.0.113.9:61000";
      f.exchange(Transport.HTTP, washer, realAt, washer.seal(level(80))); // counter 6 from the real device
      assertRefused(f.send(Transport.HTTP, clone, cloneAt, clone.seal(level(80))), RefusalReason.REPLAYED_COUNTER); // its 6: late
      assertThat(f.platform.states.state(washer.id()).orElseThrow().cloneSuspicion()).isNull();
      f.exchange(Transport.HTTP, clone, cloneAt, clone.seal(level(80))); // its 7: fresh, accepted
      assertThat(f.platform.states.state(washer.id()).orElseThrow().cloneSuspicion()).isNull(); // moving is not cloning
      assertRefused(f.send(Transport.HTTP, washer, realAt, washer.seal(level(80))), RefusalReason.REPLAYED_COUNTER); // real 7
      f.exchange(Transport.HTTP, washer, realAt, washer.seal(level(80))); // real 8: fresh, back at the first place

      String evidence = f.platform.states.state(washer.id()).orElseThrow().cloneSuspicion();
      assertThat(evidence).contains("interleaved places", "counter 6 from http:198.51.100.7", "counter 7 from http:203.0.113.9",
          "counter 8 from http:198.51.100.7");
      PlatformAnswer answer = f.exchange(Transport.HTTP, washer, realAt, washer.seal(level(10)));
      assertThat(answer.decisions()).singleElement().satisfies(d -> {
        assertThat(d.outcome()).isEqualTo("DECLINED");
        assertThat(d.reasons()).contains("CLONE_SUSPECTED");
      });
      assertThat(f.platform.balance(USER_ACCOUNT).debitsPendingMinor()).isZero();
      f.platform.assertBooksBalance();
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void genuineEnvelopeWithJunkPayload_getsASignedBadPayloadAnswer(AlgorithmSuite suite) throws Exception {
    try (InboxFixture f = fixture(suite, tempDir)) {
      InboxFixture.Device washer = washer(f, "washer-1");
      SealedMessage junk = washer.client().seal(new byte[] {1, 2, 3}, false);
      assertThat(f.exchange(washer, "s", junk).status()).isEqualTo(PlatformAnswer.Status.BAD_PAYLOAD);
      SealedMessage noPayment = washer.seal(new DeviceRequest.Delivery(999, true));
      assertThat(f.exchange(washer, "s", noPayment).status()).isEqualTo(PlatformAnswer.Status.NO_SUCH_PAYMENT);
      // Status reports reach the device state; a tamper flag makes risk decline.
      f.exchange(washer, "s", washer.seal(new DeviceRequest.Status("wm-2.4.1", true, 31_230_400L, 121_473_700L)));
      assertThat(f.platform.states.state(washer.id()).orElseThrow().firmware()).isEqualTo("wm-2.4.1");
      f.platform.clock.advance(Duration.ofMinutes(1));
      assertThat(f.exchange(washer, "s", washer.seal(level(5))).decisions()).singleElement()
          .satisfies(d -> assertThat(d.reasons()).contains("TAMPERED"));
      f.platform.assertBooksBalance();
    }
  }

  private static void assertRefused(Reply reply, RefusalReason reason) {
    assertThat(reply).isInstanceOfSatisfying(Reply.Refused.class, r -> assertThat(r.reason()).isEqualTo(reason));
  }

  /** The envelope service's default bound, named here for readability. */
  static final class EnvelopeServiceBound {
    static final int MAX = io.iotpay.platform.envelope.EnvelopeService.ENVELOPE_BYTES_MAX_DEFAULT;
  }
}
