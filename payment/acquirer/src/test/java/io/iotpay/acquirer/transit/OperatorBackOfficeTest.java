package io.iotpay.acquirer.transit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import io.iotpay.protocol.ProtocolException;
import io.iotpay.protocol.file.DenyListFile;
import io.iotpay.protocol.file.FileKind;
import io.iotpay.protocol.file.FileLimits;
import io.iotpay.protocol.file.IntakeReceipt;
import io.iotpay.protocol.file.IntakeStatus;
import io.iotpay.protocol.file.OfflineFileInbox;
import io.iotpay.protocol.file.SettlementReportFile;
import io.iotpay.protocol.file.TransitFileReader;
import io.iotpay.protocol.journal.JournalLine;
import io.iotpay.protocol.settlement.NetPosition;
import io.iotpay.protocol.settlement.SettlementReport;
import io.iotpay.protocol.transit.DenyList;
import io.iotpay.protocol.transit.RecordId;
import io.iotpay.protocol.transit.TransitKind;
import io.iotpay.protocol.transit.TransitRecord;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OperatorBackOfficeTest {
  static final PartyId METRO = PartyId.of("METRO-A");
  static final PartyId SWITCH = PartyId.of("SWITCH");
  static final LocalDate DAY = LocalDate.of(2026, 11, 20);

  @TempDir Path directory;
  Database database;
  Ledger ledger;
  OperatorBackOffice backOffice;
  /** Every file the inbox received, read back with the protocol's strict reader. */
  final List<List<TransitRecord>> received = new ArrayList<>();
  IntakeStatus answer = IntakeStatus.ACCEPTED;

  /** The switch's side of the interface, reduced to reading the file strictly and answering. */
  final OfflineFileInbox inbox = file -> {
    List<TransitRecord> records;
    try (InputStream in = Files.newInputStream(file)) {
      records = TransitFileReader.readAll(in, FileKind.OFFLINE, FileLimits.defaults());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    received.add(records);
    if (answer == IntakeStatus.REJECTED) {
      return new IntakeReceipt(answer, 0, 0, 0, "refused for the test");
    }
    // This inbox accepts every record except those whose fare is 1.23: "duplicates" it refuses.
    List<TransitRecord> accepted = records.stream().filter(r -> r.fare().amountMinor() != 123).toList();
    return new IntakeReceipt(answer, accepted.size(), records.size() - accepted.size(),
        accepted.stream().mapToLong(r -> r.fare().amountMinor()).sum(), "");
  };

  @BeforeEach
  void open() {
    database = Database.open("jdbc:sqlite:" + directory.resolve("ledger.db"), 4);
    ledger = Ledger.open(database, LedgerConfig.defaults(), Clock.systemUTC(), AuditJournal.none());
    backOffice = new OperatorBackOffice(OperatorConfig.of(METRO, SWITCH, 20, 20_000, 2_000_000_000L), ledger,
        directory.resolve("operator"));
  }

  @AfterEach
  void close() {
    ledger.close();
    database.close();
  }

  static TransitRecord record(PartyId operator, String terminal, long sequence, int atc, long fareMinor) {
    return new TransitRecord(new RecordId(terminal, sequence), operator, "ST01", TransitKind.EXIT,
        Pan.withCheckDigit("62100000000001"), 0, AlgorithmSuite.INTERNATIONAL, atc,
        Money.ofMinor(fareMinor, CurrencyUnit.CNY), 1000, Instant.parse("2026-11-20T08:00:00Z"), DAY,
        new byte[] {1}, new byte[8], false);
  }

  private boolean booksBalanced() {
    Map<Long, long[]> books = new HashMap<>();
    for (AccountBalance balance : ledger.balances().values()) {
      long[] sums = books.computeIfAbsent(balance.account().bookId(), b -> new long[2]);
      sums[0] += balance.debitsPostedMinor();
      sums[1] += balance.creditsPostedMinor();
    }
    return books.values().stream().allMatch(sums -> sums[0] == sums[1]);
  }

  @Test
  void collect_deduplicatesByRecordId_andRefusesConflictsAndOtherOperators() {
    TransitRecord r1 = record(METRO, "G1", 1, 1, 300);
    CollectResult first = backOffice.collect(List.of(r1, r1, record(METRO, "G1", 2, 2, 400)));
    assertThat(first).isEqualTo(new CollectResult(2, 1, 0));
    CollectResult second = backOffice.collect(List.of(r1, record(METRO, "G1", 1, 9, 999),
        record(PartyId.of("METRO-B"), "G1", 3, 3, 100)));
    assertThat(second).isEqualTo(new CollectResult(0, 1, 2));
    assertThat(backOffice.pendingRecords(DAY)).isEqualTo(2);
  }

  @Test
  void upload_sendsEachRecordOnce_inJournalOrder_andBooksRevenue() {
    TransitRecord g2 = record(METRO, "G2", 1, 3, 500);
    TransitRecord g1b = record(METRO, "G1", 2, 2, 400);
    TransitRecord g1a = record(METRO, "G1", 1, 1, 300);
    backOffice.collect(List.of(g2, g1b));
    backOffice.collect(List.of(g1a, g2));
    assertThat(backOffice.upload(DAY, inbox).status()).isEqualTo(IntakeStatus.ACCEPTED);
    assertThat(received).singleElement().isEqualTo(List.of(g1a, g1b, g2));
    assertThat(backOffice.fareRevenueMinor()).isEqualTo(1200);
    assertThat(backOffice.receivableMinor()).isEqualTo(1200);

    TransitRecord late = record(METRO, "G3", 1, 4, 250);
    backOffice.collect(List.of(late, g1a));
    backOffice.upload(DAY, inbox);
    assertThat(received.get(1)).containsExactly(late);
    assertThat(backOffice.fareRevenueMinor()).isEqualTo(1450);
    assertThat(booksBalanced()).isTrue();
  }

  @Test
  void upload_booksOnlyTheFaresTheSwitchAccepted() {
    // The inbox refuses fares of 1.23, standing for recovered copies another gate already uploaded.
    backOffice.collect(List.of(record(METRO, "G1", 1, 1, 300), record(METRO, "G1", 2, 2, 123)));
    IntakeReceipt receipt = backOffice.upload(DAY, inbox);
    assertThat(receipt.recordsRefused()).isEqualTo(1);
    assertThat(backOffice.fareRevenueMinor()).isEqualTo(300);
    assertThat(backOffice.receivableMinor()).isEqualTo(300);
    assertThat(booksBalanced()).isTrue();
  }

  @Test
  void rejectedUpload_booksNothing_andKeepsTheRecordsPending() {
    backOffice.collect(List.of(record(METRO, "G1", 1, 1, 300)));
    answer = IntakeStatus.REJECTED;
    assertThat(backOffice.upload(DAY, inbox).status()).isEqualTo(IntakeStatus.REJECTED);
    assertThat(backOffice.fareRevenueMinor()).isZero();
    assertThat(backOffice.pendingRecords(DAY)).isEqualTo(1);
    answer = IntakeStatus.ACCEPTED;
    backOffice.upload(DAY, inbox);
    assertThat(backOffice.fareRevenueMinor()).isEqualTo(300);
    assertThat(backOffice.pendingRecords(DAY)).isZero();
  }

  @Test
  void settlement_isBookedAsReceived_andWhatTheSwitchRefusedStaysReceivable() throws Exception {
    backOffice.collect(List.of(record(METRO, "G1", 1, 1, 300), record(METRO, "G1", 2, 2, 400)));
    backOffice.upload(DAY, inbox);
    // the switch settled 600 of the 700 uploaded (say one record was refused)
    Path report = reportFile(SWITCH, METRO, 600);
    assertThat(backOffice.receiveSettlement(report)).isEqualTo(600);
    assertThat(backOffice.receiveSettlement(report)).isEqualTo(600); // a re-delivered report books nothing twice
    assertThat(backOffice.settledMinor()).isEqualTo(600);
    assertThat(backOffice.receivableMinor()).isEqualTo(100);
    assertThat(backOffice.fareRevenueMinor()).isEqualTo(700);
    assertThat(booksBalanced()).isTrue();
  }

  @Test
  void settlementReport_fromAnotherSender_isRefused() throws Exception {
    Path report = reportFile(PartyId.of("SOMEONE"), METRO, 600);
    assertThatThrownBy(() -> backOffice.receiveSettlement(report)).isInstanceOf(ProtocolException.class)
        .hasMessageContaining("not from the switch");
    assertThat(backOffice.settledMinor()).isZero();
  }

  private Path reportFile(PartyId sender, PartyId receiver, long netMinor) throws Exception {
    SettlementReport report = new SettlementReport(DAY, CurrencyUnit.CNY, List.of(
        new NetPosition(METRO, Money.ofMinor(netMinor, CurrencyUnit.CNY)),
        new NetPosition(PartyId.of("ISSUER-A"), Money.ofMinor(-netMinor, CurrencyUnit.CNY))), 2);
    Path path = directory.resolve("report-" + sender + ".txt");
    try (OutputStream out = Files.newOutputStream(path)) {
      SettlementReportFile.write(out, sender, receiver, 1, report);
    }
    return path;
  }

  @Test
  void denyLists_keepTheLatestVersionPerIssuer() throws Exception {
    Pan card = Pan.withCheckDigit("62100000000001");
    assertThat(backOffice.receiveDenyList(denyList(2, card))).isTrue();
    assertThat(backOffice.receiveDenyList(denyList(1))).isFalse();
    assertThat(backOffice.denyLists()).singleElement().satisfies(list -> {
      assertThat(list.version()).isEqualTo(2);
      assertThat(list.denies(card)).isTrue();
    });
  }

  private Path denyList(long version, Pan... pans) throws Exception {
    Path path = directory.resolve("deny-" + version + ".txt");
    try (OutputStream out = Files.newOutputStream(path)) {
      DenyListFile.write(out, METRO, DAY, new DenyList(PartyId.of("ISSUER-A"), version, new TreeSet<>(List.of(pans))));
    }
    return path;
  }

  @Test
  void collectFile_readsAJournalWrittenInTheOfflineFormat_andRefusesAMalformedOne() throws Exception {
    List<TransitRecord> journal = List.of(record(METRO, "G1", 1, 1, 300), record(METRO, "G1", 2, 2, 400));
    Path file = directory.resolve("journal.txt");
    try (OutputStream out = Files.newOutputStream(file)) {
      io.iotpay.protocol.file.TransitFileWriter.writeAll(out, io.iotpay.protocol.file.TransitFileWriter.headerFor(
          FileKind.OFFLINE, METRO, METRO, DAY, 1, CurrencyUnit.CNY, journal), journal);
    }
    assertThat(backOffice.collectFile(file)).isEqualTo(new CollectResult(2, 0, 0));
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 5));
    assertThatThrownBy(() -> backOffice.collectFile(file)).isInstanceOf(ProtocolException.class)
        .hasMessageContaining("truncated");
    assertThat(backOffice.pendingRecords(DAY)).isEqualTo(2);
  }

  @Test
  void collectJournal_readsAGateJournal_skipsAnotherOperatorsCopiesAndATornTail() throws Exception {
    PartyId other = PartyId.of("METRO-B");
    List<TransitRecord> journal = List.of(record(METRO, "G1", 1, 1, 300), record(other, "G1", 2, 2, 400),
        record(METRO, "G1", 3, 3, 500));
    StringBuilder text = new StringBuilder();
    for (TransitRecord record : journal) {
      text.append(JournalLine.encode(record)).append('\n');
    }
    String torn = JournalLine.encode(record(METRO, "G1", 4, 4, 600));
    text.append(torn, 0, torn.length() / 2); // the gate was appending when the collector read it
    Path file = directory.resolve("G1.journal");
    Files.writeString(file, text, StandardCharsets.UTF_8);
    assertThat(backOffice.collectJournal(file)).isEqualTo(new CollectResult(2, 0, 0, 1));
    assertThat(backOffice.collectJournal(file)).isEqualTo(new CollectResult(0, 2, 0, 1));
    assertThat(backOffice.pendingRecords(DAY)).isEqualTo(2);
  }
}
