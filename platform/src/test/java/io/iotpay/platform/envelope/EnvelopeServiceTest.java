package io.iotpay.platform.envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iotpay.agent.sdk.EnvelopeClient;
import io.iotpay.agent.sdk.SealedMessage;
import io.iotpay.agent.sdk.SoftwareDeviceSigner;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.store.Database;
import io.iotpay.platform.envelope.EnvelopeException.Reason;
import io.iotpay.platform.identity.DeviceId;
import io.iotpay.platform.identity.Pki;
import io.iotpay.platform.identity.TestDatabases;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EnvelopeServiceTest {
  @TempDir Path tempDir;
  private EnvelopeFixture platform;
  /** Every message the business handler saw: a refused or duplicate message must never be here. */
  private final List<DeviceMessage> handled = new CopyOnWriteArrayList<>();

  static Stream<Arguments> suitesAndDialects() {
    return Stream.of(AlgorithmSuite.values())
        .flatMap(suite -> TestDatabases.dialects().stream().map(dialect -> Arguments.of(suite, dialect)));
  }

  @AfterEach
  void close() {
    if (platform != null) {
      platform.close();
    }
  }

  private EnvelopeFixture platform(Database.Dialect dialect) {
    platform = new EnvelopeFixture(dialect, tempDir);
    return platform;
  }

  private EnvelopeService.Outcome send(byte[] envelope) {
    return platform.service.handle(envelope, message -> {
      handled.add(message);
      return new AnswerPayload(("paid " + message.counter()).getBytes(StandardCharsets.UTF_8), message.encrypted());
    });
  }

  @ParameterizedTest
  @MethodSource("suitesAndDialects")
  void roundTrip_plainAndEncrypted_sdkChecksSignedAnswers(AlgorithmSuite suite, Database.Dialect dialect) {
    EnvelopeFixture.Device washer = platform(dialect).enrol(suite, "washer-1");

    SealedMessage plain = washer.client().seal(bytes("detergent low"), false);
    SealedMessage secret = washer.client().seal(bytes("pay 1299 CNY"), true);
    EnvelopeService.Outcome first = send(plain.bytes());
    EnvelopeService.Outcome second = send(secret.bytes());

    assertThat(handled).hasSize(2);
    assertThat(handled.get(0).payload()).isEqualTo(bytes("detergent low"));
    assertThat(handled.get(0).encrypted()).isFalse();
    assertThat(handled.get(1).payload()).isEqualTo(bytes("pay 1299 CNY"));
    assertThat(handled.get(1).encrypted()).isTrue();
    assertThat(handled.get(1).suite()).isEqualTo(suite);
    assertThat(first).isInstanceOf(EnvelopeService.Outcome.Handled.class);
    assertThat(washer.client().openAnswer(plain, first.answer())).isEqualTo(bytes("paid 1"));
    assertThat(washer.client().openAnswer(secret, second.answer())).isEqualTo(bytes("paid 2"));
    // The encrypted payload does not travel in clear, either way.
    assertThat(new String(secret.bytes(), StandardCharsets.ISO_8859_1)).doesNotContain("pay 1299");
    assertThat(new String(second.answer(), StandardCharsets.ISO_8859_1)).doesNotContain("paid 2");
    assertThat(platform.counters.lastCounter(new DeviceId("washer-1"))).isEqualTo(2);
  }

  @ParameterizedTest
  @MethodSource("suitesAndDialects")
  void exactDuplicate_isAnsweredWithTheOriginalAnswer_andHandledOnce(AlgorithmSuite suite, Database.Dialect dialect) {
    EnvelopeFixture.Device washer = platform(dialect).enrol(suite, "washer-1");
    SealedMessage order = washer.client().seal(bytes("order detergent"), false);

    EnvelopeService.Outcome original = send(order.bytes());
    List<EnvelopeService.Outcome> redeliveries = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      redeliveries.add(send(order.bytes()));
    }

    assertThat(handled).hasSize(1);
    for (EnvelopeService.Outcome redelivery : redeliveries) {
      assertThat(redelivery).isInstanceOf(EnvelopeService.Outcome.Duplicate.class);
      assertThat(redelivery.answer()).isEqualTo(original.answer());
    }
    assertThat(washer.client().openAnswer(order, redeliveries.get(3).answer())).isEqualTo(bytes("paid 1"));
  }

  @ParameterizedTest
  @MethodSource("suitesAndDialects")
  void concurrentRedeliveries_areHandledOnce(AlgorithmSuite suite, Database.Dialect dialect) throws Exception {
    EnvelopeFixture.Device washer = platform(dialect).enrol(suite, "washer-1");
    byte[] order = washer.client().seal(bytes("order detergent"), false).bytes();
    int senders = 5;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(senders);
    try {
      List<Future<String>> results = new ArrayList<>();
      for (int i = 0; i < senders; i++) {
        results.add(pool.submit(() -> {
          start.await();
          try {
            return send(order).getClass().getSimpleName();
          } catch (EnvelopeException e) {
            return e.reason().name();
          }
        }));
      }
      start.countDown();
      List<String> outcomes = new ArrayList<>();
      for (Future<String> result : results) {
        outcomes.add(result.get(30, TimeUnit.SECONDS));
      }
      assertThat(handled).hasSize(1);
      assertThat(outcomes).containsOnlyOnce("Handled").allMatch(o -> o.equals("Handled") || o.equals("Duplicate") || o.equals("DUPLICATE_IN_PROGRESS"));
    } finally {
      pool.shutdownNow();
    }
  }

  @ParameterizedTest
  @MethodSource("suitesAndDialects")
  void replayedCounter_isRefused(AlgorithmSuite suite, Database.Dialect dialect) {
    EnvelopeFixture.Device car = platform(dialect).enrol(suite, "car-1");
    SealedMessage fuel = car.client().seal(bytes("fuel 300"), false);
    SealedMessage parking = car.client().seal(bytes("parking 50"), false);
    send(parking.bytes());

    // An older counter arriving late, or an attacker replaying a captured message: not a duplicate of the last.
    assertRefused(() -> send(fuel.bytes()), Reason.REPLAYED_COUNTER);
    // Same counter as the last accepted, different content (a second signature of counter 2).
    EnvelopeClient rewound = platform.client(car.signer(), suite, car.payloadKey());
    rewound.seal(bytes("x"), false);
    SealedMessage sameCounter = rewound.seal(bytes("parking 5000"), false);
    assertThat(sameCounter.counter()).isEqualTo(parking.counter());
    assertRefused(() -> send(sameCounter.bytes()), Reason.REPLAYED_COUNTER);
    assertThat(handled).extracting(DeviceMessage::counter).containsExactly(2L);
  }

  @ParameterizedTest
  @MethodSource("suitesAndDialects")
  void tamperedByte_anywhere_isRefusedWithATypedReason(AlgorithmSuite suite, Database.Dialect dialect) {
    EnvelopeFixture.Device speaker = platform(dialect).enrol(suite, "speaker-1");
    for (boolean encrypt : new boolean[] {false, true}) {
      byte[] message = speaker.client().seal(bytes("pay bill 8800"), encrypt).bytes();
      for (int i = 0; i < message.length; i++) {
        byte[] tampered = message.clone();
        tampered[i] ^= 0x01;
        assertThatThrownBy(() -> send(tampered)).isInstanceOf(EnvelopeException.class);
      }
    }
    assertThat(handled).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("suitesAndDialects")
  void messageSignedByAnotherKey_isRefusedBadSignature(AlgorithmSuite suite, Database.Dialect dialect) {
    platform(dialect).enrol(suite, "washer-1");
    EnvelopeFixture.Device other = platform.enrol(suite, "washer-2");
    // washer-2's key (or an attacker's) signing a message that claims to come from washer-1.
    SoftwareDeviceSigner impostor = new SoftwareDeviceSigner("washer-1", suite, other.keys());
    EnvelopeClient client = platform.client(impostor, suite, null);

    assertRefused(() -> send(client.seal(bytes("order 100 bottles"), false).bytes()), Reason.BAD_SIGNATURE);
    SoftwareDeviceSigner stranger = SoftwareDeviceSigner.generate("washer-1", suite, EnvelopeFixture.RANDOM);
    assertRefused(() -> send(platform.client(stranger, suite, null).seal(bytes("x"), false).bytes()), Reason.BAD_SIGNATURE);
    assertThat(handled).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("suitesAndDialects")
  void unknownDevice_wrongSuite_oversized_areRefused(AlgorithmSuite suite, Database.Dialect dialect) {
    platform(dialect).enrol(suite, "known-1");
    SoftwareDeviceSigner unknown = SoftwareDeviceSigner.generate("ghost-1", suite, EnvelopeFixture.RANDOM);
    assertRefused(() -> send(platform.client(unknown, suite, null).seal(bytes("x"), false).bytes()), Reason.UNKNOWN_DEVICE);

    AlgorithmSuite other = Pki.other(suite);
    SoftwareDeviceSigner wrongSuite = SoftwareDeviceSigner.generate("known-1", other, EnvelopeFixture.RANDOM);
    assertRefused(() -> send(platform.client(wrongSuite, other, null).seal(bytes("x"), false).bytes()), Reason.SUITE_MISMATCH);

    assertRefused(() -> send(new byte[EnvelopeService.ENVELOPE_BYTES_MAX_DEFAULT + 1]), Reason.OVERSIZED);
    assertRefused(() -> send(new byte[] {(byte) 0xD2, (byte) 0x84}), Reason.MALFORMED);
    SoftwareDeviceSigner badKid = SoftwareDeviceSigner.generate("known-1/x", suite, EnvelopeFixture.RANDOM);
    assertThatThrownBy(() -> send(platform.client(badKid, suite, null).seal(bytes("x"), false).bytes()))
        .isInstanceOfSatisfying(EnvelopeException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED))
        .hasMessageContaining("kid is not a device id").hasMessageContaining("'/' at position 7");
    assertThat(handled).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("suitesAndDialects")
  void suspensionAndRevocation_takeEffectOnTheNextMessage(AlgorithmSuite suite, Database.Dialect dialect) {
    EnvelopeFixture.Device car = platform(dialect).enrol(suite, "car-1");
    DeviceId id = new DeviceId("car-1");
    send(car.client().seal(bytes("parking 50"), false).bytes());

    platform.identity.suspend(id, "owner request", Pki.T0.plusSeconds(10));
    assertRefused(() -> send(car.client().seal(bytes("fuel 300"), false).bytes()), Reason.DEVICE_SUSPENDED);

    platform.identity.resume(id, "owner request", Pki.T0.plusSeconds(20));
    send(car.client().seal(bytes("fuel 310"), false).bytes());

    platform.identity.revoke(id, "sold", Pki.T0.plusSeconds(30));
    assertRefused(() -> send(car.client().seal(bytes("fuel 320"), false).bytes()), Reason.DEVICE_REVOKED);
    assertThat(handled).extracting(m -> new String(m.payload(), StandardCharsets.UTF_8)).containsExactly("parking 50", "fuel 310");
  }

  @ParameterizedTest
  @MethodSource("suitesAndDialects")
  void encryptedPayload_withoutOrWithWrongPayloadKey_isRefused(AlgorithmSuite suite, Database.Dialect dialect) {
    EnvelopeFixture.Device meter = platform(dialect).enrol(suite, "meter-1");
    DeviceId id = new DeviceId("meter-1");

    platform.payloadKeys.remove(id);
    assertRefused(() -> send(meter.client().seal(bytes("secret"), true).bytes()), Reason.NO_PAYLOAD_KEY);
    platform.payloadKeys.put(id, new io.iotpay.foundation.crypto.SecretKeyBytes(new byte[16]));
    assertRefused(() -> send(meter.client().seal(bytes("secret"), true).bytes()), Reason.DECRYPTION_FAILED);
    assertThat(handled).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("suitesAndDialects")
  void sdk_refusesAnswersForOtherMessagesOrDevices(AlgorithmSuite suite, Database.Dialect dialect) {
    EnvelopeFixture.Device a = platform(dialect).enrol(suite, "dev-a");
    EnvelopeFixture.Device b = platform.enrol(suite, "dev-b");
    SealedMessage a1 = a.client().seal(bytes("a1"), false);
    SealedMessage a2 = a.client().seal(bytes("a2"), false);
    SealedMessage b1 = b.client().seal(bytes("b1"), false);
    byte[] answerA1 = send(a1.bytes()).answer();
    send(a2.bytes());
    byte[] answerB1 = send(b1.bytes()).answer();

    assertSdkRefused(() -> a.client().openAnswer(a2, answerA1), io.iotpay.agent.sdk.EnvelopeException.Reason.NOT_THE_ANSWER);
    // b's answer to its counter 1 shown to a, which waits for its own counter 1: bound to the device id.
    assertSdkRefused(() -> a.client().openAnswer(a1, answerB1), io.iotpay.agent.sdk.EnvelopeException.Reason.BAD_SIGNATURE);
    byte[] tampered = answerA1.clone();
    tampered[tampered.length - 40] ^= 0x01;
    assertThatThrownBy(() -> a.client().openAnswer(a1, tampered)).isInstanceOf(io.iotpay.agent.sdk.EnvelopeException.class);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static void assertRefused(ThrowingCallable call, Reason reason) {
    assertThatThrownBy(call).isInstanceOfSatisfying(EnvelopeException.class, e -> assertThat(e.reason()).isEqualTo(reason));
  }

  private static void assertSdkRefused(ThrowingCallable call, io.iotpay.agent.sdk.EnvelopeException.Reason reason) {
    assertThatThrownBy(call).isInstanceOfSatisfying(io.iotpay.agent.sdk.EnvelopeException.class, e -> assertThat(e.reason()).isEqualTo(reason));
  }
}
