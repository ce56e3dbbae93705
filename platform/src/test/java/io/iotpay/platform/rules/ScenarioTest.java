package io.iotpay.platform.rules;

import static io.iotpay.platform.decision.PlatformFixture.cny;
import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.platform.decision.DecisionOutcome;
import io.iotpay.platform.decision.PaymentDecision;
import io.iotpay.platform.decision.PaymentIntent;
import io.iotpay.platform.decision.PaymentState;
import io.iotpay.platform.decision.PlatformFixture;
import io.iotpay.platform.identity.DeviceId;
import io.iotpay.platform.state.DeviceObservation;
import io.iotpay.platform.state.GeoPoint;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The seed's three scenarios end to end on real parts: device message → state → rule → mandate and
 * risk → decision in the audit log → hold in the ledger → capture or void. Both suites (the audit log signs).
 */
class ScenarioTest {
  static final long USER_ACCOUNT = 10;
  static final long SHOP_ACCOUNT = 200;
  static final long PUMP_ACCOUNT = 201;
  static final long PARKING_ACCOUNT = 202;
  static final long POWER_ACCOUNT = 203;
  static final GeoPoint PUMP_PLACE = new GeoPoint(31.2304, 121.4737);
  static final String OWNER = "carol";

  @TempDir Path tempDir;

  private final Map<DeviceId, Long> sessions = new HashMap<>();

  /** The access layer's part: the message is seen (state), then the rules run and each intent is decided. */
  private List<PaymentDecision> deliver(PlatformFixture platform, RuleEngine engine, DeviceEvent event) {
    platform.states.observe(new DeviceObservation.Message(event.deviceId(), platform.clock.now(), "session-" + event.deviceId(), event.counter()));
    return engine.onEvent(event).stream().map(platform.service::decide).toList();
  }

  private static DeviceEvent washer(DeviceId device, long counter, int levelPercent, PlatformFixture platform) {
    return new DeviceEvent(device, BuiltInRules.WASHER, counter, platform.clock.now(), Map.of("detergentLevelPercent", Integer.toString(levelPercent)));
  }

  private RuleEngine engine(PlatformFixture platform, BillerDirectory billers) {
    RuleEngine engine = new RuleEngine(BuiltInRules.book(), billers);
    platform.service.addListener(engine);
    return engine;
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void washer_lowLevelDeliveredFiveTimes_buysExactlyOneBottle(AlgorithmSuite suite) throws Exception {
    try (PlatformFixture platform = new PlatformFixture(suite, tempDir)) {
      platform.userAccount(USER_ACCOUNT, 100_000);
      platform.merchant(BuiltInRules.DETERGENT_SHOP, "5399", SHOP_ACCOUNT, null);
      DeviceId washer = platform.onlineDevice("washer-1");
      platform.mandates.bind(OWNER, washer, USER_ACCOUNT, PlatformFixture.terms(5_000, 10_000, 30_000, 5_000,
          Set.of(BuiltInRules.DETERGENT_SHOP), Set.of()));
      RuleEngine engine = engine(platform, new BillerDirectory());

      assertThat(deliver(platform, engine, washer(washer, 1, 60, platform))).isEmpty();
      PaymentDecision first = null;
      for (int copy = 0; copy < 5; copy++) {
        List<PaymentDecision> decisions = deliver(platform, engine, washer(washer, 2, 12, platform));
        assertThat(decisions).hasSize(1);
        first = first == null ? decisions.get(0) : first;
        assertThat(decisions.get(0)).isEqualTo(first);
      }
      assertThat(first.outcome()).isEqualTo(DecisionOutcome.APPROVED);
      assertThat(first.amount()).isEqualTo(cny(3_990));
      assertThat(platform.balance(USER_ACCOUNT).debitsPendingMinor()).isEqualTo(3_990);
      assertThat(platform.service.stats().approved()).isEqualTo(1);
      assertThat(platform.service.stats().duplicatesSuppressed()).isEqualTo(4);

      // Still low, and the order is in progress: nothing more.
      assertThat(deliver(platform, engine, washer(washer, 3, 8, platform))).isEmpty();
      assertThat(engine.orderInProgress("washer.detergent-reorder", washer)).isTrue();

      platform.clock.advance(Duration.ofDays(2));
      assertThat(platform.service.capture(first.key()).state()).isEqualTo(PaymentState.CAPTURED);
      assertThat(engine.orderInProgress("washer.detergent-reorder", washer)).isFalse();
      // The same low episode continues after delivery: still no second bottle.
      assertThat(deliver(platform, engine, washer(washer, 4, 5, platform))).isEmpty();
      // Refilled (a new episode can start), then low again: the second bottle.
      assertThat(deliver(platform, engine, washer(washer, 5, 90, platform))).isEmpty();
      List<PaymentDecision> second = deliver(platform, engine, washer(washer, 6, 10, platform));
      assertThat(second).singleElement().satisfies(d -> assertThat(d.outcome()).isEqualTo(DecisionOutcome.APPROVED));
      // A late copy of the first low event changes nothing.
      assertThat(deliver(platform, engine, washer(washer, 2, 12, platform))).containsExactly(first);

      assertThat(platform.balance(SHOP_ACCOUNT).creditsPostedMinor()).isEqualTo(3_990);
      assertThat(platform.balance(USER_ACCOUNT).debitsPendingMinor()).isEqualTo(3_990);
      platform.assertBooksBalance();
      platform.assertProvable(first.key(), OWNER);
      platform.assertProvable(second.get(0).key(), OWNER);
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void washer_restartWhileTheOrderIsHeld_stillBuysOneBottlePerEpisode(AlgorithmSuite suite) throws Exception {
    PlatformFixture platform = new PlatformFixture(suite, tempDir);
    platform.userAccount(USER_ACCOUNT, 100_000);
    platform.merchant(BuiltInRules.DETERGENT_SHOP, "5399", SHOP_ACCOUNT, null);
    DeviceId washer = platform.onlineDevice("washer-1");
    platform.mandates.bind(OWNER, washer, USER_ACCOUNT, PlatformFixture.terms(5_000, 10_000, 30_000, 5_000,
        Set.of(BuiltInRules.DETERGENT_SHOP), Set.of()));
    PaymentDecision order = deliver(platform, engine(platform, new BillerDirectory()), washer(washer, 2, 12, platform)).get(0);

    platform = platform.restart();
    try (PlatformFixture restarted = platform) {
      restarted.merchant(BuiltInRules.DETERGENT_SHOP, "5399", SHOP_ACCOUNT, null);
      restarted.onlineDevice("washer-1");
      RuleEngine engine = engine(restarted, new BillerDirectory());
      engine.resume(restarted.service.openDecisions());

      // The same event redelivered after the restart, and the level still low: no second bottle.
      assertThat(deliver(restarted, engine, washer(washer, 2, 12, restarted))).containsExactly(order);
      assertThat(deliver(restarted, engine, washer(washer, 3, 11, restarted))).isEmpty();
      restarted.service.capture(order.key());
      assertThat(deliver(restarted, engine, washer(washer, 4, 10, restarted))).isEmpty();
      // Refilled and low again: the next bottle.
      assertThat(deliver(restarted, engine, washer(washer, 5, 80, restarted))).isEmpty();
      assertThat(deliver(restarted, engine, washer(washer, 6, 9, restarted))).hasSize(1);
      assertThat(restarted.balance(SHOP_ACCOUNT).creditsPostedMinor()).isEqualTo(3_990);
      assertThat(restarted.balance(USER_ACCOUNT).debitsPendingMinor()).isEqualTo(3_990);
      restarted.assertBooksBalance();
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void washer_declinedOrder_doesNotRetryInTheSameEpisode(AlgorithmSuite suite) throws Exception {
    try (PlatformFixture platform = new PlatformFixture(suite, tempDir)) {
      platform.userAccount(USER_ACCOUNT, 1_000); // not enough for a bottle
      platform.merchant(BuiltInRules.DETERGENT_SHOP, "5399", SHOP_ACCOUNT, null);
      DeviceId washer = platform.onlineDevice("washer-1");
      platform.mandates.bind(OWNER, washer, USER_ACCOUNT, PlatformFixture.terms(5_000, 10_000, 30_000, 5_000,
          Set.of(BuiltInRules.DETERGENT_SHOP), Set.of()));
      RuleEngine engine = engine(platform, new BillerDirectory());

      List<PaymentDecision> declined = deliver(platform, engine, washer(washer, 1, 10, platform));
      assertThat(declined).singleElement().satisfies(d -> assertThat(d.hasReason("INSUFFICIENT_FUNDS")).isTrue());
      assertThat(engine.orderInProgress("washer.detergent-reorder", washer)).isFalse();
      assertThat(deliver(platform, engine, washer(washer, 2, 9, platform))).isEmpty();
      platform.assertBooksBalance();
    }
  }

  private record Car(PlatformFixture platform, RuleEngine engine, DeviceId car) implements AutoCloseable {
    @Override
    public void close() {
      platform.close();
    }
  }

  /** A car at the pump; the mandate allows fuel (5542) and parking (7523), confirm above 200.00. */
  private Car car(AlgorithmSuite suite) throws Exception {
    PlatformFixture platform = new PlatformFixture(suite, tempDir);
    platform.userAccount(USER_ACCOUNT, 500_000);
    platform.merchant("pump-7", "5542", PUMP_ACCOUNT, PUMP_PLACE);
    platform.merchant("far-pump", "5542", SHOP_ACCOUNT, new GeoPoint(31.6804, 121.4737));
    platform.merchant("car-park-3", "7523", PARKING_ACCOUNT, new GeoPoint(31.2310, 121.4740));
    DeviceId car = platform.onlineDevice("car-1");
    platform.states.observe(new DeviceObservation.LocationReported(car, platform.clock.now(), new GeoPoint(31.2306, 121.4739)));
    platform.mandates.bind(OWNER, car, USER_ACCOUNT, PlatformFixture.terms(100_000, 150_000, 300_000, 20_000, Set.of(), Set.of("5542", "7523")));
    return new Car(platform, engine(platform, new BillerDirectory()), car);
  }

  private static DeviceEvent carEvent(Car c, long counter, String event, String merchant, long amountMinor, boolean confirmed) {
    return new DeviceEvent(c.car, BuiltInRules.CAR, counter, c.platform.clock.now(), Map.of("event", event, "merchantId", merchant,
        "amountMinor", Long.toString(amountMinor), "currency", "CNY", "driverConfirmed", Boolean.toString(confirmed),
        "pumpSession", "ps-" + counter, "parkingTicket", "pt-" + counter));
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void car_paysTheMerchantsAmount_confirmedOnTheHeadUnit(AlgorithmSuite suite) throws Exception {
    try (Car c = car(suite)) {
      PaymentDecision fuel = deliver(c.platform, c.engine, carEvent(c, 1, "fuel-dispensed", "pump-7", 31_950, true)).get(0);
      assertThat(fuel.outcome()).isEqualTo(DecisionOutcome.APPROVED);
      assertThat(fuel.hasReason("CONFIRMED_ON_DEVICE")).isTrue();
      assertThat(fuel.intent().reference()).isEqualTo("ps-1");
      assertThat(c.platform.service.capture(fuel.key()).state()).isEqualTo(PaymentState.CAPTURED);
      assertThat(c.platform.balance(PUMP_ACCOUNT).creditsPostedMinor()).isEqualTo(31_950);

      PaymentDecision parking = deliver(c.platform, c.engine, carEvent(c, 2, "parking-ended", "car-park-3", 1_500, false)).get(0);
      assertThat(parking.outcome()).isEqualTo(DecisionOutcome.APPROVED);
      assertThat(parking.reasons()).isEmpty();

      PaymentDecision unconfirmed = deliver(c.platform, c.engine, carEvent(c, 3, "parking-ended", "car-park-3", 25_000, false)).get(0);
      assertThat(unconfirmed.outcome()).isEqualTo(DecisionOutcome.ASK_USER);
      assertThat(unconfirmed.hasReason("CONFIRMATION_THRESHOLD")).isTrue();

      assertThat(deliver(c.platform, c.engine, carEvent(c, 4, "door-opened", "car-park-3", 1, false))).isEmpty();
      c.platform.assertBooksBalance();
      c.platform.assertProvable(fuel.key(), OWNER);
      c.platform.assertProvable(unconfirmed.key(), OWNER);
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void car_farFromTheStation_asksTheUserEvenWhenConfirmedOnTheDevice(AlgorithmSuite suite) throws Exception {
    try (Car c = car(suite)) {
      PaymentDecision fuel = deliver(c.platform, c.engine, carEvent(c, 1, "fuel-dispensed", "far-pump", 5_000, true)).get(0);
      assertThat(fuel.outcome()).isEqualTo(DecisionOutcome.ASK_USER);
      assertThat(fuel.hasReason("FAR_FROM_MERCHANT")).isTrue();
      assertThat(c.platform.balance(USER_ACCOUNT).debitsPendingMinor()).isZero();
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void car_clonedIdentity_isDeclined_andNoMoneyMoves(AlgorithmSuite suite) throws Exception {
    try (Car c = car(suite)) {
      // The real car and a clone holding its key both send fresh counters, from two places at once.
      c.platform.states.observe(new DeviceObservation.Message(c.car, c.platform.clock.now(), "session-car-1", "mqtt:car", 18));
      c.platform.states.observe(new DeviceObservation.Message(c.car, c.platform.clock.now(), "clone-session", "mqtt:clone", 19));
      c.platform.states.observe(new DeviceObservation.Message(c.car, c.platform.clock.now(), "session-car-1", "mqtt:car", 20));
      PaymentDecision fuel = c.platform.service.decide(c.engine.onEvent(carEvent(c, 21, "fuel-dispensed", "pump-7", 5_000, true)).get(0));
      assertThat(fuel.outcome()).isEqualTo(DecisionOutcome.DECLINED);
      assertThat(fuel.hasReason("CLONE_SUSPECTED")).isTrue();
      assertThat(c.platform.balance(USER_ACCOUNT).debitsPendingMinor()).isZero();
      c.platform.assertProvable(fuel.key(), OWNER);
    }
  }

  private record Speaker(PlatformFixture platform, RuleEngine engine, BillerDirectory billers, DeviceId speaker) implements AutoCloseable {
    @Override
    public void close() {
      platform.close();
    }
  }

  /** A speaker; power-co's bills are paid to its merchant; confirm above 100.00. */
  private Speaker speaker(AlgorithmSuite suite) throws Exception {
    PlatformFixture platform = new PlatformFixture(suite, tempDir);
    platform.userAccount(USER_ACCOUNT, 500_000);
    platform.merchant("power-co", "4900", POWER_ACCOUNT, null);
    BillerDirectory billers = new BillerDirectory();
    billers.addBiller(new Biller("state-grid", "power-co"));
    DeviceId speaker = platform.onlineDevice("speaker-1");
    platform.mandates.bind(OWNER, speaker, USER_ACCOUNT, PlatformFixture.terms(50_000, 50_000, 100_000, 10_000, Set.of(), Set.of("4900")));
    return new Speaker(platform, engine(platform, billers), billers, speaker);
  }

  private static DeviceEvent payBill(Speaker s, long counter) {
    return new DeviceEvent(s.speaker, BuiltInRules.SPEAKER, counter, s.platform.clock.now(),
        Map.of("intent", "pay-bill", "biller", "state-grid", "customerRef", "acct-5501"));
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void speaker_paysTheLookedUpBill_once(AlgorithmSuite suite) throws Exception {
    try (Speaker s = speaker(suite)) {
      s.billers.issue(new Bill("bill-2026-10", "state-grid", "acct-5501", cny(8_650), LocalDate.parse("2026-11-15")));

      PaymentDecision paid = deliver(s.platform, s.engine, payBill(s, 1)).get(0);
      assertThat(paid.outcome()).isEqualTo(DecisionOutcome.APPROVED);
      assertThat(paid.amount()).isEqualTo(cny(8_650));
      assertThat(paid.intent().merchantId()).isEqualTo("power-co");
      assertThat(paid.intent().reference()).isEqualTo("bill-2026-10");
      // Asking again while it is being paid does not pay it twice.
      assertThat(deliver(s.platform, s.engine, payBill(s, 2))).isEmpty();

      s.platform.service.capture(paid.key());
      assertThat(s.billers.outstanding("state-grid", "acct-5501")).isEmpty();
      assertThat(deliver(s.platform, s.engine, payBill(s, 3))).isEmpty();
      assertThat(s.engine.stats().nothingDue()).isEqualTo(1);
      assertThat(s.platform.balance(POWER_ACCOUNT).creditsPostedMinor()).isEqualTo(8_650);
      s.platform.assertBooksBalance();
      s.platform.assertProvable(paid.key(), OWNER);
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void speaker_billAboveTheThreshold_waitsForTheUser(AlgorithmSuite suite) throws Exception {
    try (Speaker s = speaker(suite)) {
      s.billers.issue(new Bill("bill-2026-11", "state-grid", "acct-5501", cny(25_000), LocalDate.parse("2026-12-15")));

      PaymentDecision asked = deliver(s.platform, s.engine, payBill(s, 1)).get(0);
      assertThat(asked.outcome()).isEqualTo(DecisionOutcome.ASK_USER);
      assertThat(s.platform.balance(USER_ACCOUNT).debitsPendingMinor()).isZero();

      PaymentDecision approved = s.platform.service.answer(asked.key(), OWNER, true);
      assertThat(approved.outcome()).isEqualTo(DecisionOutcome.APPROVED);
      assertThat(s.platform.balance(USER_ACCOUNT).debitsPendingMinor()).isEqualTo(25_000);
      // The biller could not take it: voided, the bill stays due, and may be asked for again.
      s.platform.service.voidPayment(asked.key());
      assertThat(s.billers.outstanding("state-grid", "acct-5501")).isPresent();
      List<PaymentIntent> again = s.engine.onEvent(payBill(s, 2));
      assertThat(again).singleElement().satisfies(i -> assertThat(i.reference()).isEqualTo("bill-2026-11"));
      s.platform.assertBooksBalance();
      s.platform.assertProvable(asked.key(), OWNER);
    }
  }
}
