package io.iotpay.demo.transit;

import io.iotpay.acquirer.transit.OperatorBackOffice;
import io.iotpay.acquirer.transit.OperatorConfig;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.money.Money;
import io.iotpay.foundation.store.Database;
import io.iotpay.issuer.Issuer;
import io.iotpay.issuer.IssuerConfig;
import io.iotpay.issuer.RiderAccountKind;
import io.iotpay.issuer.card.IssuedCard;
import io.iotpay.issuer.card.IssuerMasterKeys;
import io.iotpay.ledger.AccountBalance;
import io.iotpay.ledger.Ledger;
import io.iotpay.ledger.LedgerAuditCheck;
import io.iotpay.ledger.LedgerConfig;
import io.iotpay.ledger.audit.AuditLog;
import io.iotpay.ledger.audit.AuditLogConfig;
import io.iotpay.ledger.audit.AuditVerifier;
import io.iotpay.ledger.audit.Checkpoint;
import io.iotpay.ledger.audit.DatabaseAuditSource;
import io.iotpay.protocol.Pan;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.pki.FileTrust;
import io.iotpay.protocol.pki.PartyRole;
import io.iotpay.protocol.pki.SchemeEnrolment;
import io.iotpay.protocol.transit.CardRange;
import io.iotpay.protocol.transit.RecordId;
import io.iotpay.protocol.transit.TransitKind;
import io.iotpay.protocol.transit.TransitRecord;
import io.iotpay.protocol.transit.TransitTac;
import io.iotpay.switching.SwitchConfig;
import io.iotpay.switching.transit.TransitSwitch;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The three transit back-office parties on one SQLite ledger and audit log, with signed files in one
 * suite: an issuer, the switch and one operator, each with its own database (the issuer's registry,
 * the switch's store, the operator's back office). A party's database can be closed under it at any
 * moment (a crash) and the party reopened on its stores.
 */
final class TransitParties implements AutoCloseable {
  static final PartyId SWITCH = PartyId.of("SWITCH");
  static final PartyId BANK = PartyId.of("BANK-A");
  static final PartyId METRO = PartyId.of("METRO-A");
  static final LocalDate DAY = LocalDate.of(2026, 3, 2);
  static final String RANGE = "621234";
  /** The validity of the scheme's certificates: from ten days before the night, for 400 days. */
  static final Instant CERTIFICATES_FROM = DAY.minusDays(10).atStartOfDay().toInstant(ZoneOffset.UTC);
  static final Instant CERTIFICATES_UNTIL = CERTIFICATES_FROM.plusSeconds(86_400L * 400);

  final AlgorithmSuite suite;
  final Path dir;
  final Database database;
  final KeyPair auditKey;
  final AuditLog auditLog;
  final Ledger ledger;
  /** The scheme's PKI. */
  final SchemeEnrolment scheme;
  private final Map<AlgorithmSuite, IssuerMasterKeys> masters;
  private final SecretKeyBytes storageKey;
  Database issuerDatabase;
  Database switchDatabase;
  Database operatorDatabase;
  Issuer issuer;
  TransitSwitch transitSwitch;
  OperatorBackOffice operator;
  private boolean closed;

  /** With signed files and fresh keys. */
  TransitParties(AlgorithmSuite suite, Path dir) throws java.sql.SQLException {
    SecureRandom keys = new SecureRandom();
    this.suite = suite;
    this.dir = dir;
    this.database = Database.open("jdbc:sqlite:" + dir.resolve("iotpay.db"), 4);
    this.auditKey = suite.signature().generateKeyPair(keys);
    this.auditLog = AuditLog.open(database, AuditLogConfig.of(suite, auditKey));
    this.ledger = Ledger.open(database, LedgerConfig.defaults(), java.time.Clock.systemUTC(), auditLog);
    this.scheme = SchemeEnrolment.create(dir.resolve("pki"), suite, CERTIFICATES_FROM, CERTIFICATES_UNTIL);
    this.masters = Map.of(AlgorithmSuite.INTERNATIONAL, masters(keys), AlgorithmSuite.NATIONAL, masters(keys));
    this.storageKey = key(keys);
    openIssuer();
    openSwitch();
    openOperator();
  }

  static IssuerMasterKeys masters(java.util.Random random) {
    return new IssuerMasterKeys(key(random), key(random), key(random));
  }

  private static SecretKeyBytes key(java.util.Random random) {
    byte[] bytes = new byte[16];
    random.nextBytes(bytes);
    return new SecretKeyBytes(bytes);
  }

  void openIssuer() {
    issuerDatabase = Database.open("jdbc:sqlite:" + dir.resolve("issuer.db"), 2);
    issuer = new Issuer(issuerConfig(), dir.resolve("issuer-keys"), masters, storageKey, issuerDatabase, ledger,
        trust(BANK, PartyRole.ISSUER));
  }

  void openSwitch() {
    switchDatabase = Database.open("jdbc:sqlite:" + dir.resolve("switch.db"), 2);
    transitSwitch = new TransitSwitch(switchConfig(), ledger, switchDatabase, dir.resolve("switch"),
        trust(SWITCH, PartyRole.SWITCH));
  }

  void openOperator() {
    operatorDatabase = Database.open("jdbc:sqlite:" + dir.resolve("operator.db"), 2);
    operator = new OperatorBackOffice(operatorConfig(), ledger, dir.resolve("operator"),
        trust(METRO, PartyRole.OPERATOR), operatorDatabase);
  }

  /** The issuer's configuration (also that of the issuer process of {@link NightKillTest}). */
  static IssuerConfig issuerConfig() {
    return IssuerConfig.defaults(BANK, 1, 1_000_000L, List.of(new CardRange(RANGE, BANK)));
  }

  static SwitchConfig switchConfig() {
    return SwitchConfig.of(SWITCH, 3, 3_000_000, 3_000_000_000L, List.of(new CardRange(RANGE, BANK)), List.of(METRO));
  }

  static OperatorConfig operatorConfig() {
    return OperatorConfig.of(METRO, SWITCH, 4, 4_000_000L, 6_000_000_000L);
  }

  private FileTrust trust(PartyId party, PartyRole role) {
    return scheme.enrol(party, role);
  }

  /** The three parties, as a crash picks one. */
  enum Party { ISSUER, SWITCH, OPERATOR }

  /** A party's own database: closing it under the party is its crash. */
  Database databaseOf(Party party) {
    return switch (party) {
      case ISSUER -> issuerDatabase;
      case SWITCH -> switchDatabase;
      case OPERATOR -> operatorDatabase;
    };
  }

  /** Drops the party with its database (closed already by a crash, or now) and opens it again on its stores. */
  void restart(Party party) {
    databaseOf(party).close();
    switch (party) {
      case ISSUER -> {
        issuer.close();
        openIssuer();
      }
      case SWITCH -> openSwitch();
      case OPERATOR -> openOperator();
    }
  }

  void restartOperator() {
    restart(Party.OPERATOR);
  }

  /** A card of the issuer (registered, its keys derived; no applet needed for what clearing refuses). */
  Pan issueCard() {
    long account = issuer.openRiderAccount(1, RiderAccountKind.CREDIT, 300_00);
    IssuedCard card = issuer.issueCard(suite, account);
    return card.pan();
  }

  /**
   * An exit record at the operator's gate whose TAC the issuer cannot verify (zeros): what a
   * tampered or counterfeit record looks like to clearing.
   */
  TransitRecord exitWithoutValidTac(Pan pan, long sequence, int atc, long fareMinor, LocalDate day) {
    return exitWithoutValidTac(suite, pan, sequence, atc, fareMinor, day);
  }

  static TransitRecord exitWithoutValidTac(AlgorithmSuite suite, Pan pan, long sequence, int atc, long fareMinor,
      LocalDate day) {
    return new TransitRecord(new RecordId("G1", sequence), METRO, "ST01", TransitKind.EXIT, pan, 0, suite, atc, Money.ofMinor(fareMinor, CurrencyUnit.CNY), 1000,
        day.atTime(8, 0).toInstant(ZoneOffset.UTC), day, new byte[TransitTac.Input.BYTES], new byte[8], false);
  }

  long debitBalance(long accountId) {
    return ledger.balance(accountId).map(AccountBalance::debitBalanceMinor).orElse(0L);
  }

  long creditBalance(long accountId) {
    return ledger.balance(accountId).map(AccountBalance::creditBalanceMinor).orElse(0L);
  }

  /** For every book: posted debits equal posted credits. */
  boolean booksBalanced() {
    return booksBalanced(ledger);
  }

  /** For every book of {@code ledger}: posted debits equal posted credits. */
  static boolean booksBalanced(Ledger ledger) {
    Map<Long, long[]> books = new HashMap<>();
    for (AccountBalance balance : ledger.balances().values()) {
      long[] sums = books.computeIfAbsent(balance.account().bookId(), b -> new long[2]);
      sums[0] += balance.debitsPostedMinor();
      sums[1] += balance.creditsPostedMinor();
    }
    return books.values().stream().allMatch(sums -> sums[0] == sums[1]);
  }

  /** Closes every party and the audit log, then verifies the log over the database. */
  boolean closeAndVerifyAudit() throws Exception {
    closeParties();
    return AuditVerifier.verify(DatabaseAuditSource.of(database),
        Map.of(Checkpoint.keyIdOf(suite, auditKey.getPublic().getEncoded()), auditKey.getPublic()),
        LedgerAuditCheck.of(database)).verified();
  }

  private void closeParties() {
    if (closed) {
      return;
    }
    closed = true;
    operator.close();
    transitSwitch.close();
    operatorDatabase.close();
    switchDatabase.close();
    issuer.close();
    issuerDatabase.close();
    scheme.close();
    ledger.close();
    auditLog.close();
  }

  @Override
  public void close() {
    closeParties();
    database.close();
  }
}
