package io.iotpay.platform.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.iotpay.foundation.time.BusinessDayRule;
import io.iotpay.foundation.time.ManualBusinessClock;
import io.iotpay.platform.identity.DeviceId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeviceStateRegistryTest {
  final ManualBusinessClock clock = new ManualBusinessClock(Instant.parse("2026-11-02T08:00:00Z"), BusinessDayRule.UTC_MIDNIGHT);
  final DeviceStateRegistry registry = new DeviceStateRegistry(clock,
      DeviceStateConfig.defaults().withHeartbeatTimeoutMs(90_000).withOfflineTooLongMs(3_600_000));
  final List<StateChange> events = new ArrayList<>();
  final DeviceId car = DeviceId.of("car-1");

  {
    registry.addListener(events::add);
  }

  private List<StateChangeKind> kinds() {
    return events.stream().map(StateChange::kind).toList();
  }

  private void message(String session, long counter) {
    registry.observe(new DeviceObservation.Message(car, clock.now(), session, counter));
  }

  @Test
  void firstConnect_isSeenOnline_andEveryChangeIsAnEvent() {
    registry.observe(new DeviceObservation.Connected(car, clock.now(), "s1"));
    registry.observe(new DeviceObservation.FirmwareReported(car, clock.now(), "2.4.1"));
    registry.observe(new DeviceObservation.FirmwareReported(car, clock.now(), "2.4.1"));

    DeviceState state = registry.state(car).orElseThrow();
    assertThat(state.connectivity()).isEqualTo(Connectivity.ONLINE);
    assertThat(state.firmware()).isEqualTo("2.4.1");
    assertThat(state.currentSession()).isEqualTo("s1");
    assertThat(kinds()).containsExactly(StateChangeKind.FIRST_SEEN, StateChangeKind.SESSION_STARTED, StateChangeKind.FIRMWARE_CHANGED);
  }

  @Test
  void lastWill_takesTheDeviceOffline_andAnyMessageBringsItBack() {
    registry.observe(new DeviceObservation.Connected(car, clock.now(), "s1"));
    registry.observe(new DeviceObservation.LastWill(car, clock.now()));
    assertThat(registry.state(car).orElseThrow().connectivity()).isEqualTo(Connectivity.OFFLINE);

    clock.advance(Duration.ofMinutes(1));
    registry.observe(new DeviceObservation.Heartbeat(car, clock.now()));
    assertThat(registry.state(car).orElseThrow().connectivity()).isEqualTo(Connectivity.ONLINE);
    assertThat(registry.state(car).orElseThrow().lastSeen()).isEqualTo(clock.now());
    assertThat(kinds()).contains(StateChangeKind.WENT_OFFLINE, StateChangeKind.CAME_ONLINE);
  }

  @Test
  void silence_goesOfflineAfterTheHeartbeatTimeout_andTooLongIsReportedOnce() {
    registry.observe(new DeviceObservation.Connected(car, clock.now(), "s1"));
    clock.advance(Duration.ofSeconds(90));
    assertThat(registry.sweep()).isEmpty();

    clock.advance(Duration.ofSeconds(1));
    assertThat(registry.sweep()).extracting(StateChange::kind).containsExactly(StateChangeKind.WENT_OFFLINE);
    assertThat(registry.offlineTooLong(registry.state(car).orElseThrow())).isFalse();

    clock.advance(Duration.ofHours(1));
    assertThat(registry.sweep()).extracting(StateChange::kind).containsExactly(StateChangeKind.OFFLINE_TOO_LONG);
    assertThat(registry.offlineTooLong(registry.state(car).orElseThrow())).isTrue();
    assertThat(registry.sweep()).isEmpty();
  }

  @Test
  void counters_advance_redeliveriesAreDuplicates_andLowerCountersAreRegressions() {
    message("s1", 5);
    message("s1", 5);
    message("s1", 6);
    message("s1", 4);

    DeviceState state = registry.state(car).orElseThrow();
    assertThat(state.highestCounter()).isEqualTo(6);
    assertThat(state.messagesReceived()).isEqualTo(4);
    assertThat(state.duplicatesReceived()).isEqualTo(1);
    assertThat(state.counterRegressions()).isEqualTo(1);
    assertThat(state.cloneSuspicion()).isNull(); // a regression on the same session is a replay, not a second device
    assertThat(kinds()).containsSubsequence(StateChangeKind.COUNTER_ADVANCED, StateChangeKind.DUPLICATE_MESSAGE,
        StateChangeKind.COUNTER_ADVANCED, StateChangeKind.COUNTER_REGRESSED);
  }

  @Test
  void reconnectingWithANewSession_isNormal() {
    message("s1", 1);
    message("s2", 2);
    message("s3", 3);
    assertThat(registry.state(car).orElseThrow().cloneSuspicion()).isNull();
  }

  @Test
  void sessionsTakenInTurnFromOnePlace_areNormal() {
    for (int i = 1; i <= 9; i++) {
      registry.observe(new DeviceObservation.Message(car, clock.now(), "s" + (i % 3), "http:198.51.100.7", i));
    }
    assertThat(registry.state(car).orElseThrow().cloneSuspicion()).isNull();
  }

  @Test
  void regressionsOnAnotherSession_areNotEvidence() {
    message("real", 10);
    message("copy", 8);
    message("copy", 9);
    message("real", 11);
    assertThat(registry.state(car).orElseThrow().cloneSuspicion()).isNull();
    assertThat(registry.state(car).orElseThrow().counterRegressions()).isEqualTo(2);
  }

  @Test
  void movingToAnotherPlace_isNormal_butFreshCountersInterleavingFromTwoPlaces_areAClone() {
    registry.observe(new DeviceObservation.Message(car, clock.now(), "a1", "http:10.0.0.1", 1));
    clock.advance(Duration.ofSeconds(5));
    registry.observe(new DeviceObservation.Message(car, clock.now(), "b1", "http:10.0.0.2", 2));
    registry.observe(new DeviceObservation.Message(car, clock.now(), "b1", "http:10.0.0.2", 3));
    assertThat(registry.state(car).orElseThrow().cloneSuspicion()).isNull();
    clock.advance(Duration.ofSeconds(5));
    registry.observe(new DeviceObservation.Message(car, clock.now(), "a2", "http:10.0.0.1", 4));
    String evidence = registry.state(car).orElseThrow().cloneSuspicion();
    assertThat(evidence).contains("interleaved places", "counter 1 from http:10.0.0.1 at 2026-11-02T08:00:00Z",
        "counter 3 from http:10.0.0.2", "counter 4 from http:10.0.0.1 at 2026-11-02T08:00:10Z");
    assertThat(kinds()).contains(StateChangeKind.CLONE_SUSPECTED);
    assertThat(registry.cloneSuspicion(car).orElseThrow().evidence())
        .extracting(CloneEvidence::counter, CloneEvidence::place, CloneEvidence::session)
        .containsExactly(tuple(1L, "http:10.0.0.1", "a1"), tuple(3L, "http:10.0.0.2", "b1"), tuple(4L, "http:10.0.0.1", "a2"));
  }

  @Test
  void comingBackToAPlaceAfterTheWindow_isNormal() {
    registry.observe(new DeviceObservation.Message(car, clock.now(), "a1", "http:10.0.0.1", 1));
    clock.advance(Duration.ofSeconds(30));
    registry.observe(new DeviceObservation.Message(car, clock.now(), "b1", "http:10.0.0.2", 2));
    clock.advance(Duration.ofSeconds(31));
    registry.observe(new DeviceObservation.Message(car, clock.now(), "a2", "http:10.0.0.1", 3));
    assertThat(registry.state(car).orElseThrow().cloneSuspicion()).isNull();
  }

  @Test
  void impossibleTravel_isAClone_butDrivingIsNot() {
    registry.observe(new DeviceObservation.LocationReported(car, clock.now(), new GeoPoint(31.2304, 121.4737)));
    clock.advance(Duration.ofMinutes(10));
    // About 10 km in 10 minutes: 60 km/h.
    registry.observe(new DeviceObservation.LocationReported(car, clock.now(), new GeoPoint(31.3204, 121.4737)));
    assertThat(registry.state(car).orElseThrow().cloneSuspicion()).isNull();

    clock.advance(Duration.ofMinutes(10));
    // Beijing, 1,000 km away, 10 minutes later.
    registry.observe(new DeviceObservation.LocationReported(car, clock.now(), new GeoPoint(39.9042, 116.4074)));
    assertThat(registry.state(car).orElseThrow().cloneSuspicion()).contains("impossible travel");
    // The evidence: the two signed positions, when and where.
    assertThat(registry.cloneSuspicion(car).orElseThrow().evidence()).extracting(CloneEvidence::kind, CloneEvidence::place, CloneEvidence::counter)
        .containsExactly(tuple(CloneEvidence.Kind.POSITION, "31.320400,121.473700", -1L),
            tuple(CloneEvidence.Kind.POSITION, "39.904200,116.407400", -1L));

    assertThat(registry.clearCloneSuspicion(car, "the owner flew; the tracker was misread", null)).isTrue();
    assertThat(registry.state(car).orElseThrow().cloneSuspicion()).isNull();
    assertThat(registry.cloneSuspicion(car)).isEmpty();
    assertThat(registry.clearCloneSuspicion(car, "again", null)).as("nothing left to clear").isFalse();
    assertThat(kinds()).contains(StateChangeKind.CLONE_SUSPICION_CLEARED);
  }

  @Test
  void aLateOlderPosition_doesNotMoveTheDevice() {
    Instant early = clock.now();
    clock.advance(Duration.ofMinutes(5));
    registry.observe(new DeviceObservation.LocationReported(car, clock.now(), new GeoPoint(31.0, 121.0)));
    registry.observe(new DeviceObservation.LocationReported(car, early, new GeoPoint(40.0, 116.0)));
    assertThat(registry.state(car).orElseThrow().location()).isEqualTo(new GeoPoint(31.0, 121.0));
  }

  @Test
  void tamper_isSetAndClearedAsEvents() {
    registry.observe(new DeviceObservation.TamperReported(car, clock.now(), true));
    assertThat(registry.state(car).orElseThrow().tampered()).isTrue();
    registry.observe(new DeviceObservation.TamperReported(car, clock.now(), false));
    assertThat(registry.state(car).orElseThrow().tampered()).isFalse();
    assertThat(kinds()).containsSubsequence(StateChangeKind.TAMPER_SET, StateChangeKind.TAMPER_CLEARED);
  }

  @Test
  void registryFull_refusesNewDevicesWithATypedError() {
    DeviceStateRegistry small = new DeviceStateRegistry(clock, DeviceStateConfig.defaults().withDevicesMax(1));
    small.observe(new DeviceObservation.Heartbeat(car, clock.now()));
    assertThatThrownBy(() -> small.observe(new DeviceObservation.Heartbeat(DeviceId.of("car-2"), clock.now())))
        .isInstanceOf(StateInputException.class).hasMessageContaining("devicesMax 1");
    assertThat(small.size()).isEqualTo(1);
  }

  @Test
  void malformedObservations_areTypedRefusals() {
    assertThatThrownBy(() -> new DeviceObservation.Message(car, clock.now(), "s1", -1))
        .isInstanceOf(StateInputException.class).hasMessageContaining("negative");
    assertThatThrownBy(() -> new DeviceObservation.Connected(car, clock.now(), ""))
        .isInstanceOf(StateInputException.class).hasMessageContaining("session id");
    assertThatThrownBy(() -> new DeviceObservation.Heartbeat(null, clock.now())).isInstanceOf(StateInputException.class);
    assertThatThrownBy(() -> new DeviceStateConfig(0, 1, 1, 1, 1)).isInstanceOf(StateInputException.class)
        .hasMessageContaining("heartbeatTimeoutMs");
    assertThatThrownBy(() -> DeviceStateConfig.defaults().withCloneEvidenceRowsMax(2)).isInstanceOf(StateInputException.class)
        .hasMessageContaining("cloneEvidenceRowsMax");
    assertThatThrownBy(() -> DeviceStateConfig.defaults().withCloneEvidenceRowsMax(1_025)).isInstanceOf(StateInputException.class)
        .hasMessageContaining("cloneEvidenceRowsMax");
  }
}
