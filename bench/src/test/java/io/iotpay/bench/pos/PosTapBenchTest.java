package io.iotpay.bench.pos;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Runs a short POS tap bench and prints its figures; asserts the tap's shape, never a time. */
class PosTapBenchTest {
  @Test
  void onlineTap_printsFigures_sixCommandsWithoutOda_eightWithFdda_bothSuites() {
    PosTapBench.Settings settings = new PosTapBench.Settings(50, 200, 300);
    List<PosTapBench.Result> results = new PosTapBench().run(settings);
    System.out.print(PosTapBench.format(results, settings));
    assertThat(results).hasSize(4);
    for (PosTapBench.Result r : results) {
      List<String> reads = r.oda() ? List.of("READ RECORD", "READ RECORD", "READ RECORD") : List.of("READ RECORD");
      List<String> expected = new java.util.ArrayList<>(List.of("SELECT PPSE", "SELECT AID", "GET PROCESSING OPTIONS"));
      expected.addAll(reads);
      expected.addAll(List.of("GENERATE AC", "GENERATE AC"));
      assertThat(r.apdus()).extracting(PosTapBench.Exchange::name).isEqualTo(expected);
      assertThat(r.bytesToCard()).isPositive();
      assertThat(r.airMs()).isPositive();
      assertThat(r.cardMs()).isEqualTo(2 * CardTimeModel.of(r.suite()).generateAcMs()
          + CardTimeModel.of(r.suite()).issuerAuthenticationMs() + (r.oda() ? PosTapBench.fddaSignatureMs(r.suite()) : 0));
      assertThat(r.samples()).isEqualTo(200);
    }
  }
}
