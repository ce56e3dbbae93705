package io.iotpay.bench.tap;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A short run of the tap benchmark on both suites: every tap opens and the tap-out meets its budget. */
class TapBenchTest {
  @Test
  void shortRun_bothSuites_tapOutWithinSixCommandsAndFortyMillisecondsOfAir() {
    List<String> progress = new ArrayList<>();
    TapBench.Settings settings = new TapBench.Settings(5, 20);
    List<TapBench.Result> results = new TapBench().run(settings, progress::add);
    assertThat(results).extracting(TapBench.Result::suite).containsExactly(AlgorithmSuite.values());
    for (TapBench.Result r : results) {
      assertThat(r.out().samples()).isEqualTo(20);
      assertThat(r.out().apdus()).hasSizeLessThanOrEqualTo(TapBench.TAP_OUT_COMMANDS_MAX);
      assertThat(r.out().apdus()).extracting(RecordingChannel.Exchange::name).containsExactly("SELECT",
          "READ CAPP DATA", "GPO", "GET TRANS PROVE", "UPDATE CAPP DATA CACHE", "GENERATE AC");
      assertThat(r.out().airMs()).isPositive().isLessThanOrEqualTo(TapBench.AIR_MS_MAX);
      assertThat(r.out().cpuMedianNanos()).isPositive();
    }
    assertThat(TapBench.format(results, settings)).contains("tap-out", "air ms", "CPU p99");
    assertThat(progress).hasSize(2);
  }
}
