package io.iotpay.demo.transit;

import io.iotpay.phone.transit.WalletClient;
import io.iotpay.foundation.Assert;
import io.iotpay.foundation.card.CardChannel;
import io.iotpay.foundation.card.FaultyCardChannel;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.Pem;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import io.iotpay.foundation.time.BusinessDayRule;
import io.iotpay.foundation.time.ManualBusinessClock;
import io.iotpay.issuer.transit.ClearingReport;
import io.iotpay.issuer.card.IssuedCard;
import io.iotpay.issuer.Issuer;
import io.iotpay.issuer.IssuerConfig;
import io.iotpay.issuer.card.IssuerMasterKeys;
import io.iotpay.issuer.RiderAccountKind;
import io.iotpay.issuer.transit.RefusalReason;
import io.iotpay.issuer.transit.ScriptStep;
import io.iotpay.ledger.Ledger;
import io.iotpay.ledger.LedgerConfig;
import io.iotpay.ledger.Transfer;
import io.iotpay.ledger.TransferResult;
import io.iotpay.ledger.audit.AuditLog;
import io.iotpay.ledger.audit.AuditLogConfig;
import io.iotpay.foundation.store.Database;
import io.iotpay.protocol.Pan;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.enrolment.ServiceDecision;
import io.iotpay.protocol.file.IntakeReceipt;
import io.iotpay.protocol.file.IntakeStatus;
import io.iotpay.protocol.journal.JournalFile;
import io.iotpay.protocol.transit.CardRange;
import io.iotpay.protocol.script.CardScript;
import io.iotpay.protocol.transit.TransitKind;
import io.iotpay.protocol.transit.ExceptionReason;
import io.iotpay.protocol.transit.RecordId;
import io.iotpay.protocol.transit.TransitException;
import io.iotpay.protocol.transit.TransitRecord;
import io.iotpay.protocol.transit.TransitRecord.CardTransactionKey;
import io.iotpay.protocol.pki.PartyRole;
import io.iotpay.protocol.pki.SchemeEnrolment;
import io.iotpay.protocol.pki.SignedDenyLists;
import io.iotpay.protocol.pki.SignedFileException;
import io.iotpay.acquirer.transit.CollectResult;
import io.iotpay.acquirer.transit.OperatorBackOffice;
import io.iotpay.acquirer.transit.OperatorConfig;
import io.iotpay.switching.transit.SettlementRun;
import io.iotpay.switching.SwitchConfig;
import io.iotpay.switching.transit.TransitSwitch;
import io.iotpay.terminal.gate.GateKernel;
import io.iotpay.terminal.gate.TapOutcome;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * The transit scenario of issue #4 end to end, through the real parties on one ledger and audit log:
 * two issuers issue and personalise a card per rider (the real applet in jCardSim), riders apply
 * through their phone's wallet and get the quota pushed through it (an untrusted relay); each day
 * riders travel through the gate kernels (some taps torn by injected faults, completed at the next
 * tap); each night the operators collect their gates' journals and upload day T's file; on T+1 the
 * switch settles, the issuers clear (TACs verified, riders debited), pay the switch, publish their
 * deny lists (distributed by the switch to the operators and their gates) and restore low quotas.
 * With {@code --dispute-rate} the operators' back office mis-prices some exits ({@link StaleFareTable}):
 * the issuers refuse them and charge them back, the switch nets the chargebacks in the next window,
 * the operators re-present each once corrected to the gate's record. After the last day a final
 * night settles it (and up to two more net the last disputes), so nothing is normally left in flight.
 *
 * <p>Not thread-safe; one run per instance. The parties never see each other: the scenario is the
 * composition root that carries their files between them.
 */
public final class TransitScenario {
  static final PartyId SWITCH = PartyId.of("SWITCH");
  /** Where the issuers write their chargeback and deny list files, under the data directory. */
  static final String ISSUER_OUT = "issuer-out";
  static final long SWITCH_BOOK = 3;
  static final long SWITCH_ACCOUNT_BASE = 3_000_000;
  static final long SWITCH_TRANSFER_BASE = 3_000_000_000L;
  static final long DEPOSIT_TRANSFER_BASE = 8_000_000_000L;
  static final long DEPOSIT_MINOR = 500_00;
  static final long LOW_FUNDS_DEPOSIT_MINOR = 10_00;
  static final long CREDIT_LIMIT_MINOR = 300_00;
  static final int ROUNDS_PER_DAY = 6;
  static final double FORGOT_TAP_OUT_PROBABILITY = 0.04;
  /** A rider who keeps tearing taps gives up on tearing after this many: the next tap is clean. */
  static final int FAULTY_ATTEMPTS_MAX = 5;
  /** Commands of a tap with offline data authentication (docs/gate.md §2): a fault is injected at one of them. */
  static final int TAP_COMMANDS_MAX = 7;
  static final Instant START = Instant.parse("2026-03-01T20:00:00Z");
  /** Windows after the last day: one nets the last chargebacks, the next the re-presentments answering them. */
  static final int EXTRA_WINDOWS_MAX = 2;

  private final TransitSettings settings;
  private final PrintStream progress;
  private final Random random;
  private final Random counterfeitRandom;
  private final ManualBusinessClock clock = new ManualBusinessClock(START, BusinessDayRule.UTC_MIDNIGHT);
  private final Tally tally = new Tally();
  private final List<Rider> riders = new ArrayList<>();
  private final Map<Pan, Rider> ridersByPan = new HashMap<>();
  private final Set<CardTransactionKey> tornAfterCommit = new HashSet<>();
  private final List<Database> issuerDatabases = new ArrayList<>();
  private final Map<PartyId, Issuer> issuers = new LinkedHashMap<>();
  private final Map<PartyId, OperatorBackOffice> operators = new LinkedHashMap<>();
  private Ledger ledger;
  /** True while the last day is ridden: riders then retry every torn tap (nothing may come after it). */
  private boolean lastDay;
  private TransitSwitch transitSwitch;
  private MetroNetwork metro;
  /** The scheme's ODA CA, the issuers' ODA certificates and the counterfeiter (docs/demo-transit.md). */
  private Counterfeits counterfeits;
  /** The scheme CA and every party's file-signing key (docs/signed-files.md). */
  private SchemeEnrolment scheme;
  /** The operators' back-office fault of {@code --dispute-rate}. */
  private final StaleFareTable staleFares;
  /** Every business day the switch settled, in order. */
  private final List<LocalDate> windows = new ArrayList<>();
  /** Per operator, the deny-list acceptance its gates apply (signature and version bound). */
  private final Map<PartyId, SignedDenyLists> gateDenyLists = new HashMap<>();

  private TransitScenario(TransitSettings settings, PrintStream progress) {
    this.settings = settings;
    this.progress = progress;
    this.random = new Random(settings.seed());
    // Its own stream, so the riders' journeys of a seed are the same whatever the counterfeit rate.
    this.counterfeitRandom = new Random(~settings.seed());
    this.staleFares = new StaleFareTable(settings.seed(), settings.disputeRate());
  }

  /** One rider: the account, the card (phone SE) and what pushes put on it. */
  static final class Rider {
    final int number;
    final Issuer issuer;
    final long accountId;
    final RiderAccountKind kind;
    final long depositMinor;
    final RiderCard card;
    final double travelProbability;
    long pushedMinor;
    boolean journeyOpen;
    /** Walked away from a tap torn after the card committed: the card's next tap recovers it. */
    boolean tornPending;
    /** The day the rider walked away and went home: no more rides that day. */
    LocalDate homeOn;

    Rider(int number, Issuer issuer, long accountId, RiderAccountKind kind, long depositMinor, RiderCard card,
        double travelProbability) {
      this.number = number;
      this.issuer = issuer;
      this.accountId = accountId;
      this.kind = kind;
      this.depositMinor = depositMinor;
      this.card = card;
      this.travelProbability = travelProbability;
    }
  }

  /** Counters the run accumulates. */
  static final class Tally {
    long tapsIn;
    long tapsOut;
    final Map<String, Long> refusals = new TreeMap<>();
    long flashInjected;
    int enabled;
    int quotaRestores;
    long clearedMinor;
    long debitedMinor;
    long arrearsMinor;
    long clearingRefusals;
    long foreignCopies;
    long forgotTapOut;
    long sweepTaps;
    long tornRetriedElsewhere;
    long operatorSettledMinor;
    /** Torn-after-commit taps whose rider walked away (their transaction comes late). */
    long walkedAway;
    /** Recovered copies of a settled day's transaction, uploaded late and refused by the switch as duplicates. */
    long lateCopiesRefused;
    /** Second re-presentments of a record the back office refused (it re-presents a record once). */
    long representmentsRefused;
    final List<String> notes = new ArrayList<>();

    void refused(String reason) {
      refusals.merge(reason, 1L, Long::sum);
    }
  }

  /**
   * Runs the scenario in a fresh {@code settings.dataDir()} (an earlier run's database, journals and
   * files there are replaced) and writes the audit log's public key next to the database.
   *
   * @param progress where progress lines go (stderr in the CLI); null for none
   */
  public static TransitReport run(TransitSettings settings, PrintStream progress)
      throws IOException, SQLException {
    return new TransitScenario(settings, progress).run();
  }

  private TransitReport run() throws IOException, SQLException {
    Path dir = settings.dataDir();
    Findings.resetDataDirectory(dir);
    AlgorithmSuite auditSuite = settings.auditSuite();
    KeyPair signingKey = auditSuite.signature().generateKeyPair(new SecureRandom());
    Files.writeString(dir.resolve("audit-public-key.pem"), Pem.write(signingKey.getPublic()));
    TransitReport result;
    try (Database database = Database.open("jdbc:sqlite:" + dir.resolve("iotpay.db"), 4)) {
      try (AuditLog auditLog = AuditLog.open(database,
          AuditLogConfig.of(auditSuite, signingKey).withClock(clock.asJavaClock()))) {
        ledger = Ledger.open(database, LedgerConfig.defaults(), clock.asJavaClock(), auditLog);
        try {
          openParties(dir, database);
          issueAndEnable();
          for (int day = 1; day <= settings.days(); day++) {
            // Day 1 starts after issuing (day 0); each later day is the T+1 the last morning moved to.
            LocalDate date = day == 1 ? clock.advanceToNextBusinessDay() : clock.businessDate();
            ride(date, day == settings.days());
            night(date);
            morning(date);
          }
          settleLastDisputes();
          result = Findings.of(this);
        } finally {
          closeParties();
          ledger.close();
        }
      }
      return Findings.withAudit(result, database, signingKey, auditSuite);
    }
  }

  // ---------------------------------------------------------------- parties

  private void openParties(Path dir, Database database) {
    Random keys = new Random(random.nextLong());
    // The scheme's PKI in the demo's suite: valid from before the first business day to after the last.
    scheme = SchemeEnrolment.create(dir.resolve("pki"), settings.auditSuite(), START.minus(Duration.ofDays(1)),
        START.plus(Duration.ofDays(TransitSettings.DAYS_MAX + 10L)));
    String[] names = {"BANK-A", "BANK-B"};
    String[] prefixes = {"621234", "622345"};
    Map<PartyId, String> odaIssuers = new LinkedHashMap<>();
    for (int i = 0; i < names.length; i++) {
      odaIssuers.put(PartyId.of(names[i]), prefixes[i]);
    }
    counterfeits = new Counterfeits(odaIssuers);
    List<CardRange> ranges = new ArrayList<>();
    for (int i = 0; i < names.length; i++) {
      PartyId id = PartyId.of(names[i]);
      ranges.add(new CardRange(prefixes[i], id));
      // Each issuer keeps its card registry in its own store (its tables are not shared between
      // issuers); its money is in the one shared ledger, in its own book.
      Database registry = Database.open("jdbc:sqlite:" + dir.resolve("issuer-" + names[i] + ".db"), 2);
      issuerDatabases.add(registry);
      IssuerConfig config = IssuerConfig.defaults(id, i + 1, (i + 1) * 1_000_000L, List.of(ranges.get(i)));
      Map<AlgorithmSuite, IssuerMasterKeys> masters = Map.of(AlgorithmSuite.INTERNATIONAL, masters(keys),
          AlgorithmSuite.NATIONAL, masters(keys));
      issuers.put(id, new Issuer(config, dir.resolve("issuer-keys-" + names[i]), masters, key(keys), registry, ledger, scheme.enrol(id, PartyRole.ISSUER)));
    }
    transitSwitch = new TransitSwitch(SwitchConfig.of(SWITCH, SWITCH_BOOK, SWITCH_ACCOUNT_BASE, SWITCH_TRANSFER_BASE,
        ranges, MetroNetwork.OPERATORS), ledger, database, dir.resolve("switch"), scheme.enrol(SWITCH, PartyRole.SWITCH));
    long book = 4;
    for (PartyId operator : MetroNetwork.OPERATORS) {
      operators.put(operator, new OperatorBackOffice(OperatorConfig.of(operator, SWITCH, book, book * 1_000_000L,
          book * 1_000_000_000L + 2_000_000_000L), ledger, dir.resolve("operator-" + operator.value()),
          scheme.enrol(operator, PartyRole.OPERATOR)));
      gateDenyLists.put(operator, new SignedDenyLists(scheme.verifierFor(operator)));
      book++;
    }
    metro = new MetroNetwork(createDirectory(dir.resolve("journals")), clock, counterfeits.gateVerifier());
  }

  private static Path createDirectory(Path path) {
    try {
      return Files.createDirectories(path);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + path, e);
    }
  }

  private static IssuerMasterKeys masters(Random random) {
    return new IssuerMasterKeys(key(random), key(random), key(random));
  }

  /** Demo master keys from the seeded source, so a seed reproduces a run; a real issuer uses an HSM. */
  private static SecretKeyBytes key(Random random) {
    byte[] bytes = new byte[16];
    random.nextBytes(bytes);
    return new SecretKeyBytes(bytes);
  }

  private void closeParties() {
    if (metro != null) {
      metro.close();
    }
    operators.values().forEach(OperatorBackOffice::close);
    if (transitSwitch != null) {
      transitSwitch.close();
    }
    issuers.values().forEach(Issuer::close);
    issuerDatabases.forEach(Database::close);
    if (scheme != null) {
      scheme.close();
    }
  }

  // ---------------------------------------------------------------- issuing and enablement

  private void issueAndEnable() {
    List<Issuer> issuerList = new ArrayList<>(issuers.values());
    int lowFundsEvery = 5;
    for (int i = 0; i < settings.riders(); i++) {
      Issuer issuer = issuerList.get(i % issuerList.size());
      AlgorithmSuite suite = (i / 2) % 2 == 0 ? AlgorithmSuite.INTERNATIONAL : AlgorithmSuite.NATIONAL;
      boolean credit = i % 4 == 3;
      boolean lowFunds = !credit && i % lowFundsEvery == 2;
      int number = i + 1;
      RiderAccountKind kind = credit ? RiderAccountKind.CREDIT : RiderAccountKind.DEBIT;
      long account = issuer.openRiderAccount(number, kind, credit ? CREDIT_LIMIT_MINOR : 0);
      long deposit = credit ? 0 : lowFunds ? LOW_FUNDS_DEPOSIT_MINOR : DEPOSIT_MINOR;
      if (deposit > 0) {
        TransferResult result = issuer.deposit(DEPOSIT_TRANSFER_BASE + i * 10L + issuerList.indexOf(issuer), account,
            deposit);
        Assert.that(result == TransferResult.OK, "deposit refused [rider={}, result={}]", number, result);
      }
      IssuedCard issued = issuer.issueCard(suite, account);
      RiderCard card = new RiderCard(issued, issuer.config().aid());
      issuer.personalise(issued.pan(), card.present(), counterfeits.issuerCredentials(issuer.config().id(), suite));
      Rider rider = new Rider(number, issuer, account, kind, deposit, card, 0.45 + 0.45 * random.nextDouble());
      riders.add(rider);
      ridersByPan.put(issued.pan(), rider);
      enable(rider);
    }
    say("demo transit: %d riders issued, personalised and enabled (%d of %d)", riders.size(), tally.enabled,
        riders.size());
  }

  private void enable(Rider rider) {
    IssuedCard issued = rider.card.issued();
    WalletClient wallet = new WalletClient(rider.card.present(), issued.pan(), issued.panSequence());
    ServiceDecision decision = rider.issuer.apply(wallet.applyForMetro());
    if (!decision.approved() || decision.script().isEmpty()) {
      tally.notes.add("rider " + rider.number + " not enabled: " + decision.reason());
      return;
    }
    if (push(rider, decision.script().get())) {
      tally.enabled++;
    }
  }

  /** Runs a quota push through the rider's wallet and accounts for what it put on the card. */
  private boolean push(Rider rider, CardScript first) {
    IssuedCard issued = rider.card.issued();
    long before = rider.card.quotaMinor();
    WalletClient wallet = new WalletClient(rider.card.present(), issued.pan(), issued.panSequence());
    ScriptStep step = rider.issuer.runPush(first, wallet::relay);
    long after = rider.card.quotaMinor();
    rider.pushedMinor += after - before;
    if (step instanceof ScriptStep.Failed failed) {
      tally.notes.add("push to rider " + rider.number + " failed: " + failed.reason());
      return false;
    }
    return true;
  }

  // ---------------------------------------------------------------- a day of riding

  private void ride(LocalDate date, boolean lastDay) {
    this.lastDay = lastDay;
    long inBefore = tally.tapsIn;
    long tornBefore = tally.flashInjected;
    for (int round = 0; round < ROUNDS_PER_DAY; round++) {
      Instant roundStart = date.atStartOfDay(clock.rule().zone()).toInstant()
          .plus(Duration.ofMinutes(390 + round * 150L));
      advanceTo(roundStart);
      Map<Rider, Integer> travelling = new LinkedHashMap<>();
      for (Rider rider : riders) {
        if (date.equals(rider.homeOn)) {
          continue; // walked away from a torn tap earlier today: the card's next tap is tomorrow
        }
        if (random.nextDouble() < rider.travelProbability) {
          int from = 1 + random.nextInt(MetroNetwork.STATIONS);
          int to = 1 + (from + random.nextInt(MetroNetwork.STATIONS - 1)) % MetroNetwork.STATIONS;
          clock.advance(Duration.ofSeconds(2));
          if (counterfeitRandom.nextDouble() < settings.counterfeitRate()) {
            presentCounterfeit(rider, metro.entryGates(from));
          }
          TapOutcome outcome = tap(rider, metro.entryGates(from));
          if (outcome instanceof TapOutcome.Opened) {
            tally.tapsIn++;
            rider.journeyOpen = true;
            travelling.put(rider, to);
          } else if (closedIncomplete(outcome)) {
            rider.journeyOpen = false; // the entry gate closed the old journey, then refused the new one
          }
        }
      }
      advanceTo(roundStart.plus(Duration.ofMinutes(40)));
      for (Map.Entry<Rider, Integer> trip : travelling.entrySet()) {
        if (random.nextDouble() < FORGOT_TAP_OUT_PROBABILITY) {
          // Left through an open service gate: the journey stays open on the card, and the card's
          // next entry (after the passback window) closes it as EXIT_INCOMPLETE for the lock.
          tally.forgotTapOut++;
          continue;
        }
        clock.advance(Duration.ofSeconds(2));
        exit(trip.getKey(), trip.getValue());
      }
    }
    if (lastDay) {
      sweep(date);
    }
    say("demo transit: day %s: %d journeys, %d taps torn by injected faults", date, tally.tapsIn - inBefore,
        tally.flashInjected - tornBefore);
  }

  /** Someone presents a counterfeit of {@code victim}'s card at one of {@code gates} (docs/demo-transit.md). */
  private void presentCounterfeit(Rider victim, List<GateKernel> gates) {
    IssuedCard issued = victim.card.issued();
    CardChannel counterfeit = counterfeits.make(counterfeits.nextKind(), issued.suite(), victim.issuer.config().id(),
        issued.pan(), counterfeitRandom.nextLong());
    TapOutcome outcome = gates.get(counterfeitRandom.nextInt(gates.size())).tap(counterfeit);
    counterfeits.presented(outcome);
    if (outcome instanceof TapOutcome.Refused refused) {
      tally.refused(refused.reason().name());
    }
  }

  private static boolean closedIncomplete(TapOutcome outcome) {
    return outcome.journaled().stream()
        .anyMatch(r -> !r.recovered() && r.kind() == TransitKind.EXIT_INCOMPLETE);
  }

  private void exit(Rider rider, int station) {
    if (tap(rider, metro.exitGates(station)) instanceof TapOutcome.Opened) {
      tally.tapsOut++;
      rider.journeyOpen = false;
    }
  }

  /**
   * The last evening: every rider whose card still holds an open journey taps out once more, so no
   * lock is left on a card when the run ends (a deny-listed card stays shut in: its lock is in flight).
   */
  private void sweep(LocalDate date) {
    advanceTo(date.atStartOfDay(clock.rule().zone()).toInstant().plus(Duration.ofMinutes(22 * 60 + 30)));
    for (Rider rider : riders) {
      if (rider.journeyOpen || rider.tornPending) {
        clock.advance(Duration.ofSeconds(2));
        tally.sweepTaps++;
        exit(rider, 1 + random.nextInt(MetroNetwork.STATIONS));
      }
    }
  }

  private void advanceTo(Instant target) {
    Duration step = Duration.between(clock.now(), target);
    Assert.that(!step.isNegative(), "the day's schedule overran [now={}, target={}]", clock.now(), target);
    clock.advance(step);
  }

  /**
   * One rider presenting the phone until a gate of the station gives an answer. A torn tap (an
   * injected flash card) is retried a few seconds later at any gate of the station, and that tap
   * completes whatever the card committed. If the card did commit at the torn gate, another gate
   * journals it but refuses (PASSBACK / NO_ENTRY: it cannot know whether the torn gate opened), so
   * the rider goes back to the torn gate, which resumes (docs/gate.md §4). Refusals count by reason.
   */
  private TapOutcome tap(Rider rider, List<GateKernel> gates) {
    GateKernel gate = gates.get(random.nextInt(gates.size()));
    GateKernel committedAt = null;
    rider.tornPending = false; // whatever this tap does, it recovers what the card committed before
    for (int attempt = 0; ; attempt++) {
      boolean inject = attempt < FAULTY_ATTEMPTS_MAX && random.nextDouble() < settings.flashRate();
      CardTransactionKey before = inject ? rider.card.newestLogKey() : null;
      CardChannel channel = rider.card.present();
      if (inject) {
        FaultyCardChannel.Fault fault = random.nextBoolean() ? FaultyCardChannel.Fault.LOSE_RESPONSE
            : FaultyCardChannel.Fault.PULL_CARD;
        channel = new FaultyCardChannel(channel, 1 + random.nextInt(TAP_COMMANDS_MAX), fault);
      }
      TapOutcome outcome = gate.tap(channel);
      switch (outcome) {
        case TapOutcome.Opened opened -> {
          return opened;
        }
        case TapOutcome.Refused refused -> {
          if (committedAt != null && committedAt != gate && wrongGateAfterTear(refused)) {
            tally.tornRetriedElsewhere++;
            gate = committedAt;
            continue;
          }
          tally.refused(refused.reason().name());
          return refused;
        }
        case TapOutcome.Torn torn -> {
          Assert.that(inject, "a tap tore without an injected fault [gate={}, detail={}]", gate.config().terminalId(),
              torn.detail());
          tally.flashInjected++;
          if (noteTear(rider, before, torn)) {
            committedAt = gate;
            if (!lastDay && random.nextDouble() < settings.lateRate()) {
              tally.walkedAway++;
              rider.tornPending = true;
              rider.homeOn = clock.businessDate();
              return torn; // walks away: the transaction comes with the card's next tap, maybe days later
            }
          }
          gate = gates.get(random.nextInt(gates.size()));
          clock.advance(Duration.ofSeconds(3));
        }
      }
    }
  }

  private static boolean wrongGateAfterTear(TapOutcome.Refused refused) {
    return refused.reason() == TapOutcome.Reason.PASSBACK || refused.reason() == TapOutcome.Reason.NO_ENTRY;
  }

  /**
   * Records the card transaction a torn tap left unjournaled, read from the card's own log.
   *
   * @return true when the card committed a transaction the tap did not journal
   */
  private boolean noteTear(Rider rider, CardTransactionKey before, TapOutcome.Torn torn) {
    CardTransactionKey after = rider.card.newestLogKey();
    if (after == null || after.equals(before)) {
      return false; // the card committed nothing new: the tear came before GENERATE AC took effect
    }
    for (TransitRecord record : torn.journaled()) {
      if (record.cardKey().equals(after) && !record.recovered()) {
        return false; // committed and journaled (the first half of a two-transaction tap)
      }
    }
    tornAfterCommit.add(after);
    return true;
  }

  // ---------------------------------------------------------------- night T: journals to the switch

  private void night(LocalDate date) {
    advanceTo(date.atStartOfDay(clock.rule().zone()).toInstant().plus(Duration.ofHours(23)));
    for (Map.Entry<PartyId, OperatorBackOffice> entry : operators.entrySet()) {
      for (GateKernel gate : metro.gatesOf(entry.getKey())) {
        collectJournal(entry.getKey(), entry.getValue(), gate);
      }
    }
    for (Map.Entry<PartyId, OperatorBackOffice> entry : operators.entrySet()) {
      OperatorBackOffice office = entry.getValue();
      IntakeReceipt receipt = office.upload(date, transitSwitch);
      if (receipt.status() == IntakeStatus.REJECTED) {
        tally.notes.add("upload of " + entry.getKey() + " for " + date + " rejected: " + receipt.reason());
      }
      say("demo transit: night %s: %s uploaded %d records (%s, %d refused)", date, entry.getKey(),
          receipt.recordsAccepted(), receipt.status(), receipt.recordsRefused());
      uploadLate(entry.getKey(), office, date);
    }
  }

  /**
   * The back office reads the journal file as written (the protocol's journal format; a live file:
   * a torn last line is skipped) and re-rates its own records ({@link StaleFareTable}, the fault of
   * {@code --dispute-rate}). A recovered copy of a transaction taken at the other operator's gate is
   * not its own: it goes to that operator, whose gate may never have journaled the original (a rider
   * who walked away from a torn tap); the switch refuses the copies it has already.
   */
  private void collectJournal(PartyId operator, OperatorBackOffice office, GateKernel gate) {
    List<TransitRecord> own = new ArrayList<>();
    Map<PartyId, List<TransitRecord>> foreign = new HashMap<>();
    for (TransitRecord record : JournalFile.readRecords(gate.journal().file())) {
      if (record.operator().equals(operator)) {
        own.add(staleFares.reRate(record));
      } else {
        foreign.computeIfAbsent(record.operator(), o -> new ArrayList<>()).add(record);
      }
    }
    CollectResult collected = office.collect(own);
    Assert.that(collected.refused() == 0, "the back office refused its own gate's records [gate={}, refused={}]",
        gate.config().terminalId(), collected.refused());
    foreign.forEach((owner, records) -> {
      tally.foreignCopies += records.size();
      operators.get(owner).collect(records);
    });
  }

  /**
   * Records of earlier days collected tonight (a torn tap recovered by the card's next tap): the
   * switch takes originals into its open window (late presentments) and refuses copies of
   * transactions it settled already as duplicates.
   */
  private void uploadLate(PartyId operator, OperatorBackOffice office, LocalDate date) {
    for (LocalDate day : office.pendingDays()) {
      if (day.isBefore(date)) {
        IntakeReceipt late = office.upload(day, transitSwitch);
        tally.lateCopiesRefused += late.recordsRefused();
        say("demo transit: night %s: %s uploaded %d records of %s late (%s, %d refused)", date, operator,
            late.recordsAccepted(), day, late.status(), late.recordsRefused());
      }
    }
  }

  /**
   * Chargebacks raised on the last morning are netted in the next window, and a re-presentment
   * answering one in the window after: up to {@value #EXTRA_WINDOWS_MAX} more nights without rides
   * and their mornings settle them, so nothing is left in flight.
   */
  private void settleLastDisputes() {
    for (int extra = 0; extra < EXTRA_WINDOWS_MAX && transitSwitch.disputes().stream().anyMatch(d -> d.window() == null);
        extra++) {
      LocalDate date = clock.businessDate();
      night(date);
      morning(date);
    }
    Assert.that(transitSwitch.disputes().stream().allMatch(d -> d.window() != null),
        "a dispute is left unsettled after the extra windows");
  }

  // ---------------------------------------------------------------- T+1: settle, clear, lists, restores

  private void morning(LocalDate businessDate) {
    LocalDate today = clock.advanceToNextBusinessDay();
    clock.advance(Duration.ofHours(2));
    SettlementRun run = transitSwitch.settle(businessDate, today);
    windows.add(businessDate);
    for (Issuer issuer : issuers.values()) {
      Path clearing = run.clearingFiles().get(issuer.id());
      ClearingReport report = clear(issuer, clearing);
      // What the issuer refused goes back as chargebacks, netted in the next window.
      issuer.writeChargebackFile(clearing, report, settings.dataDir().resolve(ISSUER_OUT), SWITCH)
          .ifPresent(transitSwitch::receiveExceptions);
      Optional.ofNullable(run.exceptionNotices().get(issuer.id()))
          .ifPresent(notice -> issuer.receiveExceptionNotice(notice, SWITCH));
      issuer.paySettlementFile(run.reportFiles().get(issuer.id()));
    }
    tally.clearedMinor = clearedFares().values().stream().mapToLong(Long::longValue).sum();
    for (Map.Entry<PartyId, OperatorBackOffice> entry : operators.entrySet()) {
      tally.operatorSettledMinor += entry.getValue().receiveSettlement(run.reportFiles().get(entry.getKey()));
      Optional.ofNullable(run.exceptionNotices().get(entry.getKey()))
          .ifPresent(notice -> entry.getValue().receiveExceptionNotice(notice));
      representCorrected(entry.getValue());
    }
    distributeDenyLists(today);
    restoreQuotas();
    say("demo transit: T+1 %s: day %s settled (%d records), cleared %d, debited %d, arrears %d, restores so far %d",
        today, businessDate, run.report().recordsSettled(), tally.clearedMinor, tally.debitedMinor,
        tally.arrearsMinor, tally.quotaRestores);
  }

  /**
   * The operator answers each AMOUNT_MISMATCH chargeback whose gate journaled another fare than the
   * one uploaded (its back office mis-priced it): it re-presents the record once, corrected to the
   * gate's record, which is the evidence. Its retry job then tries the first such record once more,
   * as a job that lost its answer would: the back office refuses a second re-presentment.
   */
  private void representCorrected(OperatorBackOffice office) {
    Set<RecordId> represented = new HashSet<>();
    office.representments().forEach(r -> represented.add(r.recordId()));
    for (TransitException chargeback : office.chargebacks()) {
      if (chargeback.reason() != ExceptionReason.AMOUNT_MISMATCH || represented.contains(chargeback.recordId())) {
        continue;
      }
      Optional<TransitRecord> journaled = metro.journaled(chargeback.recordId());
      if (journaled.isEmpty() || journaled.get().fare().amountMinor() == chargeback.fareMinor()) {
        continue; // nothing the operator could correct: the chargeback stands
      }
      IntakeReceipt receipt = office.representCorrected(journaled.get(), transitSwitch::receiveExceptions);
      Assert.that(receipt.recordsAccepted() == 1, "the switch refused a corrected re-presentment [record={}, reason={}]",
          chargeback.recordId(), receipt.reason());
      if (tally.representmentsRefused == 0) {
        tryRepresentingAgain(office, journaled.get());
      }
    }
  }

  private void tryRepresentingAgain(OperatorBackOffice office, TransitRecord journaled) {
    try {
      office.representCorrected(journaled, transitSwitch::receiveExceptions);
      tally.notes.add("a second re-presentment of " + journaled.id() + " was sent");
    } catch (IllegalArgumentException refused) {
      tally.representmentsRefused++;
    }
  }

  private ClearingReport clear(Issuer issuer, Path clearingFile) {
    ClearingReport report = issuer.clearFile(clearingFile);
    tally.debitedMinor += report.debitedMinor();
    tally.arrearsMinor += report.arrearsMinor();
    for (ClearingReport.Refusal refusal : report.refusals()) {
      // INSUFFICIENT_FUNDS is not a refusal of the record: the fare is owed and booked to arrears.
      if (refusal.reason() != RefusalReason.INSUFFICIENT_FUNDS) {
        tally.clearingRefusals++;
        tally.notes.add("clearing refused " + refusal.key() + ": " + refusal.reason() + " " + refusal.detail());
      }
    }
    return report;
  }

  private void distributeDenyLists(LocalDate today) {
    for (Issuer issuer : issuers.values()) {
      transitSwitch.publishDenyList(issuer.writeDenyListFile(settings.dataDir().resolve(ISSUER_OUT), SWITCH, today));
    }
    for (Map.Entry<PartyId, OperatorBackOffice> entry : operators.entrySet()) {
      List<Path> files = transitSwitch.denyListFilesFor(entry.getKey(), today);
      for (Path file : files) {
        entry.getValue().receiveDenyList(file);
      }
      // Each gate verifies the switch-signed files itself; a version it holds already is a no-op.
      for (GateKernel gate : metro.gatesOf(entry.getKey())) {
        for (Path file : files) {
          installDenyList(gate, file, gateDenyLists.get(entry.getKey()));
        }
      }
    }
  }

  private static void installDenyList(GateKernel gate, Path file, SignedDenyLists acceptance) {
    try {
      gate.installDenyList(file, acceptance);
    } catch (SignedFileException e) {
      if (e.reason() != SignedFileException.Reason.REPLAYED) {
        throw e;
      }
    }
  }

  private void restoreQuotas() {
    for (Issuer issuer : issuers.values()) {
      for (Pan pan : issuer.restoresDue()) {
        Rider rider = ridersByPan.get(pan);
        Assert.that(rider != null, "a restore for a card no rider holds [card={}]", pan);
        if (push(rider, issuer.startPush(pan))) {
          tally.quotaRestores++;
        }
      }
    }
  }

  // ---------------------------------------------------------------- accessors for Findings

  TransitSettings settings() {
    return settings;
  }

  Tally tally() {
    return tally;
  }

  List<Rider> riders() {
    return riders;
  }

  Ledger ledger() {
    return ledger;
  }

  MetroNetwork metro() {
    return metro;
  }

  Map<PartyId, Issuer> issuers() {
    return issuers;
  }

  Map<PartyId, OperatorBackOffice> operators() {
    return operators;
  }

  TransitSwitch transitSwitch() {
    return transitSwitch;
  }

  Counterfeits counterfeits() {
    return counterfeits;
  }

  /** Every business day the switch settled, in order. */
  List<LocalDate> windows() {
    return windows;
  }

  Set<CardTransactionKey> tornAfterCommit() {
    return tornAfterCommit;
  }

  /** Every card transaction the issuers cleared, with its fare, from their own records. */
  Map<CardTransactionKey, Long> clearedFares() {
    Map<CardTransactionKey, Long> cleared = new HashMap<>();
    issuers.values().forEach(issuer -> cleared.putAll(issuer.clearedFaresMinor()));
    return cleared;
  }

  private void say(String format, Object... args) {
    if (progress != null) {
      progress.printf(format + "%n", args);
    }
  }
}
