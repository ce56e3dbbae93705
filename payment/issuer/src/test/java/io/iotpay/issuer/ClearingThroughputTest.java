package io.iotpay.issuer;

import io.iotpay.issuer.transit.TacVerifier;
import io.iotpay.issuer.transit.ClearingReport;
import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.protocol.transit.ClearingFile;
import io.iotpay.protocol.transit.TransitRecord;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Figures for the report: TAC verifications per second (card key derivation by option A, counter
 * session key, card MAC, constant-time compare) over genuine TACs from the applet, and the clearing
 * rate of a whole file (verification + ledger + registry) on SQLite. Not a benchmark harness: one
 * warm-up pass, then one timed pass.
 */
class ClearingThroughputTest {
  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void tacVerificationAndClearingRates(AlgorithmSuite suite) {
    try (IssuerWorld world = new IssuerWorld(dir)) {
      List<TransitRecord> records = new ArrayList<>();
      for (int rider = 1; rider <= 4; rider++) {
        IssuerWorld.Rider r = world.rider(rider, suite, 500_00);
        var decision = world.issuer.apply(new io.iotpay.protocol.enrolment.ServiceApplication("a" + rider,
            r.issued().pan(), 1, "METRO"));
        world.runPush(decision.script().orElseThrow(), r.card(), c -> c);
        TestGate gate = new TestGate(r.card(), r.issued(), world.aid());
        for (int j = 0; j < 12; j++) {
          records.addAll(Arrays.asList(gate.journey(8_00, 2_00 + j)));
        }
      }
      int rounds = 200;
      verifyAll(world, records, rounds / 4); // warm-up
      long start = System.nanoTime();
      int verified = verifyAll(world, records, rounds);
      double seconds = (System.nanoTime() - start) / 1e9;
      assertThat(verified).isEqualTo(rounds * records.size());
      System.out.printf("[figure] %s TAC verifications: %d in %.3f s = %.0f /s%n", suite, verified, seconds,
          verified / seconds);

      long clearStart = System.nanoTime();
      ClearingReport report = world.issuer.clear(new ClearingFile(IssuerWorld.ISSUER, TestGate.DAY, 1, records));
      double clearSeconds = (System.nanoTime() - clearStart) / 1e9;
      assertThat(report.refusals()).isEmpty();
      assertThat(report.accepted()).isEqualTo(records.size());
      System.out.printf("[figure] %s clearing file of %d records: %.3f s = %.0f records/s%n", suite, records.size(),
          clearSeconds, records.size() / clearSeconds);
    }
  }

  private static int verifyAll(IssuerWorld world, List<TransitRecord> records, int rounds) {
    int ok = 0;
    TacVerifier verifier = world.issuer.tacVerifier();
    for (int round = 0; round < rounds; round++) {
      for (TransitRecord record : records) {
        if (verifier.verify(record.suite(), record.pan(), record.panSequence(), record.atc(), record.cryptogramInput(),
            record.tac())) {
          ok++;
        }
      }
    }
    return ok;
  }
}
