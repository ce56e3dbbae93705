package io.iotpay.bench.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A short {@code bench auth} run per suite: every authorisation crosses the real chain and comes
 * back approved with an ARPC the soft card accepts, the holds on the ledger are exactly the approved
 * amounts and the books balance. It prints the figures and asserts no time.
 */
class AuthBenchTest {
  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void shortRun_everyAuthorisationApprovedWithAValidArpc_holdsMatch_booksBalance(AlgorithmSuite suite) {
    List<String> progress = new ArrayList<>();
    AuthBench.Report r = new AuthBench().run(new AuthBench.Settings(suite, 16, 100, 600, 2, 32, 200), progress::add);
    System.out.print(AuthBench.format(r));
    assertThat(r.approved()).isEqualTo(600);
    assertThat(r.failed()).isZero();
    assertThat(r.heldMinor()).isEqualTo(r.expectedHeldMinor()).isEqualTo(700 * 100L);
    assertThat(r.booksBalanced()).isTrue();
    assertThat(r.perSecond()).isPositive();
    assertThat(r.referencePerSecond()).isPositive();
    assertThat(r.p99Ms()).isGreaterThanOrEqualTo(r.p50Ms());
    assertThat(progress).anyMatch(line -> line.contains("measured: 600 authorisations"));
    assertThat(AuthBench.format(r)).contains("authorisations/s", "reference", "CPU per authorisation", "books balanced: true");
  }
}
