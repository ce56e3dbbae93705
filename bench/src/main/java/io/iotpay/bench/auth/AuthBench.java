package io.iotpay.bench.auth;

import io.iotpay.bench.BenchFiles;
import com.sun.management.OperatingSystemMXBean;
import io.iotpay.foundation.InvalidInputException;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import io.iotpay.foundation.custody.KeyRef;
import io.iotpay.foundation.custody.KeyUsage;
import io.iotpay.foundation.custody.SoftwareKeyCustody;
import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.money.Money;
import io.iotpay.foundation.store.Database;
import io.iotpay.issuer.authorisation.card.CardAuthorisationService;
import io.iotpay.issuer.authorisation.card.ScriptSigner;
import io.iotpay.ledger.Account;
import io.iotpay.ledger.AccountBalance;
import io.iotpay.ledger.AccountFlags;
import io.iotpay.ledger.Ledger;
import io.iotpay.ledger.LedgerConfig;
import io.iotpay.ledger.Transfer;
import io.iotpay.ledger.TransferResult;
import io.iotpay.ledger.audit.AuditLog;
import io.iotpay.ledger.audit.AuditLogConfig;
import io.iotpay.protocol.Pan;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.iso8583.AuthorisationRequest;
import io.iotpay.protocol.iso8583.CardResponse;
import io.iotpay.protocol.iso8583.CardTransaction;
import io.iotpay.protocol.iso8583.Iso8583Client;
import io.iotpay.protocol.iso8583.Iso8583Message;
import io.iotpay.protocol.iso8583.Iso8583Server;
import io.iotpay.protocol.iso8583.Iso8583Wire;
import io.iotpay.protocol.iso8583.LinkSettings;
import io.iotpay.protocol.iso8583.MonthDayTime;
import io.iotpay.protocol.iso8583.Outcome;
import io.iotpay.protocol.iso8583.ResponseCode;
import io.iotpay.protocol.iso8583.ZoneKeys;
import io.iotpay.protocol.transit.CardRange;
import io.iotpay.switching.online.AcquirerEndpoint;
import io.iotpay.switching.online.IssuerEndpoint;
import io.iotpay.switching.online.OnlineSwitch;
import io.iotpay.switching.online.OnlineSwitchConfig;
import io.iotpay.switching.online.StandInLimits;
import io.iotpay.switching.online.StoreKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalTime;
import java.time.MonthDay;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.function.Predicate;

/**
 * {@code iotpay bench auth}: card authorisations per second end to end — a POS load generator acting
 * as the acquirer ({@link SoftCard}s making genuine ARQCs with keys from the issuer's own
 * derivation; requests pipelined on a few {@link Iso8583Client} connections, a bounded number in
 * flight) → the real {@link OnlineSwitch} (routing, repeat table, message log on SQLite) → the
 * real {@link CardAuthorisationService} behind its {@link Iso8583Server} (ARQC check through the
 * key custody, account checks, a hold in the SQLite ledger with its audit log, the ARPC) → the
 * 0110 back, its ARPC checked by the card. Every link is TCP over loopback with MACs, all in this
 * JVM (the three-process form waits for the party processes). With it, in the same run: the
 * reference — ARQC verification plus ARPC through the same custody, one thread — and the ratio; the
 * process's CPU per authorisation; p50 / p99 from request to checked answer; and the ledger's
 * balance check.
 */
public final class AuthBench {
  /** Targets of issue #15 on this 2-core machine, load generator included. */
  public static final double TARGET_PER_SECOND = 3_000;
  public static final double TARGET_P99_MS = 20;

  private static final PartyId ACQUIRER = PartyId.of("ACQ1");
  private static final PartyId ISSUER = PartyId.of("ISSA");
  private static final String IMK_LABEL = "imk-ac";
  private static final long BOOK = 1;
  private static final long FUNDING = 10;
  private static final long SETTLEMENT = 20;
  private static final long STAND_IN = 30;
  private static final long FIRST_CARD_ACCOUNT = 1_000;
  private static final long AMOUNT_MINOR = 100;
  private static final byte[] ARC_APPROVED = {'0', '0'};
  private static final MonthDayTime AT = new MonthDayTime(MonthDay.of(12, 7), LocalTime.of(9, 0, 0));

  /**
   * @param suite the suite of every key and link
   * @param cards soft cards (each its own account), 1..10,000
   * @param warmup unmeasured authorisations first (JIT, connections, caches)
   * @param authorisations measured authorisations, 1..900,000 (STANs are 6 digits)
   * @param connections load-generator connections to the switch, 1..16
   * @param inFlight most requests in flight at once, 1..4,096
   * @param referenceOps ARQC verifications + ARPCs timed for the reference
   */
  public record Settings(AlgorithmSuite suite, int cards, int warmup, int authorisations, int connections,
      int inFlight, int referenceOps) {
    public Settings {
      if (suite == null || cards < 1 || cards > 10_000 || warmup < 0 || authorisations < 1
          || warmup + authorisations > 900_000 || connections < 1 || connections > 16 || inFlight < 1
          || inFlight > 4_096 || referenceOps < 1) {
        throw new InvalidInputException("bench auth: --cards 1..10000, --authorisations 1..900000 (with --warmup),"
            + " --connections 1..16, --in-flight 1..4096");
      }
    }

    public static Settings quick(AlgorithmSuite suite) {
      return new Settings(suite, 200, 2_000, 20_000, 4, 256, 5_000);
    }
  }

  /**
   * The figures of one run.
   *
   * @param approved measured authorisations answered 00 with a valid ARPC
   * @param failed measured ones not approved, not answered, or with a wrong ARPC
   * @param cpuMsPerAuthorisation CPU time of every process of the run over the measured window /
   *     authorisations (load generator and parties together)
   * @param referencePerSecond ARQC verify + ARPC, one thread, through the custody
   * @param heldMinor the card accounts' pending debits after the run (warm-up included)
   * @param booksBalanced debits equal credits over every account, pending and posted
   * @param perProcess CPU per authorisation of each process over the measured window (one entry in
   *     the one-JVM form)
   */
  public record Report(AlgorithmSuite suite, int cards, int connections, int inFlight, int authorisations,
      int approved, int failed, double seconds, double perSecond, double p50Ms, double p99Ms, double maxMs,
      double cpuMsPerAuthorisation, double referencePerSecond, int processors, double loadAverage, long heldMinor,
      long expectedHeldMinor, boolean booksBalanced, List<ProcessCpu> perProcess) {
    public Report {
      perProcess = List.copyOf(perProcess);
    }

    /** Authorisations per second over the one-core reference. */
    public double ratioToReference() {
      return perSecond / referencePerSecond;
    }

    public boolean targetMet() {
      return failed == 0 && perSecond >= TARGET_PER_SECOND && p99Ms <= TARGET_P99_MS;
    }
  }

  /**
   * One process's CPU time over the measured window divided by the authorisations.
   *
   * @param name what runs in it ({@code load generator}, {@code issuer}, ...)
   * @param pid its process id
   */
  public record ProcessCpu(String name, long pid, double cpuMsPerAuthorisation) {}

  private final SecureRandom random = new SecureRandom();

  /** Builds the chain in this JVM, runs the reference and the load, and tears it down. */
  public Report run(Settings settings, Consumer<String> progress) {
    Path dir = BenchFiles.tempDir("iotpay-bench-auth", "the bench's databases");
    AlgorithmSuite suite = settings.suite();
    SecretKeyBytes imk = randomKey();
    Iso8583Wire wire = Iso8583Wire.load();
    ZoneKeys acquirerLink = zoneKeys(suite, "1");
    ZoneKeys issuerLink = zoneKeys(suite, "2");
    try (Database issuerDb = Database.open("jdbc:sqlite:" + dir.resolve("issuer.db"), 4);
        AuditLog audit = AuditLog.open(issuerDb, AuditLogConfig.of(suite, suite.signature().generateKeyPair(random)));
        Ledger ledger = Ledger.open(issuerDb, LedgerConfig.defaults(), Clock.systemUTC(), audit);
        SoftwareKeyCustody custody = SoftwareKeyCustody.open(dir.resolve("custody"), suite,
            new SecretKeyBytes(new byte[suite == AlgorithmSuite.INTERNATIONAL ? 32 : 16]))) {
      custody.importClear(IMK_LABEL, suite, KeyUsage.ISSUER_MASTER, imk);
      CardAuthorisationService host = new CardAuthorisationService(issuerDb, ledger, custody,
          new CardAuthorisationService.Config(SETTLEMENT, STAND_IN, 7 * 86_400_000L, randomKey().value(),
              ScriptSigner.software(suite, randomKey())), Clock.systemUTC());
      progress.accept("  issuer: " + settings.cards() + " cards, each with its own funded account");
      List<SoftCard> cards = issueCards(settings, suite, imk, ledger, host);
      progress.accept("  reference: " + settings.referenceOps() + " ARQC verifications + ARPCs, one thread");
      double reference = reference(settings.referenceOps(), custody, cards.get(0));
      try (Iso8583Server issuer = new Iso8583Server(LinkSettings.defaults("11110000", "ISSUER01").withEchoIntervalMs(0),
              issuerLink, host, wire).start(loopback(0));
          Database switchDb = Database.open("jdbc:sqlite:" + dir.resolve("switch-online.db"), 4);
          OnlineSwitch online = new OnlineSwitch(OnlineSwitchConfig.defaults(
              List.of(new AcquirerEndpoint(ACQUIRER, loopback(0), LinkSettings.defaults("99990000", "SWITCH01"),
                  acquirerLink)),
              List.of(new IssuerEndpoint(ISSUER, loopback(issuer.port()),
                  LinkSettings.defaults("99990000", "SWITCH01").withRequestTimeoutMs(10_000).withEchoIntervalMs(0),
                  issuerLink, IssuerEndpoint.STAND_IN_AFTER_MS_DEFAULT, new StandInLimits(cny(1), cny(1), cny(1)))),
              List.of(new CardRange("621234", ISSUER)), new StoreKeys(suite, randomKey(), randomKey(), randomKey())),
              switchDb, wire).start()) {
        List<Iso8583Client> links = new ArrayList<>();
        try {
          for (int i = 0; i < settings.connections(); i++) {
            Iso8583Client link = new Iso8583Client(loopback(online.port(ACQUIRER)),
                LinkSettings.defaults("48020000", String.format("ACQNODE%d", i + 1)).withRequestTimeoutMs(15_000)
                    .withEchoIntervalMs(0), acquirerLink, wire);
            link.connect();
            links.add(link);
          }
          byte[] un = new byte[4];
          int[] next = {0};
          Load load = new Load(settings.inFlight(), settings.authorisations(), stan -> {
            SoftCard card = cards.get(next[0] % cards.size());
            Iso8583Client link = links.get(next[0] % links.size());
            next[0]++;
            random.nextBytes(un);
            SoftCard.Arqc arqc;
            synchronized (card) {
              arqc = card.arqc(AMOUNT_MINOR, un);
            }
            CardTransaction t = new CardTransaction(card.pan, "000000", Money.ofMinor(AMOUNT_MINOR, CurrencyUnit.CNY), AT,
                stan, AT, YearMonth.of(2029, 12), "071", card.panSequence, "48020000", String.format("RRN%09d", stan),
                String.format("T%07d", stan % 10_000), "MERCHANT0000001", null, arqc.field55());
            return new Shot(link, new AuthorisationRequest(t), outcome -> outcome instanceof Outcome.Answered answered
                && answered.response() instanceof CardResponse response && response.responseCode() == ResponseCode.APPROVED
                && card.arpcValid(arqc, response.iccData(), ARC_APPROVED));
          });
          progress.accept("  warm-up: " + settings.warmup() + " authorisations");
          load.run(settings.warmup(), false);
          progress.accept("  measured: " + settings.authorisations() + " authorisations, " + settings.inFlight()
              + " in flight on " + settings.connections() + " connections");
          OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
          long cpu0 = os.getProcessCpuTime();
          long wall0 = System.nanoTime();
          load.run(settings.authorisations(), true);
          double seconds = (System.nanoTime() - wall0) / 1e9;
          double cpuMs = (os.getProcessCpuTime() - cpu0) / 1e6;
          long[] latencies = load.sortedLatencies();
          long held = 0;
          for (int i = 0; i < cards.size(); i++) {
            held += ledger.balance(FIRST_CARD_ACCOUNT + i).orElseThrow().debitsPendingMinor();
          }
          int approved = load.approved.get();
          return new Report(suite, settings.cards(), settings.connections(), settings.inFlight(),
              settings.authorisations(), approved, settings.authorisations() - approved, seconds,
              settings.authorisations() / seconds, percentileMs(latencies, 0.50), percentileMs(latencies, 0.99),
              latencies.length == 0 ? 0 : latencies[latencies.length - 1] / 1e6, cpuMs / settings.authorisations(),
              reference, Runtime.getRuntime().availableProcessors(), os.getSystemLoadAverage(), held,
              (long) (load.approvedWarmup.get() + approved) * AMOUNT_MINOR, booksBalance(ledger),
              List.of(new ProcessCpu("load generator, switch and issuer (one JVM)", ProcessHandle.current().pid(),
                  cpuMs / settings.authorisations())));
        } finally {
          links.forEach(Iso8583Client::close);
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("the issuer's audit log did not open: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException("a port of the chain could not be opened", e);
    } finally {
      BenchFiles.deleteTree(dir);
    }
  }

  private List<SoftCard> issueCards(Settings settings, AlgorithmSuite suite, SecretKeyBytes imk, Ledger ledger,
      CardAuthorisationService host) {
    List<Account> accounts = new ArrayList<>();
    accounts.add(Account.of(FUNDING, BOOK, CurrencyUnit.CNY));
    accounts.add(Account.of(SETTLEMENT, BOOK, CurrencyUnit.CNY));
    accounts.add(Account.of(STAND_IN, BOOK, CurrencyUnit.CNY));
    List<Transfer> funding = new ArrayList<>();
    List<SoftCard> cards = new ArrayList<>();
    for (int i = 0; i < settings.cards(); i++) {
      long account = FIRST_CARD_ACCOUNT + i;
      accounts.add(new Account(account, BOOK, CurrencyUnit.CNY, AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS));
      funding.add(Transfer.single(1 + i, FUNDING, account, 1_000_000_000L));
      Pan pan = Pan.withCheckDigit(String.format("621234%09d", i));
      host.registerCard(pan, 1, YearMonth.of(2029, 12), IMK_LABEL, account, Integer.MAX_VALUE, Long.MAX_VALUE / 4);
      cards.add(new SoftCard(suite, imk, pan, 1));
    }
    ledger.createAccounts(accounts).join();
    for (TransferResult result : ledger.submit(funding).join()) {
      if (result != TransferResult.OK) {
        throw new IllegalStateException("funding a card account failed: " + result);
      }
    }
    return cards;
  }

  /**
   * The reference on its own: a key custody in a temporary directory holding a fresh IMK of
   * {@code suite}, a soft card under it, and {@link #reference(int, SoftwareKeyCustody, SoftCard)}
   * on this thread. For the three-process form, whose issuer custody is in another process.
   */
  public static double reference(AlgorithmSuite suite, int ops) {
    SecureRandom random = new SecureRandom();
    byte[] imkBytes = new byte[16];
    random.nextBytes(imkBytes);
    SecretKeyBytes imk = new SecretKeyBytes(imkBytes);
    Path dir = BenchFiles.tempDir("iotpay-bench-auth", "the bench's databases");
    try (SoftwareKeyCustody custody = SoftwareKeyCustody.open(dir.resolve("custody"), suite,
        new SecretKeyBytes(new byte[suite == AlgorithmSuite.INTERNATIONAL ? 32 : 16]))) {
      custody.importClear(IMK_LABEL, suite, KeyUsage.ISSUER_MASTER, imk);
      return reference(ops, custody, new SoftCard(suite, imk, Pan.withCheckDigit("621234000000000"), 1));
    } finally {
      BenchFiles.deleteTree(dir);
    }
  }

  /** ARQC verification + ARPC generation through the issuer's custody, one thread: operations per second. */
  static double reference(int ops, SoftwareKeyCustody custody, SoftCard card) {
    SecureRandom random = new SecureRandom();
    KeyRef imk = custody.current(IMK_LABEL);
    byte[] un = new byte[4];
    List<SoftCard.Arqc> arqcs = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      random.nextBytes(un);
      arqcs.add(card.arqc(AMOUNT_MINOR, un));
    }
    String psn = String.format("%02d", card.panSequence);
    int n = ops;
    int warm = Math.min(n, 2_000);
    for (int round = 0; round < 2; round++) {
      int count = round == 0 ? warm : n;
      long t0 = System.nanoTime();
      for (int i = 0; i < count; i++) {
        SoftCard.Arqc a = arqcs.get(i & 63);
        if (!custody.verifyArqc(imk, card.pan.digits(), psn, a.atc(), a.cryptogramInput(), a.arqc())) {
          throw new IllegalStateException("the reference's ARQC did not verify");
        }
        custody.generateArpc(imk, card.pan.digits(), psn, a.atc(), a.arqc(), ARC_APPROVED);
      }
      if (round == 1) {
        return count / ((System.nanoTime() - t0) / 1e9);
      }
    }
    throw new AssertionError("unreachable");
  }

  /**
   * One request of the load: the connection it goes on, the message, and the check that makes its
   * outcome an approval (the 0110's response code and the card's ARPC check).
   */
  public record Shot(Iso8583Client link, Iso8583Message request, Predicate<Outcome> approves) {}

  /**
   * The load generator: one sender thread, a window of requests in flight, answers checked as they
   * come. {@code next} makes request number {@code stan} (1, 2, ... over warm-up and measured runs).
   */
  public static final class Load {
    private final int inFlight;
    private final IntFunction<Shot> next;
    final long[] latencies;
    final AtomicInteger measured = new AtomicInteger();
    final AtomicInteger approved = new AtomicInteger();
    final AtomicInteger approvedWarmup = new AtomicInteger();
    private int stan;

    public Load(int inFlight, int measuredMax, IntFunction<Shot> next) {
      this.inFlight = inFlight;
      this.next = next;
      this.latencies = new long[measuredMax];
    }

    /** Sends {@code count} requests and waits for every answer (at most 120 s after the last send). */
    public void run(int count, boolean measure) {
      Semaphore window = new Semaphore(inFlight);
      for (int i = 0; i < count; i++) {
        window.acquireUninterruptibly();
        Shot shot = next.apply(++stan);
        long sent = System.nanoTime();
        shot.link().sendAsync(shot.request()).whenComplete((outcome, error) -> {
          long nanos = System.nanoTime() - sent;
          boolean ok = error == null && shot.approves().test(outcome);
          if (measure) {
            latencies[measured.getAndIncrement()] = nanos;
            if (ok) {
              approved.incrementAndGet();
            }
          } else if (ok) {
            approvedWarmup.incrementAndGet();
          }
          window.release();
        });
      }
      try {
        if (!window.tryAcquire(inFlight, 120, TimeUnit.SECONDS)) {
          throw new IllegalStateException("answers still missing after 120 s");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the last answers", e);
      }
    }

    /** The measured latencies, sorted. */
    public long[] sortedLatencies() {
      long[] sorted = Arrays.copyOf(latencies, measured.get());
      Arrays.sort(sorted);
      return sorted;
    }

    public int approved() {
      return approved.get();
    }

    public int approvedWarmup() {
      return approvedWarmup.get();
    }
  }

  /** The ledger invariant: over every account, debits equal credits, pending and posted. */
  public static boolean booksBalance(Ledger ledger) {
    long[] sums = new long[4];
    for (AccountBalance b : ledger.balances().values()) {
      sums[0] += b.debitsPendingMinor();
      sums[1] += b.creditsPendingMinor();
      sums[2] += b.debitsPostedMinor();
      sums[3] += b.creditsPostedMinor();
    }
    return sums[0] == sums[1] && sums[2] == sums[3];
  }

  public static double percentileMs(long[] sorted, double q) {
    if (sorted.length == 0) {
      return 0;
    }
    return sorted[Math.max(0, (int) Math.ceil(sorted.length * q) - 1)] / 1e6;
  }

  /** The text report. */
  public static String format(Report r) {
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "iotpay bench auth (%s): %d authorisations end to end, %d cards, %d in flight"
            + " on %d connections; %d processors, load %.1f%n", r.suite(), r.authorisations(), r.cards(), r.inFlight(),
        r.connections(), r.processors(), r.loadAverage()));
    out.append(r.perProcess().size() == 1
        ? "  chain: load generator (acquirer) -> online switch -> issuer card host -> hold in the ledger -> 0110,"
            + " MACed ISO 8583 over loopback TCP, one JVM\n"
        : "  chain: load generator (terminals) -> acquirer process -> switch process -> issuer process -> hold in the"
            + " ledger -> 0110, MACed ISO 8583 over loopback TCP\n");
    out.append(String.format(Locale.ROOT, "  authorisations/s: %.0f (p50 %.2f ms, p99 %.2f ms, max %.1f ms); approved %d,"
        + " failed %d%n", r.perSecond(), r.p50Ms(), r.p99Ms(), r.maxMs(), r.approved(), r.failed()));
    out.append(String.format(Locale.ROOT, "  reference (ARQC verify + ARPC through the custody, one thread): %.0f/s;"
        + " ratio %.3f%n", r.referencePerSecond(), r.ratioToReference()));
    out.append(String.format(Locale.ROOT, "  CPU per authorisation, every process together: %.3f ms (%.0f/s on %d cores"
        + " at that cost)%n", r.cpuMsPerAuthorisation(), r.processors() * 1_000 / r.cpuMsPerAuthorisation(),
        r.processors()));
    for (ProcessCpu p : r.perProcess()) {
      out.append(String.format(Locale.ROOT, "    %s (pid %d): %.3f ms%n", p.name(), p.pid(), p.cpuMsPerAuthorisation()));
    }
    out.append(String.format(Locale.ROOT, "  ledger: %d held on the card accounts (expected %d), books balanced: %s%n",
        r.heldMinor(), r.expectedHeldMinor(), r.booksBalanced()));
    out.append(String.format(Locale.ROOT, "  target (>= %.0f/s at p99 <= %.0f ms, none failed): %s%n", TARGET_PER_SECOND,
        TARGET_P99_MS, r.targetMet() ? "met" : "NOT met"));
    return out.toString();
  }

  private SecretKeyBytes randomKey() {
    byte[] key = new byte[16];
    random.nextBytes(key);
    return new SecretKeyBytes(key);
  }

  private static ZoneKeys zoneKeys(AlgorithmSuite suite, String link) {
    return new ZoneKeys(suite, SecretKeyBytes.fromHex("0123456789ABCDEFFEDCBA987654321" + link),
        SecretKeyBytes.fromHex("00112233445566778899AABBCCDDEEF" + link), 30_000);
  }

  private static Money cny(long minor) {
    return Money.ofMinor(minor, CurrencyUnit.CNY);
  }

  private static InetSocketAddress loopback(int port) {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
  }


}
