package io.iotpay.platform.risk;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.money.Money;
import io.iotpay.foundation.time.BusinessDayRule;
import io.iotpay.foundation.time.ManualBusinessClock;
import io.iotpay.platform.identity.DeviceId;
import io.iotpay.platform.state.DeviceObservation;
import io.iotpay.platform.state.DeviceStateConfig;
import io.iotpay.platform.state.DeviceStateRegistry;
import io.iotpay.platform.state.GeoPoint;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Each risk signal alone gives its outcome and a reason; several give the strictest outcome and every reason. */
class RiskEngineTest {
  static final GeoPoint PUMP = new GeoPoint(31.2304, 121.4737);
  final ManualBusinessClock clock = new ManualBusinessClock(Instant.parse("2026-11-02T08:00:00Z"), BusinessDayRule.UTC_MIDNIGHT);
  final DeviceStateRegistry states = new DeviceStateRegistry(clock,
      DeviceStateConfig.defaults().withHeartbeatTimeoutMs(90_000).withOfflineTooLongMs(3_600_000));
  final RiskEngine risk = new RiskEngine(states, clock, RiskConfig.defaults().withVelocity(3_600_000, 3, 50_000));
  final DeviceId car = DeviceId.of("car-1");

  {
    states.observe(new DeviceObservation.Connected(car, clock.now(), "s1"));
    states.observe(new DeviceObservation.Message(car, clock.now(), "s1", 1));
  }

  private RiskAssessment assess(long counter, long amountMinor, GeoPoint merchant) {
    return risk.assess(new RiskRequest(car, counter, Money.ofMinor(amountMinor, CurrencyUnit.CNY), merchant));
  }

  @Test
  void healthyOnlineDevice_isApprovedWithoutReasons() {
    RiskAssessment assessment = assess(1, 1_000, null);
    assertThat(assessment.outcome()).isEqualTo(RiskOutcome.APPROVE);
    assertThat(assessment.reasons()).isEmpty();
  }

  @Test
  void unknownDevice_isDeclined() {
    RiskAssessment assessment = risk.assess(new RiskRequest(DeviceId.of("ghost"), 1, Money.ofMinor(1, CurrencyUnit.CNY), null));
    assertThat(assessment.outcome()).isEqualTo(RiskOutcome.DECLINE);
    assertThat(assessment.has(RiskSignal.DEVICE_UNKNOWN)).isTrue();
  }

  @Test
  void offlineTooLong_asksTheUser_butBrieflyOfflineDoesNot() {
    states.observe(new DeviceObservation.LastWill(car, clock.now()));
    clock.advance(Duration.ofMinutes(30));
    assertThat(assess(2, 1_000, null).outcome()).isEqualTo(RiskOutcome.APPROVE);

    clock.advance(Duration.ofMinutes(31));
    RiskAssessment assessment = assess(2, 1_000, null);
    assertThat(assessment.outcome()).isEqualTo(RiskOutcome.ASK_USER);
    assertThat(assessment.reasons()).singleElement().satisfies(r -> {
      assertThat(r.signal()).isEqualTo(RiskSignal.OFFLINE_TOO_LONG);
      assertThat(r.detail()).contains("3660000 ms");
    });
  }

  @Test
  void tamper_isDeclined() {
    states.observe(new DeviceObservation.TamperReported(car, clock.now(), true));
    RiskAssessment assessment = assess(2, 1_000, null);
    assertThat(assessment.outcome()).isEqualTo(RiskOutcome.DECLINE);
    assertThat(assessment.has(RiskSignal.TAMPERED)).isTrue();
  }

  @Test
  void farFromTheMerchant_asksTheUser_nearIsFine() {
    states.observe(new DeviceObservation.LocationReported(car, clock.now(), new GeoPoint(31.2310, 121.4740)));
    assertThat(assess(2, 1_000, PUMP).outcome()).isEqualTo(RiskOutcome.APPROVE);

    clock.advance(Duration.ofHours(1));
    states.observe(new DeviceObservation.LocationReported(car, clock.now(), new GeoPoint(31.3204, 121.4737)));
    RiskAssessment far = assess(3, 1_000, PUMP);
    assertThat(far.outcome()).isEqualTo(RiskOutcome.ASK_USER);
    assertThat(far.reasons()).singleElement().satisfies(r -> {
      assertThat(r.signal()).isEqualTo(RiskSignal.FAR_FROM_MERCHANT);
      assertThat(r.detail()).contains("> 1000 m");
    });
  }

  @Test
  void merchantWithAPlace_butNoDevicePosition_asksTheUser() {
    assertThat(assess(2, 1_000, PUMP).has(RiskSignal.LOCATION_UNKNOWN)).isTrue();
  }

  @Test
  void velocityByCount_asksTheUser_untilTheWindowPasses() {
    for (int i = 0; i < 3; i++) {
      risk.recordApproved(car, "p" + i, 100);
    }
    RiskAssessment fourth = assess(2, 100, null);
    assertThat(fourth.outcome()).isEqualTo(RiskOutcome.ASK_USER);
    assertThat(fourth.has(RiskSignal.VELOCITY_COUNT)).isTrue();

    clock.advance(Duration.ofMinutes(61));
    states.observe(new DeviceObservation.Heartbeat(car, clock.now()));
    assertThat(assess(2, 100, null).outcome()).isEqualTo(RiskOutcome.APPROVE);
  }

  @Test
  void velocityByAmount_asksTheUser_andAVoidGivesItBack() {
    risk.recordApproved(car, "p1", 45_000);
    assertThat(assess(2, 5_000, null).outcome()).isEqualTo(RiskOutcome.APPROVE);
    assertThat(assess(2, 5_001, null).has(RiskSignal.VELOCITY_AMOUNT)).isTrue();
    risk.releaseApproved(car, "p1");
    assertThat(assess(2, 5_001, null).outcome()).isEqualTo(RiskOutcome.APPROVE);
  }

  @Test
  void hugeApprovedAmounts_doNotOverflowTheVelocitySum() {
    risk.recordApproved(car, "p1", Long.MAX_VALUE);
    risk.recordApproved(car, "p2", Long.MAX_VALUE);
    assertThat(assess(2, 1, null).has(RiskSignal.VELOCITY_AMOUNT)).isTrue();
  }

  @Test
  void counterBelowADecidedPayment_isDeclined() {
    risk.recordDecided(car, 10);
    assertThat(assess(11, 100, null).outcome()).isEqualTo(RiskOutcome.APPROVE);
    RiskAssessment replay = assess(9, 100, null);
    assertThat(replay.outcome()).isEqualTo(RiskOutcome.DECLINE);
    assertThat(replay.has(RiskSignal.COUNTER_REGRESSION)).isTrue();
  }

  @Test
  void cloneSuspicion_isDeclined() {
    states.observe(new DeviceObservation.Message(car, clock.now(), "s2", 2));
    states.observe(new DeviceObservation.Message(car, clock.now(), "s1", 3));
    RiskAssessment assessment = assess(3, 100, null);
    assertThat(assessment.outcome()).isEqualTo(RiskOutcome.DECLINE);
    assertThat(assessment.has(RiskSignal.CLONE_SUSPECTED)).isTrue();
  }

  @Test
  void severalSignals_giveTheStrictestOutcome_andEveryReasonInTableOrder() {
    states.observe(new DeviceObservation.TamperReported(car, clock.now(), true));
    RiskAssessment assessment = assess(2, 1_000, PUMP);
    assertThat(assessment.outcome()).isEqualTo(RiskOutcome.DECLINE);
    assertThat(assessment.reasons()).extracting(RiskReason::signal).containsExactly(RiskSignal.TAMPERED, RiskSignal.LOCATION_UNKNOWN);
  }
}
