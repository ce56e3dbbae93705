package io.iotpay.bench.pos;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A few consumer-presented QR payments through {@link QrBench}'s real chain per suite: each is
 * approved, the issuer holds exactly their amounts, the books balance. It prints the figures and
 * asserts no time.
 */
class QrBenchTest {
  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void fewPayments_allApproved_holdsMatch_booksBalance(AlgorithmSuite suite) {
    List<String> progress = new ArrayList<>();
    QrBench.Report r = new QrBench().run(new QrBench.Settings(suite, 50, 5, 20, 2, 2, 50), progress::add);
    System.out.print(QrBench.format(r));
    assertThat(r.approved()).isEqualTo(20);
    assertThat(r.heldMinor()).isEqualTo(r.expectedHeldMinor()).isEqualTo(25 * QrBench.AMOUNT_MINOR);
    assertThat(r.booksBalanced()).isTrue();
    assertThat(r.p99Ms()).isGreaterThanOrEqualTo(r.p50Ms()).isPositive();
    assertThat(progress).anyMatch(line -> line.contains("measured: 20 payments"));
  }
}
