package io.iotpay.bench.pos;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Runs a short POS tap bench and prints its figures; asserts the tap's shape, never a time. */
class PosTapBenchTest {
  @Test
  void onlineTap_printsFigures_eightCommandsInBothSuites() {
    PosTapBench.Settings settings = new PosTapBench.Settings(50, 200, 300);
    List<PosTapBench.Result> results = new PosTapBench().run(settings);
    System.out.print(PosTapBench.format(results, settings));
    assertThat(results).hasSize(2);
    for (PosTapBench.Result r : results) {
      assertThat(r.apdus()).extracting(PosTapBench.Exchange::name).containsExactly("SELECT PPSE", "SELECT AID",
          "GET PROCESSING OPTIONS", "READ RECORD", "READ RECORD", "GENERATE AC", "EXTERNAL AUTHENTICATE",
          "GENERATE AC");
      assertThat(r.bytesToCard()).isPositive();
      assertThat(r.airMs()).isPositive();
      assertThat(r.cardMs()).isEqualTo(2 * CardTimeModel.of(r.suite()).generateAcMs()
          + CardTimeModel.of(r.suite()).externalAuthenticateMs());
      assertThat(r.samples()).isEqualTo(200);
    }
  }
}
