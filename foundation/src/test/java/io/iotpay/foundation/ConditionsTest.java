package io.iotpay.foundation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class ConditionsTest {
  @Test
  void await_returnsWhenAnotherThreadMakesTheConditionTrue() throws Exception {
    AtomicBoolean done = new AtomicBoolean();
    Thread setter = Thread.ofPlatform().start(() -> done.set(true));
    assertThat(Conditions.await(Duration.ofSeconds(30), done::get)).isTrue();
    setter.join();
  }

  @Test
  void await_givesUpAfterTheTimeout_whenTheConditionNeverHolds() {
    long start = System.nanoTime();
    assertThat(Conditions.await(Duration.ofMillis(50), () -> false)).isFalse();
    assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(Duration.ofMillis(50).toNanos());
  }
}
