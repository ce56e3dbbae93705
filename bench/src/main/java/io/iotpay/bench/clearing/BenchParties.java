package io.iotpay.bench.clearing;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.EmvKeyDerivation;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import io.iotpay.foundation.store.Database;
import io.iotpay.issuer.Issuer;
import io.iotpay.issuer.IssuerConfig;
import io.iotpay.issuer.RiderAccountKind;
import io.iotpay.issuer.card.IssuerMasterKeys;
import io.iotpay.ledger.AccountBalance;
import io.iotpay.ledger.Ledger;
import io.iotpay.ledger.LedgerConfig;
import io.iotpay.ledger.Transfer;
import io.iotpay.ledger.TransferResult;
import io.iotpay.ledger.audit.AuditJournal;
import io.iotpay.ledger.audit.AuditLog;
import io.iotpay.ledger.audit.AuditLogConfig;
import io.iotpay.protocol.Pan;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.file.FileHeaders;
import io.iotpay.protocol.file.FileKind;
import io.iotpay.protocol.file.FileLimits;
import io.iotpay.protocol.pki.AcceptedFiles;
import io.iotpay.protocol.pki.FileSigner;
import io.iotpay.protocol.pki.PartyRole;
import io.iotpay.protocol.pki.SchemeEnrolment;
import io.iotpay.protocol.pki.SignedFileVerifier;
import io.iotpay.protocol.transit.CardRange;
import io.iotpay.switching.SwitchConfig;
import io.iotpay.switching.transit.TransitSwitch;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * The parties of the benchmark on one durable SQLite ledger (with its audit log unless told
 * otherwise): a switch, two issuers (ranges 621 and 622, cards of both suites on each), two metro
 * operators; the cards issued in bulk, each on its own debit rider account funded well above a
 * day's fares. Holds every card's PAN,
 * suite and AC key (derived here by EMV option A from the issuer's IMK-AC, independently of the
 * issuer's own code) so the generator can compute genuine TACs.
 */
final class BenchParties implements AutoCloseable {
  static final PartyId SWITCH = PartyId.of("SWITCH");
  static final List<PartyId> ISSUERS = List.of(PartyId.of("ISSUER-A"), PartyId.of("ISSUER-B"));
  static final List<PartyId> OPERATORS = List.of(PartyId.of("METRO-A"), PartyId.of("METRO-B"));
  private static final List<String> PREFIXES = List.of("621", "622");
  /** Each rider account's deposit: far above what a day of fares (about 3 fares of at most 8.00) can take. */
  private static final long DEPOSIT_MINOR = 1_000_000L;
  /** Deposit transfer ids: issuer k's deposit to its card p is {@code DEPOSIT_ID_BASE + k * 10^9 + p}. */
  private static final long DEPOSIT_ID_BASE = 5_000_000_000L;
  /** Issuer k's ledger accounts start at {@code (k + 1) * this}: room for one rider account per card, 50 M cards. */
  private static final long ACCOUNT_ID_BASE_STEP = 1_000_000_000L;
  /** Suite of the audit log's hashes and checkpoint signatures in the bench. */
  static final AlgorithmSuite AUDIT_SUITE = AlgorithmSuite.INTERNATIONAL;

  final Database database;
  /** Null when the bench runs without the audit log. */
  private final AuditLog auditLog;
  final Ledger ledger;
  final TransitSwitch transitSwitch;
  final List<Issuer> issuers = new ArrayList<>();
  /** The scheme CA and every party's file-signing key (docs/signed-files.md). */
  private final SchemeEnrolment scheme;
  private final Map<PartyId, FileSigner> operatorSigners = new java.util.HashMap<>();
  final Map<AlgorithmSuite, SecretKeyBytes>[] imkAc;
  /** Card c: its PAN, suite and AC key (16 bytes at c × 16); issuer = c mod 2. */
  final Pan[] pans;
  final AlgorithmSuite[] suites;
  final byte[] acKeys;

  /** Each operator signs its files, as it would before uploading them. */
  void signOperatorFiles(List<Path> files) {
    for (Path file : files) {
      PartyId sender = FileHeaders.read(file, FileKind.OFFLINE, FileLimits.defaults()).sender();
      operatorSigners.get(sender).sign(file, FileKind.OFFLINE);
    }
  }

  /** Verifies every operator file as the switch does and every clearing file as its issuer does. */
  void verifyAll(List<Path> operatorFiles, Map<PartyId, Path> clearingFiles) {
    SignedFileVerifier atSwitch = scheme.verifierFor(SWITCH);
    for (Path file : operatorFiles) {
      atSwitch.verify(file, FileKind.OFFLINE, AcceptedFiles.NONE);
    }
    for (Map.Entry<PartyId, Path> entry : clearingFiles.entrySet()) {
      scheme.verifierFor(entry.getKey()).verify(entry.getValue(), FileKind.CLEARING, AcceptedFiles.NONE);
    }
  }

  @SuppressWarnings("unchecked")
  BenchParties(Path directory, int cardCount, boolean audit, Consumer<String> progress) {
    this(directory, cardCount, audit, AlgorithmSuite.INTERNATIONAL, progress);
  }

  BenchParties(Path directory, int cardCount, boolean audit, AlgorithmSuite fileSuite, Consumer<String> progress) {
    Instant from = DayGenerator.DAY.minusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC);
    this.scheme = SchemeEnrolment.create(directory.resolve("pki"), fileSuite, from, from.plus(Duration.ofDays(30)));
    for (PartyId operator : OPERATORS) {
      operatorSigners.put(operator, scheme.enrol(operator, PartyRole.OPERATOR).signer());
    }
    this.database = Database.open("jdbc:sqlite:" + directory.resolve("bench.db"), 4);
    try {
      this.auditLog = audit ? AuditLog.open(database, AuditLogConfig.of(AUDIT_SUITE,
          AUDIT_SUITE.signature().generateKeyPair(new SecureRandom()))) : null;
    } catch (SQLException e) {
      throw new IllegalStateException("bench: cannot open the audit log", e);
    }
    this.ledger = Ledger.open(database, LedgerConfig.defaults(), Clock.systemUTC(),
        audit ? auditLog : AuditJournal.none());
    List<CardRange> ranges = List.of(new CardRange(PREFIXES.get(0), ISSUERS.get(0)),
        new CardRange(PREFIXES.get(1), ISSUERS.get(1)));
    this.transitSwitch = new TransitSwitch(SwitchConfig.of(SWITCH, 30, 30_000, 3_000_000_000L, ranges, OPERATORS),
        ledger, database, directory.resolve("switch"), scheme.enrol(SWITCH, PartyRole.SWITCH));
    this.imkAc = new Map[ISSUERS.size()];
    this.pans = new Pan[cardCount];
    this.suites = new AlgorithmSuite[cardCount];
    this.acKeys = new byte[cardCount * 16];
    Random random = new Random(20261120L);
    for (int k = 0; k < ISSUERS.size(); k++) {
      openIssuer(k, directory.resolve("issuer-keys-" + k), ranges.get(k), random, cardCount);
      progress.accept("issuer " + ISSUERS.get(k) + ": " + cardsOf(k, cardCount) + " cards issued");
    }
    IntStream.range(0, cardCount).parallel().forEach(this::deriveAcKey);
    progress.accept("card keys derived: " + cardCount);
  }

  private void openIssuer(int k, Path keyDirectory, CardRange range, Random random, int cardCount) {
    Map<AlgorithmSuite, IssuerMasterKeys> masters = new EnumMap<>(AlgorithmSuite.class);
    Map<AlgorithmSuite, SecretKeyBytes> ac = new EnumMap<>(AlgorithmSuite.class);
    for (AlgorithmSuite suite : AlgorithmSuite.values()) {
      IssuerMasterKeys keys = new IssuerMasterKeys(key(random), key(random), key(random));
      masters.put(suite, keys);
      ac.put(suite, keys.imkAc());
    }
    imkAc[k] = ac;
    IssuerConfig config = IssuerConfig.defaults(ISSUERS.get(k), 10 + k, ACCOUNT_ID_BASE_STEP * (k + 1), List.of(range));
    Issuer issuer = new Issuer(config, keyDirectory, masters, key(random), database, ledger,
        scheme.enrol(ISSUERS.get(k), PartyRole.ISSUER));
    issuers.add(issuer);
    int cards = cardsOf(k, cardCount);
    // One rider account per card: riders 1..(cards+1)/2 hold the 3DES cards, the rest the SM4 ones.
    int international = (cards + 1) / 2;
    List<Pan> first = issuer.issueCardsOnOwnAccounts(AlgorithmSuite.INTERNATIONAL, 1, international);
    List<Pan> second = cards > international
        ? issuer.issueCardsOnOwnAccounts(AlgorithmSuite.NATIONAL, 1 + international, cards - international)
        : List.of();
    deposit(issuer, k, first.size() + second.size());
    // Card position p of this issuer: even positions the 3DES cards, odd the SM4 ones (suites interleave).
    for (int p = 0; p < cards; p++) {
      int c = p * ISSUERS.size() + k;
      pans[c] = p % 2 == 0 ? first.get(p / 2) : second.get(p / 2);
      suites[c] = p % 2 == 0 ? AlgorithmSuite.INTERNATIONAL : AlgorithmSuite.NATIONAL;
    }
  }

  /**
   * Funds issuer k's rider accounts (riders 1..count) from its funding account: the same transfer as
   * {@code Issuer.deposit}, submitted straight to the ledger in full batches, several in flight.
   */
  private void deposit(Issuer issuer, int k, int count) {
    long riderBase = riderAccountId(issuer, 1) - 1;
    int batch = LedgerConfig.defaults().batchTransfersMax();
    java.util.ArrayDeque<java.util.concurrent.CompletableFuture<List<TransferResult>>> inFlight =
        new java.util.ArrayDeque<>();
    for (int start = 1; start <= count; start += batch) {
      List<Transfer> part = new ArrayList<>(batch);
      for (int rider = start; rider < start + batch && rider <= count; rider++) {
        part.add(Transfer.single(DEPOSIT_ID_BASE + 1_000_000_000L * k + rider, issuer.fundingAccountId(),
            riderBase + rider, DEPOSIT_MINOR));
      }
      inFlight.add(ledger.submit(part));
      if (inFlight.size() >= 8) {
        checkDeposits(inFlight.poll().join());
      }
    }
    while (!inFlight.isEmpty()) {
      checkDeposits(inFlight.poll().join());
    }
  }

  private static void checkDeposits(List<TransferResult> results) {
    for (TransferResult result : results) {
      if (result != TransferResult.OK) {
        throw new IllegalStateException("bench: deposit refused: " + result);
      }
    }
  }

  /** The ledger account of issuer's rider {@code rider} (the issuer's numbering, see {@code Issuer.openRiderAccount}). */
  private static long riderAccountId(Issuer issuer, int rider) {
    return issuer.openRiderAccount(rider, RiderAccountKind.DEBIT, 0); // existing: idempotent, returns its id
  }

  /** Cards of issuer k when card c belongs to issuer c mod 2. */
  static int cardsOf(int k, int cardCount) {
    return (cardCount - k + ISSUERS.size() - 1) / ISSUERS.size();
  }

  private void deriveAcKey(int c) {
    SecretKeyBytes key = EmvKeyDerivation.cardMasterKey(suites[c], imkAc[c % ISSUERS.size()].get(suites[c]),
        pans[c].digits(), "01");
    System.arraycopy(key.value(), 0, acKeys, c * 16, 16);
  }

  private static SecretKeyBytes key(Random random) {
    byte[] bytes = new byte[16];
    random.nextBytes(bytes);
    return new SecretKeyBytes(bytes);
  }

  /** For every book: posted debits equal posted credits. */
  boolean booksBalanced() {
    Map<Long, long[]> books = new HashMap<>();
    for (AccountBalance balance : ledger.balances().values()) {
      long[] sums = books.computeIfAbsent(balance.account().bookId(), b -> new long[2]);
      sums[0] += balance.debitsPostedMinor();
      sums[1] += balance.creditsPostedMinor();
    }
    return books.values().stream().allMatch(sums -> sums[0] == sums[1]);
  }

  /** What issuer k owes the switch after clearing (credit balance of its due-to-switch account). */
  long dueToSwitchMinor(int k) {
    return ledger.balance(issuers.get(k).dueToSwitchAccountId()).map(AccountBalance::creditBalanceMinor).orElse(0L);
  }

  @Override
  public void close() {
    issuers.forEach(Issuer::close);
    scheme.close();
    transitSwitch.close();
    ledger.close();
    if (auditLog != null) {
      auditLog.close();
    }
    database.close();
  }
}
