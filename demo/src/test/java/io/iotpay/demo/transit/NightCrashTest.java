package io.iotpay.demo.transit;

import static io.iotpay.demo.transit.TransitParties.BANK;
import static io.iotpay.demo.transit.TransitParties.DAY;
import static io.iotpay.demo.transit.TransitParties.METRO;
import static io.iotpay.demo.transit.TransitParties.SWITCH;
import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.demo.transit.TransitParties.Party;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.protocol.Pan;
import io.iotpay.protocol.pki.SignedFileException;
import io.iotpay.protocol.transit.ExceptionStage;
import io.iotpay.protocol.transit.TransitRecord;
import io.iotpay.switching.transit.SettlementRun;
import io.iotpay.switching.transit.TransitSwitch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * a random step of a three-window night (uploads, a late presentment, settlements, clearing,
 * chargebacks, a re-presentment), which stops the party at its next write, with what it had not
 * committed lost; the party is reopened on its stores and the interrupted step run again, as its
 * operator would. After each run: every amount where it belongs (nothing lost, nothing twice),
 * every book balanced, the audit log verified.
 *
 * <p>In-JVM: the crash is the party's database closed abruptly, not a process killed (the parties'
 * files and ledger postings are what a kill -9 leaves too; a separate JVM per party is not modelled
 * here). Five runs by default (CI); {@code -Diotpay.crash.runs=30} for more. Both suites alternate.
 */
class NightCrashTest {
  private static final Logger LOG = LoggerFactory.getLogger(NightCrashTest.class);
  private static final int RUNS_DEFAULT = 5;
  /** Crashes land within this many ms of a step's start (the steps take a few ms to tens of ms). */
  private static final int CRASH_DELAY_MS_MAX = 40;
  private static final int ATTEMPTS_MAX = 4;

  @TempDir Path tempDir;

  static Stream<Arguments> runs() {
    int runs = Integer.getInteger("iotpay.crash.runs", RUNS_DEFAULT);
    long base = Long.getLong("iotpay.crash.seed", System.nanoTime());
    return Stream.iterate(0, i -> i + 1).limit(runs).map(i -> Arguments.of(base + i,
        i % 2 == 0 ? AlgorithmSuite.INTERNATIONAL : AlgorithmSuite.NATIONAL));
  }

  /** One step of the night; run again after a crash until it completes. */
  private interface Step {
    void run(Night night) throws Exception;
  }

  /** The night's state a step needs: the parties, the records, the runs settled so far. */
  static final class Night {
    final TransitParties parties;
    final TransitRecord badTac;
    final TransitRecord unknownCard;
    final TransitRecord late;
    final Map<LocalDate, SettlementRun> runs = new HashMap<>();

    Night(TransitParties parties) {
      this.parties = parties;
      Pan issued = parties.issueCard();
      this.badTac = parties.exitWithoutValidTac(issued, 1, 1, 300, DAY);
      this.unknownCard = parties.exitWithoutValidTac(Pan.withCheckDigit(TransitParties.RANGE + "99999999"), 2, 1, 200, DAY);
      this.late = parties.exitWithoutValidTac(issued, 3, 2, 100, DAY);
    }
  }

  private static List<Step> script() {
    List<Step> steps = new ArrayList<>();
    steps.add(n -> n.parties.operator.collect(List.of(n.badTac, n.unknownCard)));
    steps.add(n -> upload(n, DAY));
    addWindow(steps, DAY);
    steps.add(n -> n.parties.operator.collect(List.of(n.late)));
    steps.add(n -> upload(n, DAY)); // the late presentment of day T, into window T+1
    addWindow(steps, DAY.plusDays(1));
    steps.add(NightCrashTest::represent);
    addWindow(steps, DAY.plusDays(2));
    addWindow(steps, DAY.plusDays(3));
    return steps;
  }

  private static void addWindow(List<Step> steps, LocalDate window) {
    steps.add(n -> settle(n, window));
    steps.add(n -> issuerMorning(n, window));
    steps.add(n -> operatorMorning(n, window));
  }

  private static void upload(Night n, LocalDate day) {
    n.parties.operator.resumeUploads(n.parties.transitSwitch);
    if (n.parties.operator.pendingDays().contains(day)) {
      n.parties.operator.upload(day, n.parties.transitSwitch);
    }
  }

  /** Settles the window, or (after a crash once it committed) takes its files as written. */
  private static void settle(Night n, LocalDate window) {
    TransitSwitch transitSwitch = n.parties.transitSwitch;
    n.runs.put(window, transitSwitch.settledRun(window).orElseGet(() -> transitSwitch.settle(window, window.plusDays(1))));
  }

  private static void issuerMorning(Night n, LocalDate window) {
    SettlementRun run = n.runs.get(window);
    Path out = n.parties.dir.resolve("issuer-out");
    ignoringReplays(() -> n.parties.issuer.clearAndChargeBack(run.clearingFiles().get(BANK), out, SWITCH));
    // Whatever a crash interrupted: every chargeback file written is (re)sent; the switch takes each once.
    for (Path file : n.parties.issuer.chargebackFiles(out)) {
      n.parties.transitSwitch.receiveExceptions(file);
    }
    Path notice = run.exceptionNotices().get(BANK);
    if (notice != null) {
      ignoringReplays(() -> n.parties.issuer.receiveExceptionNotice(notice, SWITCH));
    }
    ignoringReplays(() -> n.parties.issuer.paySettlementFile(run.reportFiles().get(BANK)));
  }

  private static void operatorMorning(Night n, LocalDate window) {
    SettlementRun run = n.runs.get(window);
    ignoringReplays(() -> n.parties.operator.receiveSettlement(run.reportFiles().get(METRO)));
    Path notice = run.exceptionNotices().get(METRO);
    if (notice != null) {
      ignoringReplays(() -> n.parties.operator.receiveExceptionNotice(notice));
    }
  }

  private static void represent(Night n) {
    boolean done = n.parties.operator.representments().stream().anyMatch(e -> e.recordId().equals(n.badTac.id()));
    if (!done) {
      assertThat(n.parties.operator.represent(n.badTac.id(), n.parties.transitSwitch::receiveExceptions)
          .recordsAccepted()).isEqualTo(1);
    }
  }

  /** A file used already (a step run again after a crash) is refused as a replay: that part was done. */
  private static void ignoringReplays(Runnable use) {
    try {
      use.run();
    } catch (SignedFileException e) {
      if (e.reason() != SignedFileException.Reason.REPLAYED) {
        throw e;
      }
    }
  }

  @ParameterizedTest
  @MethodSource("runs")
  void crashAtARandomPointOfTheNight_losesNothing_doesNothingTwice_booksBalance_auditVerifies(long seed,
      AlgorithmSuite suite) throws Exception {
    Random random = new Random(seed);
    List<Step> steps = script();
    int crashStep = random.nextInt(steps.size());
    Party victim = Party.values()[random.nextInt(Party.values().length)];
    int delayMs = random.nextInt(CRASH_DELAY_MS_MAX);
    LOG.warn("Crash run [seed={}, suite={}, step={}, victim={}, delayMs={}]", seed, suite, crashStep, victim, delayMs);
    Path dir = Files.createDirectories(tempDir.resolve("run-" + seed));
    ScheduledExecutorService killer = Executors.newSingleThreadScheduledExecutor();
    try (TransitParties parties = new TransitParties(suite, dir)) {
      Night night = new Night(parties);
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
      assertEverythingWhereItBelongs(parties);
      assertThat(parties.closeAndVerifyAudit()).as("audit log verifies").isTrue();
    } finally {
      killer.shutdownNow();
    }
  }

  private static Exception attempt(Step step, Night night) {
    try {
      step.run(night);
      return null;
    } catch (Exception | AssertionError e) {
      return e instanceof Exception exception ? exception : new IllegalStateException(e);
    }
  }

  private static void runToCompletion(Step step, Night night) throws Exception {
    Exception last = null;
    for (int attempt = 0; attempt < ATTEMPTS_MAX; attempt++) {
      last = attempt(step, night);
      if (last == null) {
        return;
      }
    }
    throw last;
  }

  /** The figures of TransitDisputesTest: each amount once, in its place, nothing owed. */
  private static void assertEverythingWhereItBelongs(TransitParties parties) {
    assertThat(parties.operator.fareRevenueMinor()).as("operator revenue: 500 on day T, 100 late").isEqualTo(600);
    assertThat(parties.operator.chargebacksMinor()).as("charged back 600, 300 re-presented").isEqualTo(300);
    assertThat(parties.operator.settledMinor()).isEqualTo(300);
    assertThat(parties.operator.receivableMinor()).isZero();
    assertThat(parties.debitBalance(parties.issuer.arrearsAccountId())).as("the re-presented fare").isEqualTo(300);
    assertThat(parties.debitBalance(parties.issuer.dueToSwitchAccountId())).isZero();
    assertThat(parties.creditBalance(parties.issuer.fundingAccountId())).isEqualTo(300);
    assertThat(parties.debitBalance(parties.transitSwitch.settlementAccountId())).isZero();
    assertThat(parties.debitBalance(parties.transitSwitch.dueFromIssuerAccountId(BANK))).isZero();
    assertThat(parties.debitBalance(parties.transitSwitch.dueToOperatorAccountId(METRO))).isZero();
    assertThat(parties.transitSwitch.latePresentments()).isEqualTo(new TransitSwitch.LatePresentments(1, 100));
    assertThat(parties.transitSwitch.disputes()).allSatisfy(d -> assertThat(d.window()).isNotNull())
        .extracting(d -> d.exception().stage()).containsExactly(ExceptionStage.CHARGEBACK, ExceptionStage.CHARGEBACK,
            ExceptionStage.CHARGEBACK, ExceptionStage.REPRESENTMENT);
    assertThat(parties.booksBalanced()).as("every book balances").isTrue();
  }
}
