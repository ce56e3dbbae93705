package io.iotpay.switching.transit;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.money.Money;
import io.iotpay.ledger.AccountBalance;
import io.iotpay.ledger.Ledger;
import io.iotpay.ledger.LedgerConfig;
import io.iotpay.ledger.audit.AuditJournal;
import io.iotpay.foundation.store.Database;
import io.iotpay.protocol.Pan;
import io.iotpay.protocol.PartyId;
import io.iotpay.switching.SwitchConfig;
import io.iotpay.protocol.file.FileHeader;
import io.iotpay.protocol.file.FileKind;
import io.iotpay.protocol.file.TransitFileWriter;
import io.iotpay.protocol.pki.FileTrust;
import io.iotpay.protocol.transit.CardRange;
import io.iotpay.protocol.transit.RecordId;
import io.iotpay.protocol.transit.TransitKind;
import io.iotpay.protocol.transit.TransitRecord;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A switch on a real SQLite ledger, with two issuers and two operators. */
final class SwitchFixture implements AutoCloseable {
  static final PartyId SWITCH = PartyId.of("SWITCH");
  static final PartyId ISSUER_A = PartyId.of("ISSUER-A");
  static final PartyId ISSUER_B = PartyId.of("ISSUER-B");
  static final PartyId METRO_A = PartyId.of("METRO-A");
  static final PartyId METRO_B = PartyId.of("METRO-B");
  static final LocalDate DAY = LocalDate.of(2026, 11, 20);
  static final long BOOK = 30;

  final Path directory;
  final Database database;
  final Ledger ledger;
  final SwitchConfig config;
  TransitSwitch transitSwitch;
  /** The switch's signed-file trust; null for the unsigned file logic. */
  final FileTrust trust;
  private int files;

  SwitchFixture(Path directory) {
    this(directory, null);
  }

  /** With signed files: {@code trust} is the switch's signer and verifier. */
  SwitchFixture(Path directory, FileTrust trust) {
    this.trust = trust;
    this.directory = directory;
    this.database = Database.open("jdbc:sqlite:" + directory.resolve("ledger.db"), 4);
    this.ledger = Ledger.open(database, LedgerConfig.defaults(), Clock.systemUTC(), AuditJournal.none());
    this.config = SwitchConfig.of(SWITCH, BOOK, 30_000, 3_000_000_000L,
        List.of(new CardRange("621", ISSUER_A), new CardRange("622", ISSUER_B), new CardRange("6229", ISSUER_A)),
        List.of(METRO_A, METRO_B));
    this.transitSwitch = new TransitSwitch(config, ledger, database, directory.resolve("switch"), trust);
  }

  /** A new switch instance on the same database and work directory, as after a restart. */
  TransitSwitch restart() {
    transitSwitch = new TransitSwitch(config, ledger, database, directory.resolve("switch"), trust);
    return transitSwitch;
  }

  static TransitRecord exit(PartyId operator, String terminal, long sequence, String panBody, int atc, long fareMinor) {
    return new TransitRecord(new RecordId(terminal, sequence), operator, "ST01",
        fareMinor == 0 ? TransitKind.ENTRY : TransitKind.EXIT, Pan.withCheckDigit(panBody), 0,
        atc % 2 == 0 ? AlgorithmSuite.INTERNATIONAL : AlgorithmSuite.NATIONAL, atc,
        Money.ofMinor(fareMinor, CurrencyUnit.CNY), 1000, Instant.parse("2026-11-20T08:00:00Z"), DAY,
        new byte[] {1, 2, 3}, new byte[8], false);
  }

  /** Writes an offline file of {@code operator} with {@code sequence}; returns its path. */
  Path offlineFile(PartyId operator, long sequence, List<TransitRecord> records) {
    return offlineFile(operator, sequence, records, DAY);
  }

  /** As {@link #offlineFile(PartyId, long, List)}, for business day {@code day}. */
  Path offlineFile(PartyId operator, long sequence, List<TransitRecord> records, LocalDate day) {
    FileHeader header = TransitFileWriter.headerFor(FileKind.OFFLINE, operator, SWITCH, day, sequence, CurrencyUnit.CNY,
        records);
    Path path = directory.resolve("upload-" + (++files) + ".txt");
    try (OutputStream out = Files.newOutputStream(path)) {
      TransitFileWriter.writeAll(out, header, records);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return path;
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

  long balanceMinor(long accountId) {
    return ledger.balance(accountId).map(AccountBalance::debitBalanceMinor).orElse(0L);
  }

  @Override
  public void close() {
    transitSwitch.close();
    ledger.close();
    database.close();
  }
}
