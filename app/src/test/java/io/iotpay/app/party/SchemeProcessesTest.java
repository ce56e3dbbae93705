package io.iotpay.app.party;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.acquirer.party.AcquirerParty;
import io.iotpay.app.party.FaultProxy.Fault;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.money.Money;
import io.iotpay.issuer.party.IssuerParty;
import io.iotpay.ledger.audit.AuditSigningKey;
import io.iotpay.protocol.file.FileKind;
import io.iotpay.protocol.file.FileLimits;
import io.iotpay.protocol.file.PresentmentFile;
import io.iotpay.protocol.party.PartyInbox;
import io.iotpay.protocol.party.PartyProperties;
import io.iotpay.protocol.pki.AcceptedFiles;
import io.iotpay.protocol.pki.FileSigner;
import io.iotpay.protocol.pki.SignedFileVerifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The card scheme as separate processes (issue 15, item 3 and "What it must show";
 * docs/parties.md): {@code iotpay party init}, then two issuer JVMs (ISS1 INTERNATIONAL, ISS2
 * NATIONAL), a switch JVM and two acquirer JVMs (ACQ1 INTERNATIONAL, ACQ2 NATIONAL), each
 * {@code java -cp <the test's class path> io.iotpay.app.Main party …}, started once and reused. A
 * frame-aware {@link FaultProxy} sits on every switch↔issuer link and on the acquirer↔switch links.
 * The tests run in order, each on its own cards; {@link #booksBalanceAndNoCardIsDebitedTwice}
 * stops every process and checks each card's debit against what the tests expect.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SchemeProcessesTest {
  static final Duration WAIT = Duration.ofSeconds(60);
  static final int CARDS = 40;
  /** A harness acquirer's wait for an 0110: above the switch's stand-in wait (1 s). */
  static final long ACQUIRER_TIMEOUT_MS = 2_000;

  @TempDir static Path dir;
  static SchemeSetup.Written scheme;
  static List<List<HarnessCard>> cards; // by issuer
  static List<PartyProcess> issuers;
  static PartyProcess switchProcess;
  static List<PartyProcess> acquirers;
  /** Proxies: switch → issuer n; acquirer process n → switch; harness acquirer n → switch. */
  static List<FaultProxy> issuerProxies;
  static List<FaultProxy> acquirerProxies;
  static List<FaultProxy> harnessProxies;
  /** What each card must have been debited, by "issuer/card". */
  static final Map<String, Long> expected = new ConcurrentHashMap<>();
  static final int[] nextCard = new int[2];

  @BeforeAll
  static void startTheScheme() throws Exception {
    SchemeSetup.Options d = SchemeSetup.Options.defaults();
    scheme = SchemeSetup.init(dir, new SchemeSetup.Options(2, 2, CARDS, d.suites(), 0, 100_000, 50_000, 100_000,
        10_000_000, 1_000, 4_000, 200, 1, null), new SecureRandom());
    List<HarnessCard> all = SchemeSetup.cards(dir);
    cards = List.of(all.stream().filter(c -> c.issuer().equals("ISS1")).toList(),
        all.stream().filter(c -> c.issuer().equals("ISS2")).toList());
    assertThat(cards.get(0).get(0).suite()).isEqualTo(AlgorithmSuite.INTERNATIONAL);
    assertThat(cards.get(1).get(0).suite()).isEqualTo(AlgorithmSuite.NATIONAL);
    // Every port is in the data directories, so the proxies exist before the processes do.
    PartyProperties switchConfig = PartyProperties.read(scheme.switchDir().resolve("switch.properties"), false);
    issuerProxies = new ArrayList<>();
    acquirerProxies = new ArrayList<>();
    harnessProxies = new ArrayList<>();
    issuers = new ArrayList<>();
    acquirers = new ArrayList<>();
    List<String> switchArgs = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      FaultProxy proxy = new FaultProxy(switchConfig.address("issuer.ISS" + (i + 1) + ".address").getPort());
      issuerProxies.add(proxy);
      switchArgs.addAll(List.of("--issuer-address", "ISS" + (i + 1) + "=127.0.0.1:" + proxy.port()));
      issuers.add(process("issuer-" + i, scheme.issuerDirs().get(i), "issuer"));
      int switchPort = switchConfig.address("acquirer.ACQ" + (i + 1) + ".listen").getPort();
      acquirerProxies.add(new FaultProxy(switchPort));
      harnessProxies.add(new FaultProxy(switchPort));
      acquirers.add(process("acquirer-" + i, scheme.acquirerDirs().get(i), "acquirer", "--switch-address",
          "127.0.0.1:" + acquirerProxies.get(i).port()));
    }
    switchProcess = process("switch", scheme.switchDir(), "switch", switchArgs.toArray(String[]::new));
    List<PartyProcess> everyone = new ArrayList<>(issuers);
    everyone.add(switchProcess);
    everyone.addAll(acquirers);
    startAll(everyone);
    // One purchase per acquirer and issuer warms the cold JVMs (class loading, first database access),
    // so the tests below see the issuers answer within the switch's 1 s stand-in wait.
    for (int i = 0; i < 2; i++) {
      try (TestTerminal terminal = terminal(i)) {
        HarnessCard card = card(i);
        TestTerminal.Tap warm = terminal.tap(card, 100);
        expect(i, card, warm.approved() ? 100 : 0);
      }
    }
  }

  @Test
  @Order(1)
  void authorisesFromTerminalThroughAcquirerSwitchAndIssuerUnderBothSuites() {
    try (TestTerminal t1 = terminal(0); TestTerminal t2 = terminal(1)) {
      // Every pair of suites: acquirer INTERNATIONAL/NATIONAL × issuer INTERNATIONAL/NATIONAL.
      Object[][] taps = {{t1, 0, 1_111L}, {t2, 1, 2_222L}, {t2, 0, 3_333L}, {t1, 1, 4_444L}};
      for (Object[] tap : taps) {
        TestTerminal terminal = (TestTerminal) tap[0];
        int issuer = (Integer) tap[1];
        HarnessCard card = card(issuer);
        TestTerminal.Tap result = terminal.tap(card, (Long) tap[2]);
        assertThat(result.approved()).as("%s via %s: %s", card, terminal.link.keys().suite(), result.outcome()).isTrue();
        assertThat(result.response().approvalCode()).doesNotStartWith("S");
        assertThat(card.arpcValid(result.tap(), result.response())).as("the issuer's ARPC for %s", card).isTrue();
        expect(issuer, card, (Long) tap[2]);
      }
    }
  }

  @Test
  @Order(2)
  void standsInWhileTheIssuerProcessIsKilledAndPostsTheAdvicesOnceWhenItReturns() throws Exception {
    try (TestTerminal t1 = terminal(0); TestTerminal t2 = terminal(1)) {
      issuers.get(0).kill(); // kill -9 mid-day
      HarnessCard standInCard = card(0);
      HarnessCard overLimitCard = card(0);
      HarnessCard otherIssuerCard = card(1);
      TestTerminal.Tap standIn = t1.tap(standInCard, 2_000);
      TestTerminal.Tap overLimit = t1.tap(overLimitCard, 60_000);
      TestTerminal.Tap stillOnline = t2.tap(otherIssuerCard, 700);
      assertThat(standIn.approved()).as("%s", standIn.outcome()).isTrue();
      assertThat(standIn.response().approvalCode()).startsWith("S");
      assertThat(overLimit.response().responseCode().code()).as("over the per-transaction limit").isEqualTo("91");
      assertThat(stillOnline.approved()).isTrue();
      assertThat(stillOnline.response().approvalCode()).doesNotStartWith("S");
      expect(0, standInCard, 2_000);
      expect(1, otherIssuerCard, 700);
      assertThat(undeliveredAdvices("ISS1")).isEqualTo(2);

      issuers.get(0).start(); // back on the same data directory: the switch delivers the two 0120s
      await(() -> undeliveredAdvices("ISS1") == 0, "the advices reached the restarted issuer");
      assertThat(rows(scheme.issuerDirs().get(0).resolve(IssuerParty.DATABASE_FILE),
          "SELECT state || ' ' || response_code FROM issuer_auth_txn WHERE kind = 'ADVICE' ORDER BY 1"))
          .containsExactly("DECLINED 91", "POSTED 00");
      // the acquirer reversed nothing here: each answer reached the terminal
      assertThat(pendingReversals(0)).isZero();
    }
  }

  @Test
  @Order(3)
  void theAcquirerReversesWhatItCouldNotAnswerAcrossAKillOfItsOwnProcess() throws Exception {
    FaultProxy proxy = acquirerProxies.get(0);
    proxy.reset();
    long reversalsBefore = reversals(0);
    List<CompletableFuture<Void>> restarts = new CopyOnWriteArrayList<>();
    TestTerminal.Tap killedOnAnswer;
    try (TestTerminal t = terminal(0)) {
      // kill -9 the acquirer as the issuer's 0110 reaches it: the issuer holds, the acquirer must reverse.
      proxy.arm("0110", Fault.ACT, () -> PartyProcess.killAndRestart(acquirers.get(0), restarts));
      killedOnAnswer = t.tap(card(0), 500);
    }
    awaitRestarts(restarts);
    TestTerminal.Tap killedOnRequest;
    try (TestTerminal t = terminal(0)) {
      // kill -9 the acquirer as it sends the 0100: stored SENT before it went, reversed after the restart.
      proxy.arm("0100", Fault.ACT, () -> PartyProcess.killAndRestart(acquirers.get(0), restarts));
      killedOnRequest = t.tap(card(1), 600);
    }
    awaitRestarts(restarts);
    try (TestTerminal t = terminal(0)) {
      // the 0110 lost on its way to the acquirer: 91 to the terminal, the 0400 from the queue.
      proxy.arm("0110", Fault.LOSE, null);
      TestTerminal.Tap lost = t.tap(card(0), 700);
      assertThat(lost.response()).as("the terminal's answer: %s", lost.outcome()).isNotNull();
      assertThat(lost.response().responseCode().code()).isEqualTo("91");
      assertThat(killedOnAnswer.approved()).isFalse();
      assertThat(killedOnRequest.approved()).isFalse();
      assertThat(proxy.applied()).containsExactly("0110 ACT", "0100 ACT", "0110 LOSE");
      await(() -> pendingReversals(0) == 0 && reversals(0) == reversalsBefore + 3,
          "the acquirer's three reversals acknowledged");
      HarnessCard card = card(0);
      TestTerminal.Tap after = t.tap(card, 800);
      assertThat(after.approved()).as("%s", after.outcome()).isTrue();
      expect(0, card, 800);
    }
  }

  /** Where a matrix fault is placed. */
  enum Link {
    ACQUIRER_SWITCH,
    SWITCH_ISSUER
  }

  /** One matrix cell; a reversal case first loses the 0110 to the acquirer, so that it reverses. */
  record Case(String mti, Link link, Fault fault) {
    boolean needsReversal() {
      return mti.equals("0400") || mti.equals("0410");
    }

    @Override
    public String toString() {
      return mti + " " + (fault == Fault.ACT ? "kill -9 " + (link == Link.SWITCH_ISSUER ? "issuer" : "switch") : fault)
          + " on " + link;
    }
  }

  /** One suite's lane of the matrix: harness acquirer n → switch → issuer n, on its own proxies. */
  static final class Lane implements AutoCloseable {
    final int index;
    final TestAcquirer acquirer;

    Lane(int index) {
      this.index = index;
      this.acquirer = new TestAcquirer(SchemeSetup.acquirerLink(scheme.acquirerDirs().get(index)),
          harnessProxies.get(index).port(), "TERMLAN" + index, ACQUIRER_TIMEOUT_MS);
    }

    void run(Case c) {
      FaultProxy acquirerSide = harnessProxies.get(index);
      FaultProxy issuerSide = issuerProxies.get(index);
      acquirerSide.reset();
      issuerSide.reset();
      if (c.needsReversal()) {
        acquirerSide.arm("0110", Fault.LOSE, null); // no answer: the acquirer reverses
      }
      List<CompletableFuture<Void>> restarts = new CopyOnWriteArrayList<>();
      (c.link() == Link.ACQUIRER_SWITCH ? acquirerSide : issuerSide).arm(c.mti(), c.fault(),
          () -> PartyProcess.killAndRestart(c.link() == Link.SWITCH_ISSUER ? issuers.get(index) : switchProcess, restarts));
      long startNs = System.nanoTime();
      HarnessCard card = card(index);
      long amount = 1_000 + card.accountIndex();
      TestAcquirer.Result result = acquirer.authorise(card, Money.ofMinor(amount, CurrencyUnit.CNY), 1);
      awaitRestarts(restarts);
      List<String> applied = new ArrayList<>(acquirerSide.applied());
      applied.addAll(issuerSide.applied());
      assertThat(applied).as("%s on %s: the fault was applied", c, card).contains(c.mti() + " " + c.fault());
      if (result.reversed()) {
        assertThat(result.reversal().responseCode().code()).as("%s: reversal acknowledged", c).isEqualTo("00");
      } else {
        assertThat(result.response()).as("%s: an answer", c).isNotNull();
      }
      boolean approved = result.approved() && !result.reversed();
      expect(index, card, approved ? amount : 0);
      System.err.printf("matrix %s %s: %s, %d ms%n", card.suite(), c, result.reversed() ? "reversed"
          : approved ? "approved " + result.response().approvalCode() : "declined " + result.response().responseCode(),
          (System.nanoTime() - startNs) / 1_000_000);
    }

    @Override
    public void close() {
      acquirer.close();
    }
  }

  /**
   * The failure exit matrix: for 0100, 0110, 0400 and 0410, lost and duplicated on the
   * acquirer↔switch and the switch↔issuer link under both suites (the two lanes side by side), and
   * the sender or receiver killed -9 at that step: the issuer on the issuer link (each suite once as
   * receiver, once as sender), the switch on the acquirer link (the lanes taking turns).
   */
  @Test
  @Order(4)
  void failureExitMatrixEndsEveryAuthorisationApprovedOnceOrReleased() {
    List<List<Case>> laneCases = List.of(new ArrayList<>(), new ArrayList<>());
    List<String> mtis = List.of("0100", "0110", "0400", "0410");
    for (String mti : mtis) {
      for (Link link : Link.values()) {
        for (List<Case> cases : laneCases) {
          cases.add(new Case(mti, link, Fault.LOSE));
          cases.add(new Case(mti, link, Fault.DUPLICATE));
        }
      }
    }
    laneCases.get(0).addAll(List.of(new Case("0100", Link.SWITCH_ISSUER, Fault.ACT),
        new Case("0410", Link.SWITCH_ISSUER, Fault.ACT)));
    laneCases.get(1).addAll(List.of(new Case("0110", Link.SWITCH_ISSUER, Fault.ACT),
        new Case("0400", Link.SWITCH_ISSUER, Fault.ACT)));
    try (Lane lane0 = new Lane(0); Lane lane1 = new Lane(1)) {
      List<Lane> lanes = List.of(lane0, lane1);
      CompletableFuture<?>[] parallel = new CompletableFuture<?>[2];
      for (Lane lane : lanes) {
        parallel[lane.index] = CompletableFuture.runAsync(() -> laneCases.get(lane.index).forEach(lane::run),
            Thread::startVirtualThread);
      }
      CompletableFuture.allOf(parallel).join();
      int turn = 0;
      for (String mti : mtis) {
        lanes.get(turn++ % 2).run(new Case(mti, Link.ACQUIRER_SWITCH, Fault.ACT));
      }
    }
  }

  /**
   * Day end and clearing across the processes (docs/parties.md, "Day end and clearing"): each
   * acquirer process closes its day on a {@code party day-end} command and writes its presentment
   * file; the test carries files between the parties' {@code clearing/out/} and {@code clearing/in/}.
   * ACQ1's file is lost (not carried), the day end asked again gives the same file, which is then
   * re-sent and accepted; carried twice, the second copy is refused as a replay. ACQ2's file reaches
   * the switch as the switch is killed -9; restarted, it takes the file once. The issuer files reach
   * ISS1, and ISS2 as it is killed -9; restarted, it applies its file once. Every presentment ends
   * accepted once at the switch and at its issuer, and the issuers' answers are recorded at the switch.
   */
  @Test
  @Order(5)
  void clearingCrossesTheProcessesOnceThroughLossDuplicationAndKills() throws Exception {
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    Path acq1 = scheme.acquirerDirs().get(0);
    Path acq2 = scheme.acquirerDirs().get(1);
    Path switchIn = PartyInbox.in(scheme.switchDir());
    Path switchDb = scheme.switchDir().resolve("switch.db");
    List<String> duplicates = new ArrayList<>();
    java.util.concurrent.atomic.AtomicInteger carried = new java.util.concurrent.atomic.AtomicInteger();

    java.io.PrintStream savedOut = System.out;
    int exit;
    try {
      System.setOut(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
      exit = io.iotpay.app.Main.run("party", "day-end", "--data-dir", acq1.toString(), "--date", today.toString());
    } finally {
      System.setOut(savedOut);
    }
    assertThat(exit).isZero();
    Path file1 = awaitFile(PartyInbox.out(acq1).resolve("presentment-ACQ1-" + today + "-1.txt"));
    long n1 = presentments(file1);
    assertThat(n1).as("ACQ1's approved purchases").isPositive();
    // lost: never carried to the switch. The day end asked again writes no second file.
    Path again = PartyInbox.writeDayEnd(acq1, today);
    await(() -> !Files.exists(again), "ACQ1 took the second day-end");
    assertThat(names(PartyInbox.out(acq1))).containsExactly(file1.getFileName().toString(), file1.getFileName() + ".sig");
    assertThat(count(switchDb, "SELECT COUNT(*) FROM online_presentment")).isZero();
    // a forged copy (a byte flipped, the genuine signature) and an unsigned one dropped in the switch's inbox:
    // refused with their reasons, nothing recorded
    SignedPartyFilesTest.dropForged(file1, switchIn, "forged-" + file1.getFileName());
    carry(file1, switchIn, "unsigned-" + file1.getFileName());
    await(() -> Files.exists(switchIn.resolve(PartyInbox.REFUSED).resolve("forged-" + file1.getFileName()))
        && Files.exists(switchIn.resolve(PartyInbox.REFUSED).resolve("unsigned-" + file1.getFileName())),
        "the switch refused the forged and the unsigned file");
    assertThat(rows(switchDb, "SELECT file_name || ' ' || signer || ' ' || outcome || ' ' || reason FROM online_file_event"
        + " ORDER BY file_name")).satisfiesExactly(
            r -> assertThat(r).startsWith("forged-" + file1.getFileName() + " not verified REFUSED SIGNATURE: FORGED"),
            r -> assertThat(r).startsWith("unsigned-" + file1.getFileName() + " not verified REFUSED SIGNATURE: UNSIGNED"));
    assertThat(count(switchDb, "SELECT COUNT(*) FROM online_presentment")).isZero();
    assertThat(count(switchDb, "SELECT COUNT(*) FROM online_clearing_file")).isZero();
    // re-sent: accepted, every presentment once
    carrySigned(file1, switchIn, file1.getFileName().toString());
    await(() -> Files.exists(switchIn.resolve(PartyInbox.DONE).resolve(file1.getFileName())), "the switch took ACQ1's file");
    assertThat(acceptedAtSwitch("ACQ1")).isEqualTo(n1);
    // duplicated: the same file again is a replay; nothing is recorded twice
    carrySigned(file1, switchIn, "copy-" + file1.getFileName());
    await(() -> Files.exists(switchIn.resolve(PartyInbox.DONE).resolve("copy-" + file1.getFileName())),
        "the switch took the copy");
    assertThat(count(switchDb, "SELECT COUNT(*) FROM online_presentment WHERE acquirer = 'ACQ1'")).isEqualTo(n1);
    assertThat(count(switchDb, "SELECT COUNT(*) FROM online_clearing_file WHERE sender = 'ACQ1'")).isEqualTo(1);

    // ACQ2's file arrives as the switch is killed -9; restarted on its directory, it takes it once
    PartyInbox.writeDayEnd(acq2, today);
    Path file2 = awaitFile(PartyInbox.out(acq2).resolve("presentment-ACQ2-" + today + "-1.txt"));
    long n2 = presentments(file2);
    assertThat(n2).as("ACQ2's approved purchases").isPositive();
    carrySigned(file2, switchIn, file2.getFileName().toString());
    switchProcess.kill();
    switchProcess.start();
    await(() -> Files.exists(switchIn.resolve(PartyInbox.DONE).resolve(file2.getFileName())), "the switch took ACQ2's file");
    assertThat(acceptedAtSwitch("ACQ2")).isEqualTo(n2);
    carrySigned(file2, switchIn, "copy-" + file2.getFileName()); // and duplicated
    await(() -> Files.exists(switchIn.resolve(PartyInbox.DONE).resolve("copy-" + file2.getFileName())),
        "the switch took the copy of ACQ2's file");
    assertThat(count(switchDb, "SELECT COUNT(*) FROM online_presentment WHERE acquirer = 'ACQ2'")).isEqualTo(n2);
    assertThat(count(switchDb, "SELECT COUNT(*) FROM online_clearing_file")).isEqualTo(2);
    long toIss1 = count(switchDb, "SELECT COUNT(*) FROM online_presentment WHERE issuer = 'ISS1'");
    long toIss2 = count(switchDb, "SELECT COUNT(*) FROM online_presentment WHERE issuer = 'ISS2'");
    assertThat(toIss1 + toIss2).isEqualTo(n1 + n2);
    await(() -> count(switchDb, "SELECT COUNT(*) FROM online_presentment WHERE issuer_file_sequence IS NULL") == 0,
        "every presentment went into an issuer file");

    // the issuer files: ISS1 gets them plainly, ISS2 is killed -9 as they arrive
    for (int i = 0; i < 2; i++) {
      Path issuerIn = PartyInbox.in(scheme.issuerDirs().get(i));
      String prefix = "presentment-ISS" + (i + 1) + "-";
      List<String> mine = names(PartyInbox.out(scheme.switchDir())).stream()
          .filter(n -> n.startsWith(prefix) && !n.endsWith(".sig")).toList();
      boolean killed = i == 1;
      assertThat(mine).as("issuer files for ISS%d", i + 1).isNotEmpty();
      for (String name : mine) {
        carrySigned(PartyInbox.out(scheme.switchDir()).resolve(name), issuerIn, name);
      }
      if (i == 1) {
        issuers.get(1).kill();
        issuers.get(1).start();
      }
      for (String name : mine) {
        // A kill -9 between recording the file and moving it leaves it to be taken again: then it is a replay.
        await(() -> Files.exists(issuerIn.resolve(PartyInbox.DONE).resolve(name))
            || killed && Files.exists(issuerIn.resolve(PartyInbox.REFUSED).resolve(name)), "ISS" + (i + 1) + " applied " + name);
        if (i == 0) { // ISS1's files duplicated: the copy is refused as a replay and moves nothing
          carrySigned(PartyInbox.out(scheme.switchDir()).resolve(name), issuerIn, "copy-" + name);
          await(() -> Files.exists(issuerIn.resolve(PartyInbox.REFUSED).resolve("copy-" + name)),
              "ISS1 refused the copy of " + name);
          await(() -> logHas(issuers.get(0), "refused copy-" + name + ": REPLAYED"), "ISS1 logged the replay's reason");
        }
      }
      Path issuerDb = scheme.issuerDirs().get(i).resolve(IssuerParty.DATABASE_FILE);
      long want = i == 0 ? toIss1 : toIss2;
      assertThat(count(issuerDb, "SELECT COUNT(*) FROM issuer_clearing_result")).as("ISS%d results", i + 1).isEqualTo(want);
      assertThat(rows(issuerDb, "SELECT DISTINCT status FROM issuer_clearing_result")).as("ISS%d", i + 1)
          .containsOnly("ACCEPTED");
      // the results go back to the switch, which records each once
      for (String name : names(PartyInbox.out(scheme.issuerDirs().get(i))).stream().filter(n -> !n.endsWith(".sig")).toList()) {
        carrySigned(PartyInbox.out(scheme.issuerDirs().get(i)).resolve(name), switchIn, name);
        await(() -> Files.exists(switchIn.resolve(PartyInbox.DONE).resolve(name)), "the switch recorded " + name);
        carrySigned(PartyInbox.out(scheme.issuerDirs().get(i)).resolve(name), switchIn, name); // duplicated: a replay
        await(() -> Files.exists(switchIn.resolve(PartyInbox.REFUSED).resolve(name)), "the switch refused the duplicate of " + name);
        duplicates.add(name);
      }
    }
    assertThat(rows(switchDb, "SELECT DISTINCT status || ' ' || issuer_status FROM online_presentment"))
        .containsExactly("ACCEPTED ACCEPTED");
    // ACQ1 takes the switch's (signed) answer to its file
    Path answer = PartyInbox.out(scheme.switchDir()).resolve("presentment-result-ACQ1-" + today + "-1.txt");
    carrySigned(answer, PartyInbox.in(acq1), answer.getFileName().toString());
    await(() -> Files.exists(PartyInbox.in(acq1).resolve(PartyInbox.DONE).resolve(answer.getFileName())),
        "ACQ1 took the switch's answer");
    // refused at the switch: only the forged and the unsigned file, and the issuers' duplicated result files as replays
    List<String> refusedAtSwitch = new ArrayList<>(List.of("forged-" + file1.getFileName(), "unsigned-" + file1.getFileName()));
    refusedAtSwitch.addAll(duplicates);
    assertThat(names(switchIn.resolve(PartyInbox.REFUSED)).stream().filter(n -> !n.endsWith(".sig")).toList())
        .containsExactlyInAnyOrderElementsOf(refusedAtSwitch);
    for (String name : duplicates) {
      assertThat(rows(switchDb, "SELECT outcome || ' ' || reason FROM online_file_event WHERE outcome = 'REFUSED' AND file_name = '"
          + name + "'")).singleElement().asString().startsWith("REFUSED REPLAYED");
    }
    // every file carried and taken is signed and verifies as its sender's
    SignedFileVerifier atSwitch = SignedPartyFilesTest.verifier(scheme.switchDir(), AlgorithmSuite.INTERNATIONAL, "SWITCH");
    for (String name : names(switchIn.resolve(PartyInbox.DONE)).stream().filter(n -> !n.endsWith(".sig")).toList()) {
      boolean result = name.startsWith("presentment-result-");
      assertThat(atSwitch.verify(switchIn.resolve(PartyInbox.DONE).resolve(name), result ? FileKind.PRESENTMENT_RESULT
          : FileKind.PRESENTMENT, AcceptedFiles.NONE).signer().party().value()).as(name)
          .isEqualTo(name.replaceFirst("^(copy-)?presentment-(result-)?", "").substring(0, 4));
      carried.incrementAndGet();
    }
    for (int i = 0; i < 2; i++) {
      Path done = PartyInbox.in(scheme.issuerDirs().get(i)).resolve(PartyInbox.DONE);
      SignedFileVerifier atIssuer = SignedPartyFilesTest.verifier(scheme.issuerDirs().get(i), AlgorithmSuite.INTERNATIONAL,
          "ISS" + (i + 1));
      for (String name : names(done).stream().filter(n -> !n.endsWith(".sig")).toList()) {
        assertThat(atIssuer.verify(done.resolve(name), FileKind.PRESENTMENT, AcceptedFiles.NONE).signer().party().value())
            .as(name).isEqualTo("SWITCH");
        carried.incrementAndGet();
      }
    }
    assertThat(carried.get()).as("files carried, taken and verified").isGreaterThanOrEqualTo(8);
  }

  /** Whether the party's log (its stderr) holds {@code text}. */
  static boolean logHas(PartyProcess party, String text) {
    try {
      return Files.readString(party.log(), java.nio.charset.StandardCharsets.UTF_8).contains(text);
    } catch (java.io.IOException e) {
      return false;
    }
  }

  /** The file transfer of a signed file: its signature {@code <name>.sig} first, then the file (each copied, then renamed in). */
  static void carrySigned(Path from, Path toDirectory, String name) throws java.io.IOException {
    carry(FileSigner.signaturePath(from), toDirectory, name + ".sig");
    carry(from, toDirectory, name);
  }

  static long acceptedAtSwitch(String acquirer) {
    return count(scheme.switchDir().resolve("switch.db"),
        "SELECT COUNT(*) FROM online_presentment WHERE status = 'ACCEPTED' AND acquirer = '" + acquirer + "'");
  }

  static long presentments(Path file) throws java.io.IOException {
    try (var in = Files.newInputStream(file)) {
      return PresentmentFile.read(in, FileLimits.defaults()).presentments().size();
    }
  }

  /** The file transfer between parties: a copy written beside the target, then renamed in (as a real transfer would). */
  static void carry(Path from, Path toDirectory, String name) throws java.io.IOException {
    Path temp = toDirectory.resolve(name + ".tmp");
    Files.copy(from, temp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Files.move(temp, toDirectory.resolve(name), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  static List<String> names(Path directory) throws java.io.IOException {
    if (!Files.isDirectory(directory)) {
      return List.of();
    }
    try (var files = Files.list(directory)) {
      return files.filter(Files::isRegularFile).map(f -> f.getFileName().toString()).filter(n -> !n.endsWith(".tmp"))
          .sorted().toList();
    }
  }

  static Path awaitFile(Path file) {
    await(() -> Files.isRegularFile(file), file.getFileName() + " written");
    return file;
  }

  @AfterAll
  static void booksBalanceAndNoCardIsDebitedTwice() throws Exception {
    try {
      for (int i = 0; i < 2; i++) {
        String id = "ISS" + (i + 1);
        int acquirer = i;
        await(() -> undeliveredAdvices(id) == 0, "every advice reached " + id);
        await(() -> pendingReversals(acquirer) == 0, "every reversal of ACQ" + (acquirer + 1) + " acknowledged");
      }
    } finally {
      List<FaultProxy> proxies = new ArrayList<>(issuerProxies);
      proxies.addAll(acquirerProxies);
      proxies.addAll(harnessProxies);
      proxies.forEach(FaultProxy::close);
      List<PartyProcess> everyone = new ArrayList<>(acquirers);
      everyone.add(switchProcess);
      everyone.addAll(issuers);
      for (PartyProcess p : everyone) {
        assertThat(p.stop()).as("exit status on SIGTERM").isIn(0, 143);
      }
    }
    for (int i = 0; i < 2; i++) {
      IssuerParty.Books books = IssuerParty.books(scheme.issuerDirs().get(i), null);
      assertThat(books.balanced()).as("ISS%d's books", i + 1).isTrue();
      long owed = 0;
      for (int card = 0; card < nextCard[i]; card++) {
        long want = expected.getOrDefault(i + "/" + card, 0L);
        assertThat(books.cardDebitedMinor(card)).as("ISS%d card %d: debited once", i + 1, card).isEqualTo(want);
        owed += want;
      }
      assertThat(books.settlementCreditedMinor()).as("ISS%d owes the scheme", i + 1).isEqualTo(owed);
    }
    auditLogsVerifyAgainstEachPartysPublicKey();
  }

  /**
   * {@code iotpay audit verify --db … --public-key …} on every issuer's and acquirer's database,
   * against the public key in the party's directory: every leaf and checkpoint holds (exit 0), and
   * each log has signed checkpoints over leaves.
   */
  static void auditLogsVerifyAgainstEachPartysPublicKey() {
    List<Path> dirs = new ArrayList<>(scheme.issuerDirs());
    dirs.addAll(scheme.acquirerDirs());
    for (Path dir : dirs) {
      Path db = dir.resolve(dir.getFileName().toString().startsWith("issuer") ? IssuerParty.DATABASE_FILE
          : AcquirerParty.HOST_DATABASE_FILE);
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      java.io.PrintStream savedOut = System.out;
      int exit;
      try {
        System.setOut(new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));
        exit = io.iotpay.app.Main.run("audit", "verify", "--db", db.toString(), "--public-key",
            AuditSigningKey.publicKeyFile(dir).toString());
      } finally {
        System.setOut(savedOut);
      }
      String report = out.toString(java.nio.charset.StandardCharsets.UTF_8);
      assertThat(exit).as(dir.getFileName() + " audit verify: " + report).isZero();
      assertThat(report).as(dir.getFileName() + " audit report").containsPattern("\"verified\"\\s*:\\s*true")
          .doesNotContainPattern("\"checkpoints\"\\s*:\\s*0\\b").doesNotContainPattern("\"leaves\"\\s*:\\s*0\\b");
    }
  }

  static synchronized HarnessCard card(int issuer) {
    return cards.get(issuer).get(nextCard[issuer]++);
  }

  static void expect(int issuer, HarnessCard card, long amountMinor) {
    expected.merge(issuer + "/" + card.accountIndex(), amountMinor, Long::sum);
  }

  static TestTerminal terminal(int acquirer) {
    return new TestTerminal(SchemeSetup.terminalLink(scheme.acquirerDirs().get(acquirer)));
  }

  static PartyProcess process(String name, Path dataDir, String party, String... extra) {
    List<String> args = new ArrayList<>(List.of(party, "--data-dir", dataDir.toString()));
    args.addAll(List.of(extra));
    return new PartyProcess(name, dataDir.resolveSibling(name + ".log"), args.toArray(String[]::new));
  }

  /** Starts the processes side by side (each JVM takes seconds on a busy machine). */
  static void startAll(List<PartyProcess> processes) {
    CompletableFuture.allOf(processes.stream().map(p -> CompletableFuture.runAsync(() -> {
      try {
        p.start();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }, Thread::startVirtualThread)).toArray(CompletableFuture[]::new)).join();
  }

  static void awaitRestarts(List<CompletableFuture<Void>> restarts) {
    restarts.forEach(CompletableFuture::join);
    restarts.clear();
  }

  static long undeliveredAdvices(String issuer) {
    return count(scheme.switchDir().resolve("switch.db"),
        "SELECT COUNT(*) FROM online_advice WHERE delivered_at_ms IS NULL AND issuer = '" + issuer + "'");
  }

  static long pendingReversals(int acquirer) {
    return count(scheme.acquirerDirs().get(acquirer).resolve(AcquirerParty.HOST_DATABASE_FILE),
        "SELECT COUNT(*) FROM online_reversal WHERE acked_at_ms IS NULL");
  }

  static long reversals(int acquirer) {
    return count(scheme.acquirerDirs().get(acquirer).resolve(AcquirerParty.HOST_DATABASE_FILE),
        "SELECT COUNT(*) FROM online_reversal");
  }

  static long count(Path database, String sql) {
    return Long.parseLong(rows(database, sql).get(0));
  }

  /** One text column per row of a read-only query on a party's SQLite file (the party may be running). */
  static List<String> rows(Path database, String sql) {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + database + "?open_mode=1");
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery(sql)) {
      List<String> rows = new ArrayList<>();
      while (r.next()) {
        rows.add(r.getString(1));
      }
      return rows;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  static void await(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      LockSupport.parkNanos(50_000_000);
    }
  }
}
