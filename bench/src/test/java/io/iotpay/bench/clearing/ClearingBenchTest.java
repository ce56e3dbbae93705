package io.iotpay.bench.clearing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tiny run of the clearing benchmark, checked against what the generator is known to have made
 * (computed here from the generator's rules, not read back from the run): every record accepted
 * once by the switch and once by its issuer, the twins and re-sent records refused, every fare
 * debited once, settled gross = fares, books balanced, and the reference verified its sample.
 */
class ClearingBenchTest {
  @TempDir Path directory;

  @Test
  void tinyRun_clearsAndDebitsEveryRecordOnce_andBooksBalance() {
    long records = 3000;
    ClearingBench.Result result = new ClearingBench().run(new ClearingBench.Settings(records, directory, 2), line -> {});
    long fares = 0;
    for (long i = 0; i < records; i++) {
      fares += DayGenerator.fareMinor(i);
    }
    assertThat(result.cards()).isEqualTo(1000); // both suites: cards alternate suites per account
    assertThat(result.switchAccepted()).isEqualTo(records);
    assertThat(result.twins()).isEqualTo(3); // records 996, 1993, 2990
    assertThat(result.switchRefused()).isEqualTo(3 + 1); // twins + METRO-A's one re-sent record
    assertThat(result.issuerAccepted()).isEqualTo(records);
    assertThat(result.issuerRefused()).isZero();
    assertThat(result.faresMinor()).isEqualTo(fares);
    assertThat(result.debitedMinor()).isEqualTo(fares);
    assertThat(result.dueToSwitchMinor()).isEqualTo(fares);
    assertThat(result.settledGrossMinor()).isEqualTo(fares);
    assertThat(result.booksBalanced()).isTrue();
    assertThat(result.consistent()).isTrue();
    assertThat(result.macRecords()).isPositive();
    assertThat(ClearingBench.format(result)).contains("CONSISTENT").contains("ratio end-to-end / MAC-only")
        .contains("signed files (INTERNATIONAL");
    assertThat(result.filesSigned()).isEqualTo(5); // three operator files, two clearing files
    assertThat(result.verifyNs()).isPositive();
  }
}
