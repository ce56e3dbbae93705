package io.iotpay.platform.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iotpay.foundation.time.BusinessDayRule;
import io.iotpay.foundation.time.ManualBusinessClock;
import io.iotpay.platform.identity.DeviceId;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class StateChangeQueueTest {
  final ManualBusinessClock clock = new ManualBusinessClock(Instant.parse("2026-11-02T08:00:00Z"), BusinessDayRule.UTC_MIDNIGHT);
  final DeviceStateRegistry registry = new DeviceStateRegistry(clock, DeviceStateConfig.defaults());
  final DeviceId washer = DeviceId.of("washer-1");

  @Test
  void aConsumerOnAnotherThread_receivesTheChangesInOrder() throws Exception {
    StateChangeQueue queue = new StateChangeQueue(16);
    registry.addListener(queue);
    CompletableFuture<StateChangeKind> consumed = CompletableFuture.supplyAsync(() -> {
      try {
        queue.poll(Duration.ofSeconds(10)).orElseThrow();
        return queue.poll(Duration.ofSeconds(10)).orElseThrow().kind();
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    registry.observe(new DeviceObservation.TamperReported(washer, clock.now(), true));
    assertThat(consumed.get(10, TimeUnit.SECONDS)).isEqualTo(StateChangeKind.TAMPER_SET);
  }

  @Test
  void aFullQueue_dropsAndCounts_withoutBlockingTheRegistry() {
    StateChangeQueue queue = new StateChangeQueue(2);
    registry.addListener(queue);
    registry.observe(new DeviceObservation.Connected(washer, clock.now(), "s1")); // FIRST_SEEN, SESSION_STARTED
    registry.observe(new DeviceObservation.TamperReported(washer, clock.now(), true));
    registry.observe(new DeviceObservation.TamperReported(washer, clock.now(), false));

    assertThat(queue.dropped()).isEqualTo(2);
    assertThat(queue.drain(10)).extracting(StateChange::kind).containsExactly(StateChangeKind.FIRST_SEEN, StateChangeKind.SESSION_STARTED);
    assertThat(registry.state(washer).orElseThrow().tampered()).isFalse();
  }

  @Test
  void capacityOutOfBounds_isRefused() {
    assertThatThrownBy(() -> new StateChangeQueue(0)).isInstanceOf(StateInputException.class).hasMessageContaining("capacity 0");
  }
}
