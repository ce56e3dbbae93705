package io.iotpay.demo.transit;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.demo.transit.TransitParties.Party;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A crash of the operator, the switch or the issuer at a random point of the night
 * (docs/clearing-files.md §13): the party's own database is closed under it at a random instant of
 * a random step of a four-window night (uploads, a late presentment, settlements, clearing,
 * chargebacks, a re-presentment), which stops the party at its next write, with what it had not
 * committed lost; the party is reopened on its stores and the interrupted step run again, as its
 * operator would. After each run: every amount where it belongs (nothing lost, nothing twice),
 * every book balanced, the audit log verified.
 *
 * <p>In-JVM: the crash is the party's database closed abruptly, not a process killed (the parties'
 * files and ledger postings are what a kill -9 leaves too; {@link NightKillTest} kills each party as
 * a process of its own). Five runs by default (CI); {@code -Diotpay.crash.runs=30} for more. Both suites alternate.
 */
class NightCrashTest {
  private static final Logger LOG = LoggerFactory.getLogger(NightCrashTest.class);
  /** Crashes land within this many ms of a step's start (the steps take a few ms to tens of ms). */
  private static final int CRASH_DELAY_MS_MAX = 40;
  private static final int ATTEMPTS_MAX = 4;

  @TempDir Path tempDir;

  static Stream<Arguments> runs() {
    return NightScript.runs("iotpay.crash");
  }

  @ParameterizedTest
  @MethodSource("runs")
  void crashAtARandomPointOfTheNight_losesNothing_doesNothingTwice_booksBalance_auditVerifies(long seed,
      AlgorithmSuite suite) throws Exception {
    Random random = new Random(seed);
    List<NightScript.Step> steps = NightScript.steps();
    int crashStep = random.nextInt(steps.size());
    Party victim = Party.values()[random.nextInt(Party.values().length)];
    int delayMs = random.nextInt(CRASH_DELAY_MS_MAX);
    LOG.warn("Crash run [seed={}, suite={}, step={}, victim={}, delayMs={}]", seed, suite, crashStep, victim, delayMs);
    Path dir = Files.createDirectories(tempDir.resolve("run-" + seed));
    ScheduledExecutorService killer = Executors.newSingleThreadScheduledExecutor();
    try (TransitParties parties = new TransitParties(suite, dir)) {
      NightScript.Night night = new NightScript.Night(parties, parties.issueCard());
      for (int i = 0; i < steps.size(); i++) {
        ScheduledFuture<?> crash = i == crashStep
            ? killer.schedule(() -> parties.databaseOf(victim).close(), delayMs, TimeUnit.MILLISECONDS) : null;
        Exception failure = attempt(steps.get(i), night);
        if (crash != null) {
          crash.get(); // the crash lands during the step or just after it
          parties.restart(victim);
          if (failure != null) {
            LOG.warn("Step interrupted by the crash, run again [step={}, failure={}]", i, failure.toString());
            runToCompletion(steps.get(i), night);
          }
        } else if (failure != null) {
          throw failure;
        }
      }
      NightScript.assertEverythingWhereItBelongs(parties);
      assertThat(parties.closeAndVerifyAudit()).as("audit log verifies").isTrue();
    } finally {
      killer.shutdownNow();
    }
  }

  private static Exception attempt(NightScript.Step step, NightScript.Night night) {
    try {
      step.run(night);
      return null;
    } catch (Exception | AssertionError e) {
      return e instanceof Exception exception ? exception : new IllegalStateException(e);
    }
  }

  private static void runToCompletion(NightScript.Step step, NightScript.Night night) throws Exception {
    Exception last = null;
    for (int attempt = 0; attempt < ATTEMPTS_MAX; attempt++) {
      last = attempt(step, night);
      if (last == null) {
        return;
      }
    }
    throw last;
  }
}
