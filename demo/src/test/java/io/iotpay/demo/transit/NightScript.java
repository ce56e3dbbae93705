package io.iotpay.demo.transit;

import static io.iotpay.demo.transit.TransitParties.BANK;
import static io.iotpay.demo.transit.TransitParties.DAY;
import static io.iotpay.demo.transit.TransitParties.METRO;
import static io.iotpay.demo.transit.TransitParties.SWITCH;
import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.protocol.Pan;
import io.iotpay.protocol.pki.SignedFileException;
import io.iotpay.protocol.transit.ExceptionStage;
import io.iotpay.protocol.transit.TransitRecord;
import io.iotpay.switching.transit.SettlementRun;
import io.iotpay.switching.transit.TransitSwitch;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * A night of the transit back office in four settlement windows, as steps that may each be run
 * again after a crash (docs/clearing-files.md §13): uploads, a late presentment, settlements,
 * clearing with chargebacks, a re-presentment. Every step is written as its operator would run it
 * again: it completes what a crash left, and does again nothing that was done. The in-JVM crash
 * test's night; {@link NightKillTest} sends the same steps as commands to separate party processes
 * (its refused records on PANs the issuer never issued, two genuine fares more, and a deny list at
 * the end), and takes its runs and its replay rule from here.
 */
final class NightScript {
  private NightScript() {}

  /** One step of the night. */
  interface Step {
    void run(Night night);
  }

  /** The night's state a step needs: the parties, the records, the runs settled so far. */
  static final class Night {
    TransitParties parties;
    final TransitRecord refusedFirst;
    final TransitRecord unknownCard;
    final TransitRecord late;
    final Map<LocalDate, SettlementRun> runs = new HashMap<>();

    /** @param cardWithoutValidTac a card of the issuer whose records carry no valid TAC */
    Night(TransitParties parties, Pan cardWithoutValidTac) {
      this.parties = parties;
      Pan refused = cardWithoutValidTac;
      Pan unknown = Pan.withCheckDigit(TransitParties.RANGE + "99999999");
      this.refusedFirst = parties.exitWithoutValidTac(refused, 1, 1, 300, DAY);
      this.unknownCard = parties.exitWithoutValidTac(unknown, 2, 1, 200, DAY);
      this.late = parties.exitWithoutValidTac(refused, 3, 2, 100, DAY);
    }
  }

  /** Runs a crash test makes by default (CI); {@code -D<prefix>.runs=N} for more. */
  static final int RUNS_DEFAULT = 5;

  /**
   * The runs of a crash test: {@code <prefix>.runs} of them (default {@link #RUNS_DEFAULT}), seeded
   * from {@code <prefix>.seed} (default the clock: each CI run tries other points), the suites alternating.
   */
  static Stream<Arguments> runs(String prefix) {
    int runs = Integer.getInteger(prefix + ".runs", RUNS_DEFAULT);
    long base = Long.getLong(prefix + ".seed", System.nanoTime());
    return Stream.iterate(0, i -> i + 1).limit(runs).map(i -> Arguments.of(base + i,
        i % 2 == 0 ? AlgorithmSuite.INTERNATIONAL : AlgorithmSuite.NATIONAL));
  }

  static List<Step> steps() {
    List<Step> steps = new ArrayList<>();
    steps.add(n -> n.parties.operator.collect(List.of(n.refusedFirst, n.unknownCard)));
    steps.add(n -> upload(n, DAY));
    addWindow(steps, DAY);
    steps.add(n -> n.parties.operator.collect(List.of(n.late)));
    steps.add(n -> upload(n, DAY)); // the late presentment of day T, into window T+1
    addWindow(steps, DAY.plusDays(1));
    steps.add(NightScript::represent);
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

  private static SettlementRun run(Night n, LocalDate window) {
    // A process started after a kill finds the settled windows' files on disk.
    return n.runs.computeIfAbsent(window, w -> n.parties.transitSwitch.settledRun(w).orElseThrow());
  }

  private static void issuerMorning(Night n, LocalDate window) {
    SettlementRun run = run(n, window);
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
    SettlementRun run = run(n, window);
    ignoringReplays(() -> n.parties.operator.receiveSettlement(run.reportFiles().get(METRO)));
    Path notice = run.exceptionNotices().get(METRO);
    if (notice != null) {
      ignoringReplays(() -> n.parties.operator.receiveExceptionNotice(notice));
    }
  }

  private static void represent(Night n) {
    boolean done = n.parties.operator.representments().stream()
        .anyMatch(e -> e.recordId().equals(n.refusedFirst.id()));
    if (!done) {
      assertThat(n.parties.operator.represent(n.refusedFirst.id(), n.parties.transitSwitch::receiveExceptions)
          .recordsAccepted()).isEqualTo(1);
    }
  }

  /** A signed file used already (a step run again after a crash) is refused as a replay: that part was done. */
  static void ignoringReplays(Runnable use) {
    try {
      use.run();
    } catch (SignedFileException e) {
      if (e.reason() != SignedFileException.Reason.REPLAYED) {
        throw e;
      }
    }
  }

  /** Each amount once, in its place, nothing owed (the figures of TransitDisputesTest). */
  static void assertEverythingWhereItBelongs(TransitParties parties) {
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
