package io.iotpay.demo.transit;

import static io.iotpay.demo.transit.TransitParties.DAY;
import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.demo.transit.NightLinks.Role;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.Certificates;
import io.iotpay.foundation.store.Database;
import io.iotpay.ledger.LedgerAuditCheck;
import io.iotpay.ledger.audit.AuditSigningKey;
import io.iotpay.ledger.audit.AuditVerifier;
import io.iotpay.ledger.audit.Checkpoint;
import io.iotpay.ledger.audit.DatabaseAuditSource;
import io.iotpay.ledger.audit.PublicKeyPem;
import io.iotpay.protocol.file.FileKind;
import io.iotpay.protocol.party.PartyFiles;
import io.iotpay.protocol.pki.AcceptedFiles;
import io.iotpay.protocol.pki.SignedFileVerifier;
import io.iotpay.protocol.pki.VerifiedFile;
import io.iotpay.protocol.transit.TransitRecord;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * kill -9 of one transit party, each in its own process, at a random point of the night
 * (docs/clearing-files.md §13; issue 13's "must show"): {@link NightScheme} sets up the scheme CA and
 * each party's sealed keys and certificate; the operator (the transit acquirer), the switch and the
 * issuer each run in a JVM of their own ({@link NightParty}) on their own data directory and
 * database, and exchange the signed production files (day files, clearing files, settlement reports,
 * exception files, deny lists) through {@link NightLinks}. The test drives the night's commands
 * ({@link NightScript}'s four settlement windows with chargebacks, a late presentment and a
 * re-presentment; two genuine fares; a deny list), picks one party at random and a random command it takes part in, and kills
 * its process with {@code destroyForcibly} (SIGKILL) a random few ms into that command; it restarts
 * the party on the same directory, runs the command again if it was the killed party's, and lets the
 * night complete.
 *
 * <p>Then, from the parties' own records: every journaled fare cleared once and debited once, each
 * refused fare charged back once and the re-presented one once, nothing settled twice (every amount
 * exact), nothing left owed, every file that crossed a link verified against its sender's
 * certificate, nothing refused, every party's books balanced and its audit log verified against its
 * public key. Five runs by default (CI); {@code -Diotpay.kill.runs=30} for more; the suites
 * alternate.
 *
 * <p>The three processes are started once and host one night after another, each night on new
 * directories with new keys (starting a JVM is most of a night's time on a loaded machine); the
 * killed party's JVM is a new one from then on, and a night that fails stops them all. The parties'
 * logs (stderr) are in {@code target/night-kill-logs/}.
 */
class NightKillTest {
  private static final Logger LOG = LoggerFactory.getLogger(NightKillTest.class);
  /** The day the issuer's deny list is published and relayed. */
  static final LocalDate DENY_LIST_DAY = DAY.plusDays(4);
  private static final long ANSWER_WAIT_MS = 180_000;
  private static final int KILL_DELAY_MS_MAX = 40;
  private static final long GENUINE_FARES_MINOR = 250 + 150;

  private static final Processes PARTIES = new Processes();

  @TempDir Path tempDir;

  @AfterAll
  static void stopParties() throws InterruptedException {
    PARTIES.stop();
  }

  /** One command of the night: its party, the parties it involves (a kill of one of them hits it), the line. */
  record Step(Role owner, Set<Role> involved, String command) {}

  static Stream<Arguments> runs() {
    return NightScript.runs("iotpay.kill");
  }

  @ParameterizedTest
  @MethodSource("runs")
  void killMinus9OfOnePartyProcess_atARandomStep_restartedOnItsDirectory_nothingLostOrTwice_filesVerified_booksBalance_auditsVerify(
      long seed, AlgorithmSuite suite) throws Exception {
    Random random = new Random(seed);
    Path root = PartyFiles.ownerOnlyDirectory(tempDir.resolve("night-" + seed));
    NightScheme scheme = NightScheme.create(root, suite);
    List<Step> steps = night(scheme);
    Role victim = Role.values()[random.nextInt(Role.values().length)];
    List<Integer> candidates = IntStream.range(0, steps.size()).filter(i -> steps.get(i).involved().contains(victim))
        .boxed().toList();
    int killStep = candidates.get(random.nextInt(candidates.size()));
    int delayMs = random.nextInt(KILL_DELAY_MS_MAX);
    long startNs = System.nanoTime();
    LOG.warn("Kill run [seed={}, suite={}, victim={}, step={} ({} {}), delayMs={}]", seed, suite, victim, killStep,
        steps.get(killStep).owner(), steps.get(killStep).command(), delayMs);
    Map<Role, Map<String, String>> figures = new EnumMap<>(Role.class);
    boolean clean = false;
    try {
      PARTIES.open(scheme);
      LOG.warn("Parties ready [ms={}]", (System.nanoTime() - startNs) / 1_000_000);
      for (int i = 0; i < steps.size(); i++) {
        Step step = steps.get(i);
        PARTIES.get(step.owner()).send(step.command());
        if (i == killStep) {
          PARTIES.kill(victim, delayMs, step, scheme);
        }
        PARTIES.get(step.owner()).await("OK " + step.command());
      }
      for (Role role : Role.values()) {
        figures.put(role, PARTIES.get(role).finish());
      }
      clean = true;
    } finally {
      if (!clean) {
        PARTIES.destroy(); // a night that failed leaves no process to the next
      }
    }
    LOG.warn("Night done [ms={}, figures={}]", (System.nanoTime() - startNs) / 1_000_000, figures);
    assertEverythingOnce(figures);
    assertEveryFileVerified(scheme);
    for (Role role : Role.values()) {
      assertThat(auditVerifies(scheme, role)).as("%s's audit log verifies", role).isTrue();
    }
    LOG.warn("Run checked [ms={}]", (System.nanoTime() - startNs) / 1_000_000);
  }

  /** The night's commands, in order (the figures of {@link #assertEverythingOnce}). */
  static List<Step> night(NightScheme scheme) {
    TransitRecord refusedFirst = TransitParties.exitWithoutValidTac(scheme.suite(), NightScheme.unknownPan("88888888"), 1,
        1, 300, DAY);
    TransitRecord unknownCard = TransitParties.exitWithoutValidTac(scheme.suite(), NightScheme.unknownPan("99999999"), 2,
        1, 200, DAY);
    TransitRecord late = TransitParties.exitWithoutValidTac(scheme.suite(), NightScheme.unknownPan("88888888"), 3, 2,
        100, DAY);
    Path dayJournal = scheme.writeJournal("journal-1.txt", List.of(refusedFirst, unknownCard,
        scheme.genuineExit("G2", 1, 1, 250), scheme.genuineExit("G2", 2, 2, 150)));
    Path lateJournal = scheme.writeJournal("journal-2.txt", List.of(late));
    Set<Role> withSwitch = Set.of(Role.OPERATOR, Role.SWITCH);
    List<Step> steps = new ArrayList<>();
    steps.add(new Step(Role.OPERATOR, Set.of(Role.OPERATOR), "collect " + dayJournal));
    steps.add(new Step(Role.OPERATOR, withSwitch, "upload " + DAY));
    window(steps, DAY);
    steps.add(new Step(Role.OPERATOR, Set.of(Role.OPERATOR), "collect " + lateJournal));
    steps.add(new Step(Role.OPERATOR, withSwitch, "upload " + DAY)); // the late presentment, into window T+1
    window(steps, DAY.plusDays(1));
    steps.add(new Step(Role.OPERATOR, withSwitch, "represent " + refusedFirst.id().terminalId() + " "
        + refusedFirst.id().sequence()));
    window(steps, DAY.plusDays(2));
    window(steps, DAY.plusDays(3));
    steps.add(new Step(Role.ISSUER, Set.of(Role.ISSUER, Role.SWITCH), "denylist " + DENY_LIST_DAY));
    steps.add(new Step(Role.OPERATOR, Set.of(Role.OPERATOR), "denylists"));
    return steps;
  }

  private static void window(List<Step> steps, LocalDate window) {
    steps.add(new Step(Role.SWITCH, Set.of(Role.SWITCH), "settle " + window));
    steps.add(new Step(Role.ISSUER, Set.of(Role.ISSUER, Role.SWITCH), "morning " + window));
    steps.add(new Step(Role.OPERATOR, Set.of(Role.OPERATOR), "morning " + window));
  }

  /**
   * Each amount once, in its place, nothing owed: the refused fares (300 and 200 on day T, 100 late)
   * charged back, 300 re-presented into the issuer's arrears; the card's genuine fares (250 + 150)
   * cleared and debited once, and settled to the operator.
   */
  private static void assertEverythingOnce(Map<Role, Map<String, String>> figures) {
    Map<String, String> operator = figures.get(Role.OPERATOR);
    Map<String, String> issuer = figures.get(Role.ISSUER);
    Map<String, String> transitSwitch = figures.get(Role.SWITCH);
    figures.forEach((role, own) -> assertThat(own).as("%s's books", role).containsEntry("books.balanced", "true"));
    assertThat(operator).containsEntry("operator.revenue", Long.toString(600 + GENUINE_FARES_MINOR))
        .containsEntry("operator.chargebacks", "300").containsEntry("operator.settled", Long.toString(300 + GENUINE_FARES_MINOR))
        .containsEntry("operator.receivable", "0").containsEntry("operator.settled.windows", "4")
        .containsEntry("operator.denylist.version", issuer.get("issuer.denylist.version"));
    assertThat(issuer).containsEntry("issuer.cleared", "2/" + GENUINE_FARES_MINOR)
        .containsEntry("issuer.rider.debit", Long.toString(GENUINE_FARES_MINOR)).containsEntry("issuer.arrears", "300")
        .containsEntry("issuer.due.to.switch", "0").containsEntry("issuer.funding", Long.toString(300 + GENUINE_FARES_MINOR));
    assertThat(transitSwitch).containsEntry("switch.settlement", "0").containsEntry("switch.due.from.issuer", "0")
        .containsEntry("switch.due.to.operator", "0").containsEntry("switch.late", "1/100")
        .containsEntry("switch.disputes", "CHARGEBACK,CHARGEBACK,CHARGEBACK,REPRESENTMENT")
        .containsEntry("switch.disputes.netted", "true").containsEntry("switch.exception.rejections", "0")
        .containsEntry("switch.file.rejections", "0");
  }

  /**
   * Every file that crossed a link verifies as its sender's (the switch also signs the deny lists it
   * relays) for its receiver; none was refused.
   */
  private static void assertEveryFileVerified(NightScheme scheme) throws IOException {
    X509Certificate ca = Certificates.parse(Files.readAllBytes(scheme.dataDir(Role.SWITCH).resolve(NightScheme.CA_FILE)));
    for (NightLinks.Link link : new NightLinks(scheme.root().resolve("links")).links()) {
      SignedFileVerifier verifier = new SignedFileVerifier(scheme.suite(), ca, NightScheme.id(link.to()));
      List<Path> files;
      try (Stream<Path> walk = Files.walk(link.directory())) {
        files = walk.filter(p -> delivered(link.directory(), p)).toList();
      }
      assertThat(files).as("files from %s to %s", link.from(), link.to()).isNotEmpty();
      assertThat(link.directory().resolve(NightLinks.REFUSED)).as("refused from %s", link.from()).doesNotExist();
      for (Path file : files) {
        VerifiedFile verified = verifier.verify(file, kindOf(file), AcceptedFiles.NONE);
        assertThat(verified.signer().party()).as("signer of %s", file).isEqualTo(NightScheme.id(link.from()));
      }
    }
  }

  /** A file delivered whole: a {@code .txt} not under a hidden (staging or temporary) name. */
  private static boolean delivered(Path linkDirectory, Path file) {
    if (!file.getFileName().toString().endsWith(".txt") || !Files.isRegularFile(file)) {
      return false;
    }
    for (Path part : linkDirectory.relativize(file)) {
      if (part.toString().startsWith(".")) {
        return false;
      }
    }
    return true;
  }

  private static FileKind kindOf(Path file) {
    String name = file.getFileName().toString();
    return name.startsWith("offline-") ? FileKind.OFFLINE : name.startsWith("denylist-") ? FileKind.DENY_LIST
        : name.equals(NightLinks.CLEARING) ? FileKind.CLEARING : name.equals(NightLinks.SETTLEMENT) ? FileKind.SETTLEMENT
        : FileKind.EXCEPTION;
  }

  /** The party's audit log, read from its database, against the public key of its data directory. */
  private static boolean auditVerifies(NightScheme scheme, Role role) throws Exception {
    Path dir = scheme.dataDir(role);
    Path pem = AuditSigningKey.publicKeyFile(dir);
    byte[] der = PublicKeyPem.decodeAll(Files.readString(pem), pem.toString()).get(0);
    PublicKey key = scheme.suite().signature().publicKeyFromDer(der);
    try (Database database = Database.open("jdbc:sqlite:" + dir.resolve(NightScheme.DATABASE_FILE), 1)) {
      return AuditVerifier.verify(DatabaseAuditSource.of(database), Map.of(Checkpoint.keyIdOf(scheme.suite(), der), key),
          LedgerAuditCheck.of(database)).verified();
    }
  }

  /**
   * The three party processes, kept from one night to the next (a JVM start is most of a night's
   * time on a loaded machine): each night is opened in them on its own directories; the killed
   * party's JVM is a new one from then on. A night that fails stops them all.
   */
  private static final class Processes {
    private final Map<Role, PartyProcess> running = new EnumMap<>(Role.class);

    /** Starts whichever party has no process (together) and opens the night in each. */
    void open(NightScheme scheme) throws IOException, InterruptedException {
      List<Role> starting = new ArrayList<>();
      for (Role role : Role.values()) {
        if (!running.containsKey(role)) {
          running.put(role, PartyProcess.start(role));
          starting.add(role);
        }
      }
      for (Role role : starting) {
        running.get(role).await(NightParty.READY);
      }
      for (Role role : Role.values()) {
        running.get(role).open(scheme);
      }
    }

    PartyProcess get(Role role) {
      return running.get(role);
    }

    /**
     * Kills {@code victim} {@code delayMs} into {@code step}, restarts it on its directory, and gives
     * it the step again when it is the step's party (every step is safe to run again).
     */
    void kill(Role victim, int delayMs, Step step, NightScheme scheme) throws Exception {
      PartyProcess killed = running.get(victim);
      killed.process().waitFor(delayMs, TimeUnit.MILLISECONDS); // a few ms into the step, wherever the party then is
      killed.process().destroyForcibly();
      assertThat(killed.process().waitFor(ANSWER_WAIT_MS, TimeUnit.MILLISECONDS)).isTrue();
      boolean stepDone = running.get(step.owner()).lines().contains("OK " + step.command());
      LOG.warn("Killed [victim={}, step done before the kill={}]", victim, stepDone);
      PartyProcess restarted = PartyProcess.start(victim);
      running.put(victim, restarted);
      restarted.await(NightParty.READY);
      restarted.open(scheme);
      LOG.warn("Restarted [victim={}]", victim);
      if (victim == step.owner()) {
        restarted.send(step.command());
      }
    }

    /** Ends every process: {@code exit}, then SIGKILL for one that does not end. */
    void stop() throws InterruptedException {
      for (PartyProcess party : running.values()) {
        party.send(NightParty.EXIT);
        if (!party.process().waitFor(ANSWER_WAIT_MS, TimeUnit.MILLISECONDS)) {
          party.process().destroyForcibly();
        }
      }
      running.clear();
    }

    /** SIGKILL to every process. */
    void destroy() {
      running.values().forEach(party -> party.process().destroyForcibly());
      running.clear();
    }
  }

  /** A party's JVM, its stdin for commands and its stdout's lines, read by a thread of their own. */
  private record PartyProcess(Role role, Process process, PrintStream in, BlockingQueue<String> lines, Path log) {
    private static final String END = "\u0000end";

    static PartyProcess start(Role role) throws IOException {
      Path logs = Files.createDirectories(Path.of("target", "night-kill-logs"));
      Path log = logs.resolve(role.name().toLowerCase(java.util.Locale.ROOT) + "-" + System.nanoTime() + ".log")
          .toAbsolutePath();
      Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m", "-cp", System.getProperty("java.class.path"),
          NightParty.class.getName(), role.name())
          .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
      BlockingQueue<String> lines = new LinkedBlockingQueue<>();
      Thread reader = new Thread(() -> pump(process, lines), "night-" + role);
      reader.setDaemon(true);
      reader.start();
      return new PartyProcess(role, process, new PrintStream(process.getOutputStream(), true, StandardCharsets.US_ASCII),
          lines, log);
    }

    /** Opens the night: its root and suite, then the party's master key on the pipe (not echoed). */
    void open(NightScheme scheme) throws InterruptedException {
      String command = NightParty.OPEN + " " + scheme.root() + " " + scheme.suite();
      send(command);
      send(scheme.masterHex(role));
      await("OK " + command);
    }

    private static void pump(Process process, BlockingQueue<String> lines) {
      try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII))) {
        for (String line = out.readLine(); line != null; line = out.readLine()) {
          lines.add(line);
        }
      } catch (IOException e) {
        LOG.debug("Party output closed [error={}]", e.toString());
      } finally {
        lines.add(END);
      }
    }

    void send(String command) {
      in.println(command);
    }

    /** Waits for the answer {@code expected}; anything else (a FAIL, the process's end) fails the test. */
    void await(String expected) throws InterruptedException {
      String line = lines.poll(ANSWER_WAIT_MS, TimeUnit.MILLISECONDS);
      assertThat(line).as("%s answered (its log: %s)", role, log).isEqualTo(expected);
    }

    /** Closes the party's night: its figures, then {@code CLOSED}. */
    Map<String, String> finish() throws InterruptedException {
      send(NightParty.FINISH);
      Map<String, String> figures = new HashMap<>();
      String line = lines.poll(ANSWER_WAIT_MS, TimeUnit.MILLISECONDS);
      for (; line != null && line.startsWith(NightParty.FIGURE); line = lines.poll(ANSWER_WAIT_MS, TimeUnit.MILLISECONDS)) {
        String[] figure = line.substring(NightParty.FIGURE.length()).split(" ", 2);
        figures.put(figure[0], figure[1]);
      }
      assertThat(line).as("%s's last line (its log: %s)", role, log).isEqualTo(NightParty.CLOSED);
      return figures;
    }
  }
}
