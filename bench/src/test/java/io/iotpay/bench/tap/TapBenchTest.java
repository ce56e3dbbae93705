package io.iotpay.bench.tap;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.bench.oda.SecureElementTimings;
import io.iotpay.bench.pos.CardTimeModel;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A short run of the tap benchmark on both suites with offline data authentication: every tap opens
 * in at most 7 commands and within 300 ms of modelled air + card time, the card time being the TAC
 * and the published fDDA signature figure.
 */
class TapBenchTest {
  @Test
  void shortRun_bothSuites_eachTapWithinSevenCommandsAndThreeHundredMillisecondsOfAirPlusCard() {
    List<String> progress = new ArrayList<>();
    TapBench.Settings settings = new TapBench.Settings(5, 20);
    List<TapBench.Result> results = new TapBench().run(settings, progress::add);
    assertThat(results).extracting(TapBench.Result::suite).containsExactly(AlgorithmSuite.values());
    for (TapBench.Result r : results) {
      assertThat(r.out().samples()).isEqualTo(20);
      assertThat(r.out().apdus()).extracting(RecordingChannel.Exchange::name).containsExactly("SELECT",
          "READ CAPP DATA", "GPO", "GET TRANS PROVE", "READ RECORD", "UPDATE CAPP DATA CACHE", "GENERATE AC");
      for (TapBench.TapStats t : List.of(r.in(), r.out())) {
        assertThat(t.apdus()).hasSizeLessThanOrEqualTo(TapBench.TAP_COMMANDS_MAX);
        assertThat(t.airMs()).isPositive();
        // One GENERATE AC: the TAC plus the card's fDDA signature from the published figure.
        assertThat(t.cardMs()).isEqualTo(CardTimeModel.of(r.suite()).generateAcMs()
            + SecureElementTimings.fddaSignatureMs(r.suite()));
        assertThat(t.airPlusCardMs()).isLessThanOrEqualTo(TapBench.AIR_PLUS_CARD_MS_MAX);
        assertThat(t.cpuMedianNanos()).isPositive();
      }
    }
    assertThat(TapBench.format(results, settings)).contains("tap-out", "air ms", "card ms", "air+card", "CPU p99");
    assertThat(progress).hasSize(2);
  }
}
