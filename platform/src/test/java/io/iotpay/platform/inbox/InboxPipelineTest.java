package io.iotpay.platform.inbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.agent.sdk.SealedMessage;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.protocol.device.RefusalReason;
import io.iotpay.platform.decision.PlatformFixture;
import io.iotpay.protocol.device.DeviceMessageCodec;
import io.iotpay.protocol.device.DeviceRequest;
import io.iotpay.protocol.device.PlatformAnswer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The batching pipeline gives the answers the one-at-a-time inbox gives, with many messages in flight. */
class InboxPipelineTest {
  static final long SHOP_ACCOUNT = 200;

  @TempDir Path tempDir;

  private static DeviceRequest parking(int ticket) {
    return new DeviceRequest.Event("car-head-unit", Map.of("event", "parking-ended", "merchantId", "city-parking",
        "amountMinor", "250", "currency", "CNY", "driverConfirmed", "true", "parkingTicket", "t" + ticket));
  }

  /** The car park as a merchant, and {@code n} car head units, each with a funded account and a mandate for it. */
  private static List<InboxFixture.Device> carsWithMandates(InboxFixture f, int n) throws Exception {
    f.platform.merchant("city-parking", "7523", SHOP_ACCOUNT, null);
    List<InboxFixture.Device> cars = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      InboxFixture.Device car = f.enrol("car-" + i);
      f.platform.userAccount(1_000 + i, 100_000);
      f.platform.mandates.bind("user-" + i, car.id(), 1_000 + i,
          PlatformFixture.terms(10_000, 100_000, 100_000, 10_000, Set.of(), Set.of("7523")));
      cars.add(car);
    }
    return cars;
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void manyDevicesInFlight_eachPaysOncePerMessage_duplicatesAndAttacksInTheSameBatches(AlgorithmSuite suite) throws Exception {
    try (InboxFixture f = new InboxFixture(suite, tempDir);
        InboxPipeline pipeline = new InboxPipeline(f.inbox, f.envelopes, 2, 64, 10_000)) {
      List<InboxFixture.Device> cars = carsWithMandates(f, 12);
      List<SealedMessage> sent = new ArrayList<>();
      List<InboxFixture.Device> senders = new ArrayList<>();
      List<CompletableFuture<Reply>> replies = new ArrayList<>();
      int copies = 0;
      for (int round = 0; round < 5; round++) {
        for (InboxFixture.Device car : cars) {
          SealedMessage message = car.seal(parking(round));
          sent.add(message);
          senders.add(car);
          replies.add(pipeline.deliverAsync(Transport.MQTT, car.id(), "s-" + car.id(), message.bytes()));
          // Every third message is redelivered at once, as QoS 1 does after a lost PUBACK.
          if ((round * cars.size() + cars.indexOf(car)) % 3 == 0) {
            copies++;
            replies.add(pipeline.deliverAsync(Transport.MQTT, car.id(), "s-" + car.id(), message.bytes()));
            sent.add(message);
            senders.add(car);
          }
        }
      }
      // An attack in the middle of the traffic: car-0's message through car-1's channel.
      CompletableFuture<Reply> attack = pipeline.deliverAsync(Transport.MQTT, cars.get(1).id(), "x",
          cars.get(0).seal(parking(99)).bytes());

      long duplicates = 0;
      for (int i = 0; i < replies.size(); i++) {
        Reply reply = replies.get(i).join();
        assertThat(reply).isInstanceOf(Reply.Answer.class);
        Reply.Answer answer = (Reply.Answer) reply;
        duplicates += answer.duplicate() ? 1 : 0;
        PlatformAnswer opened = DeviceMessageCodec.decodeAnswer(senders.get(i).client().openAnswer(sent.get(i), answer.signedAnswer()));
        assertThat(opened.decisions()).singleElement().satisfies(d -> assertThat(d.outcome()).isEqualTo("APPROVED"));
      }
      assertThat(attack.join()).isInstanceOfSatisfying(Reply.Refused.class,
          r -> assertThat(r.reason()).isEqualTo(RefusalReason.CHANNEL_MISMATCH));
      assertThat(copies).isEqualTo(20);
      assertThat(duplicates).isEqualTo(copies);
      assertThat(f.platform.service.stats().approved()).isEqualTo(60);
      assertThat(f.platform.balance(SHOP_ACCOUNT).creditsPendingMinor()).isEqualTo(60 * 250);
      f.platform.assertBooksBalance();
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void answerReceived_isAlreadyStored_soTheSameBytesAgainGetTheSameAnswer(AlgorithmSuite suite) throws Exception {
    // Answers are sent from a thread of their own while the batcher goes on; whatever a device has
    // received must already be stored, or a retry right after it would be refused as in progress.
    try (InboxFixture f = new InboxFixture(suite, tempDir);
        InboxPipeline pipeline = new InboxPipeline(f.inbox, f.envelopes, 2, 4, 10_000)) {
      List<InboxFixture.Device> cars = carsWithMandates(f, 10);
      for (int round = 0; round < 4; round++) {
        List<SealedMessage> sent = new ArrayList<>();
        List<CompletableFuture<Reply>> firsts = new ArrayList<>();
        for (InboxFixture.Device car : cars) {
          SealedMessage message = car.seal(parking(round));
          sent.add(message);
          firsts.add(pipeline.deliverAsync(Transport.MQTT, car.id(), "s-" + car.id(), message.bytes()));
        }
        List<CompletableFuture<Reply>> agains = new ArrayList<>();
        for (int i = 0; i < cars.size(); i++) {
          InboxFixture.Device car = cars.get(i);
          SealedMessage message = sent.get(i);
          // Each retry goes in the moment its device has its answer, while other batches are still in flight.
          agains.add(firsts.get(i).thenCompose(first -> pipeline.deliverAsync(Transport.MQTT, car.id(), "s-" + car.id(), message.bytes())));
        }
        for (int i = 0; i < cars.size(); i++) {
          Reply.Answer first = (Reply.Answer) firsts.get(i).join();
          Reply again = agains.get(i).join();
          assertThat(first.duplicate()).isFalse();
          assertThat(again).isInstanceOfSatisfying(Reply.Answer.class, a -> {
            assertThat(a.duplicate()).isTrue();
            assertThat(a.signedAnswer()).isEqualTo(first.signedAnswer());
          });
          PlatformAnswer opened = DeviceMessageCodec.decodeAnswer(cars.get(i).client().openAnswer(sent.get(i), first.signedAnswer()));
          assertThat(opened.decisions()).singleElement().satisfies(d -> assertThat(d.outcome()).isEqualTo("APPROVED"));
        }
      }
      assertThat(f.platform.service.stats().approved()).isEqualTo(40);
      assertThat(f.platform.balance(SHOP_ACCOUNT).creditsPendingMinor()).isEqualTo(40 * 250);
      f.platform.assertBooksBalance();
    }
  }
}
