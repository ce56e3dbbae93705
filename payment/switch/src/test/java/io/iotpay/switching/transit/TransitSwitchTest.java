package io.iotpay.switching.transit;

import static io.iotpay.switching.transit.SwitchFixture.DAY;
import static io.iotpay.switching.transit.SwitchFixture.ISSUER_A;
import static io.iotpay.switching.transit.SwitchFixture.ISSUER_B;
import static io.iotpay.switching.transit.SwitchFixture.METRO_A;
import static io.iotpay.switching.transit.SwitchFixture.METRO_B;
import static io.iotpay.switching.transit.SwitchFixture.exit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iotpay.foundation.money.Money;
import io.iotpay.protocol.Pan;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.file.DenyListFile;
import io.iotpay.protocol.file.FileLimits;
import io.iotpay.protocol.file.IntakeReceipt;
import io.iotpay.protocol.file.IntakeStatus;
import io.iotpay.protocol.file.SettlementReportFile;
import io.iotpay.protocol.file.TransitFileReader;
import io.iotpay.protocol.settlement.NetPosition;
import io.iotpay.protocol.transit.ClearingFile;
import io.iotpay.protocol.transit.DenyList;
import io.iotpay.protocol.transit.RecordId;
import io.iotpay.protocol.transit.TransitRecord;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TransitSwitchTest {
  @TempDir Path directory;
  SwitchFixture fixture;
  TransitSwitch transitSwitch;

  @BeforeEach
  void open() {
    fixture = new SwitchFixture(directory);
    transitSwitch = fixture.transitSwitch;
  }

  @AfterEach
  void close() {
    fixture.close();
  }

  private static long net(SettlementRun run, PartyId party) {
    return run.report().positions().stream().filter(p -> p.party().equals(party)).findFirst()
        .map(p -> p.net().amountMinor()).orElseThrow();
  }

  @Test
  void settlement_netsPerParticipant_sumsToZero_andPostsBalancedBooks() throws Exception {
    TransitRecord a1 = exit(METRO_A, "G1", 1, "62100000000001", 1, 300);
    TransitRecord a2 = exit(METRO_A, "G1", 2, "62200000000002", 1, 500);
    TransitRecord entry = exit(METRO_A, "G1", 3, "62100000000003", 2, 0);
    TransitRecord b1 = exit(METRO_B, "G9", 1, "62100000000001", 2, 700);
    TransitRecord b2 = exit(METRO_B, "G9", 2, "62290000000004", 1, 200);
    assertThat(transitSwitch.receive(fixture.offlineFile(METRO_A, 1, List.of(a1, a2, entry))).status())
        .isEqualTo(IntakeStatus.ACCEPTED);
    assertThat(transitSwitch.receive(fixture.offlineFile(METRO_B, 1, List.of(b1, b2))).status())
        .isEqualTo(IntakeStatus.ACCEPTED);

    SettlementRun run = transitSwitch.settle(DAY, DAY.plusDays(1));

    // ISSUER-A: cards 621..., and 6229... (longest prefix wins over 622)
    assertThat(net(run, ISSUER_A)).isEqualTo(-(300 + 700 + 200));
    assertThat(net(run, ISSUER_B)).isEqualTo(-500);
    assertThat(net(run, METRO_A)).isEqualTo(800);
    assertThat(net(run, METRO_B)).isEqualTo(900);
    assertThat(run.report().positions().stream().mapToLong(p -> p.net().amountMinor()).sum()).isZero();
    assertThat(run.report().recordsSettled()).isEqualTo(5);
    assertThat(fixture.booksBalanced()).isTrue();
    assertThat(fixture.balanceMinor(transitSwitch.settlementAccountId())).isZero();
    assertThat(fixture.balanceMinor(transitSwitch.dueFromIssuerAccountId(ISSUER_A))).isZero();
    assertThat(fixture.ledger.balance(transitSwitch.dueFromIssuerAccountId(ISSUER_A)).orElseThrow().debitsPostedMinor())
        .isEqualTo(1200);

    ClearingFile clearingA = readClearing(run.clearingFiles().get(ISSUER_A));
    assertThat(clearingA.records()).containsExactlyInAnyOrder(a1, entry, b1, b2);
    assertThat(clearingA.issuer()).isEqualTo(ISSUER_A);
    assertThat(readClearing(run.clearingFiles().get(ISSUER_B)).records()).containsExactly(a2);
    try (InputStream in = Files.newInputStream(run.reportFiles().get(METRO_A))) {
      SettlementReportFile.Read report = SettlementReportFile.read(in, FileLimits.defaults());
      assertThat(report.report()).isEqualTo(run.report());
      assertThat(report.header().receiver()).isEqualTo(METRO_A);
    }
  }

  private static ClearingFile readClearing(Path file) throws Exception {
    try (InputStream in = Files.newInputStream(file)) {
      return TransitFileReader.readClearingFile(in, FileLimits.defaults());
    }
  }

  @Test
  void badChecksum_rejectsTheWholeFile_withARecordedReason() throws Exception {
    Path file = fixture.offlineFile(METRO_A, 1, List.of(exit(METRO_A, "G1", 1, "62100000000001", 1, 300)));
    String text = Files.readString(file, StandardCharsets.US_ASCII).replace("|300|", "|900|").replace("|CNY|300", "|CNY|900");
    Files.writeString(file, text, StandardCharsets.US_ASCII);
    IntakeReceipt receipt = transitSwitch.receive(file);
    assertThat(receipt.status()).isEqualTo(IntakeStatus.REJECTED);
    assertThat(receipt.reason()).contains("checksum");
    assertThat(transitSwitch.rejections()).singleElement().satisfies(r -> {
      assertThat(r.wholeFile()).isTrue();
      assertThat(r.reason()).contains("SHA-256 does not match");
    });
    assertThat(transitSwitch.recordsAccepted(DAY)).isZero();
  }

  @Test
  void damagedTrailer_countsNothing_evenOfTheRecordsReadBeforeIt() throws Exception {
    TransitRecord first = exit(METRO_A, "G1", 1, "62100000000001", 1, 300);
    transitSwitch.receive(fixture.offlineFile(METRO_A, 1, List.of(first)));
    TransitRecord newOfIssuerA = exit(METRO_A, "G1", 2, "62100000000002", 1, 400);
    TransitRecord repeat = exit(METRO_A, "G1", 1, "62100000000001", 1, 300);
    TransitRecord firstOfIssuerB = exit(METRO_A, "G1", 3, "62200000000003", 1, 500);
    List<TransitRecord> records = List.of(newOfIssuerA, repeat, firstOfIssuerB);
    Path damaged = fixture.offlineFile(METRO_A, 2, records);
    // only the trailer's checksum is damaged: every record is read (and provisionally counted) before
    List<String> lines = Files.readAllLines(damaged, StandardCharsets.US_ASCII);
    String trailer = lines.get(lines.size() - 1);
    lines.set(lines.size() - 1, trailer.substring(0, trailer.length() - 1) + (trailer.endsWith("0") ? "1" : "0"));
    Files.write(damaged, lines, StandardCharsets.US_ASCII);

    IntakeReceipt receipt = transitSwitch.receive(damaged);

    assertThat(receipt.status()).isEqualTo(IntakeStatus.REJECTED);
    assertThat(receipt.reason()).contains("SHA-256 does not match");
    assertThat(transitSwitch.rejections()).singleElement().satisfies(r -> assertThat(r.wholeFile()).isTrue());
    assertThat(transitSwitch.recordsAccepted(DAY)).isEqualTo(1);
    // the same records, undamaged: new to the switch but for the repeat (seen keys, spools, fares were taken back)
    IntakeReceipt again = transitSwitch.receive(fixture.offlineFile(METRO_A, 2, records));
    assertThat(again.status()).isEqualTo(IntakeStatus.ACCEPTED);
    assertThat(again.recordsAccepted()).isEqualTo(2);
    assertThat(again.recordsRefused()).isEqualTo(1);
    assertThat(transitSwitch.rejections()).hasSize(2).last().satisfies(r -> assertThat(r.reason()).startsWith("duplicate"));
    SettlementRun run = transitSwitch.settle(DAY, DAY.plusDays(1));
    assertThat(net(run, ISSUER_A)).isEqualTo(-700);
    assertThat(net(run, ISSUER_B)).isEqualTo(-500);
    assertThat(readClearing(run.clearingFiles().get(ISSUER_B)).records()).containsExactly(firstOfIssuerB);
  }

  @Test
  void damagedFileOfANewDay_leavesNoDayBehind() throws Exception {
    Path file = fixture.offlineFile(METRO_A, 1, List.of(exit(METRO_A, "G1", 1, "62100000000001", 1, 300)));
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 10));
    assertThat(transitSwitch.receive(file).status()).isEqualTo(IntakeStatus.REJECTED);
    assertThat(transitSwitch.recordsAccepted(DAY)).isZero();
    try (var spools = Files.list(directory.resolve("switch").resolve("spool"))) {
      assertThat(spools).isEmpty();
    }
  }

  @Test
  void truncatedFile_isRejected_andNothingCounted() throws Exception {
    Path file = fixture.offlineFile(METRO_A, 1, List.of(exit(METRO_A, "G1", 1, "62100000000001", 1, 300),
        exit(METRO_A, "G1", 2, "62100000000002", 1, 400)));
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length / 2));
    assertThat(transitSwitch.receive(file).reason()).contains("truncated");
    assertThat(transitSwitch.recordsAccepted(DAY)).isZero();
    assertThat(transitSwitch.settle(DAY, DAY.plusDays(1)).report().recordsSettled()).isZero();
  }

  @Test
  void wrongCountOrVersion_isRejected() throws Exception {
    Path file = fixture.offlineFile(METRO_A, 1, List.of(exit(METRO_A, "G1", 1, "62100000000001", 1, 300)));
    String text = Files.readString(file, StandardCharsets.US_ASCII);
    Files.writeString(file, text.replace("|1|1|CNY|", "|1|2|CNY|"), StandardCharsets.US_ASCII);
    assertThat(transitSwitch.receive(file).status()).isEqualTo(IntakeStatus.REJECTED);
    Files.writeString(file, text.replace("IOTPAY-FILE|1|", "IOTPAY-FILE|9|"), StandardCharsets.US_ASCII);
    assertThat(transitSwitch.receive(file).reason()).contains("format version 9 is not supported");
    assertThat(transitSwitch.rejections()).hasSize(2).allMatch(Rejection::wholeFile);
  }

  @Test
  void duplicatesWithinAFile_areCountedOnce() {
    TransitRecord record = exit(METRO_A, "G1", 1, "62100000000001", 1, 300);
    TransitRecord sameCardTransactionRecoveredAtAnotherGate = exit(METRO_A, "G2", 8, "62100000000001", 1, 300);
    IntakeReceipt receipt = transitSwitch.receive(fixture.offlineFile(METRO_A, 1,
        List.of(record, record, sameCardTransactionRecoveredAtAnotherGate)));
    assertThat(receipt.recordsAccepted()).isEqualTo(1);
    assertThat(receipt.recordsRefused()).isEqualTo(2);
    assertThat(transitSwitch.rejections()).extracting(Rejection::reason)
        .anyMatch(r -> r.startsWith("duplicate record id G1#1"))
        .anyMatch(r -> r.startsWith("duplicate card transaction (card 621000*****") && r.endsWith("/0, ATC 1)"));
    assertThat(net(transitSwitch.settle(DAY, DAY.plusDays(1)), ISSUER_A)).isEqualTo(-300);
  }

  @Test
  void reUploadOfTheSameFile_isANoOp_andAnotherFileWithItsSequenceIsRejected() {
    List<TransitRecord> records = List.of(exit(METRO_A, "G1", 1, "62100000000001", 1, 300));
    Path file = fixture.offlineFile(METRO_A, 1, records);
    assertThat(transitSwitch.receive(file).status()).isEqualTo(IntakeStatus.ACCEPTED);
    assertThat(transitSwitch.receive(file).status()).isEqualTo(IntakeStatus.ALREADY_ACCEPTED);
    assertThat(transitSwitch.receive(fixture.offlineFile(METRO_A, 1, records)).status())
        .isEqualTo(IntakeStatus.ALREADY_ACCEPTED);
    IntakeReceipt other = transitSwitch.receive(fixture.offlineFile(METRO_A, 1,
        List.of(exit(METRO_A, "G1", 2, "62100000000002", 1, 100))));
    assertThat(other.status()).isEqualTo(IntakeStatus.REJECTED);
    assertThat(other.reason()).contains("already used by a file with different content");
    assertThat(transitSwitch.recordsAccepted(DAY)).isEqualTo(1);
  }

  @Test
  void overlappingFiles_acceptOnlyTheNewRecords() {
    TransitRecord r1 = exit(METRO_A, "G1", 1, "62100000000001", 1, 300);
    TransitRecord r2 = exit(METRO_A, "G1", 2, "62100000000002", 1, 400);
    transitSwitch.receive(fixture.offlineFile(METRO_A, 1, List.of(r1)));
    IntakeReceipt second = transitSwitch.receive(fixture.offlineFile(METRO_A, 2, List.of(r1, r2)));
    assertThat(second.recordsAccepted()).isEqualTo(1);
    assertThat(second.recordsRefused()).isEqualTo(1);
    assertThat(net(transitSwitch.settle(DAY, DAY.plusDays(1)), METRO_A)).isEqualTo(700);
  }

  @Test
  void unknownCardRange_isRefusedWithReason_andTheRestAccepted() {
    IntakeReceipt receipt = transitSwitch.receive(fixture.offlineFile(METRO_A, 1, List.of(
        exit(METRO_A, "G1", 1, "62100000000001", 1, 300), exit(METRO_A, "G1", 2, "99900000000001", 1, 400))));
    assertThat(receipt.recordsAccepted()).isEqualTo(1);
    assertThat(transitSwitch.rejections()).singleElement().satisfies(r -> {
      assertThat(r.line()).isEqualTo(3);
      assertThat(r.recordId()).isEqualTo("G1#2");
      assertThat(r.reason()).startsWith("no card range routes PAN 999000*****")
          .doesNotContain(Pan.withCheckDigit("99900000000001").digits());
    });
  }

  @Test
  void recordOfAnotherOperator_isRefused() {
    IntakeReceipt receipt = transitSwitch.receive(fixture.offlineFile(METRO_A, 1,
        List.of(exit(METRO_B, "G1", 1, "62100000000001", 1, 300))));
    assertThat(receipt.recordsRefused()).isEqualTo(1);
    assertThat(transitSwitch.rejections().get(0).reason()).contains("operator METRO-B in a file from METRO-A");
  }

  @Test
  void unknownSender_isRejected_andAFileAfterItsDaySettled_goesToTheOpenWindow() {
    PartyId stranger = PartyId.of("METRO-X");
    assertThat(transitSwitch.receive(fixture.offlineFile(stranger, 1, List.of(exit(stranger, "G1", 1, "62100000000001", 1, 300))))
        .reason()).contains("not an operator");
    assertThatThrownBy(() -> transitSwitch.settle(DAY, DAY)).isInstanceOf(IllegalStateException.class);
    transitSwitch.settle(DAY, DAY.plusDays(1));
    IntakeReceipt late = transitSwitch.receive(fixture.offlineFile(METRO_A, 1,
        List.of(exit(METRO_A, "G1", 1, "62100000000001", 1, 300))));
    assertThat(late.status()).isEqualTo(IntakeStatus.ACCEPTED);
    assertThat(transitSwitch.recordsAccepted(DAY.plusDays(1))).as("a late presentment, in the open window").isEqualTo(1);
    assertThatThrownBy(() -> transitSwitch.settle(DAY, DAY.plusDays(2))).isInstanceOf(IllegalStateException.class);
    assertThat(net(transitSwitch.settle(DAY.plusDays(1), DAY.plusDays(2)), METRO_A)).isEqualTo(300);
    assertThat(transitSwitch.receive(fixture.offlineFile(METRO_A, 2, List.of(exit(METRO_A, "G1", 2,
        "62100000000001", 2, 300)), DAY.minusDays(40))).reason()).contains("too late to present");
  }

  @Test
  void denyLists_latestVersionWins_andAreDistributedToOperators() throws Exception {
    Pan denied = Pan.withCheckDigit("62100000000009");
    Path v2 = denyListFile(new DenyList(ISSUER_A, 2, new TreeSet<>(List.of(denied))));
    Path v1 = denyListFile(new DenyList(ISSUER_A, 1, new TreeSet<>()));
    assertThat(transitSwitch.publishDenyList(v2)).isTrue();
    assertThat(transitSwitch.publishDenyList(v1)).isFalse();
    List<Path> files = transitSwitch.denyListFilesFor(METRO_B, DAY);
    assertThat(files).hasSize(1);
    try (InputStream in = Files.newInputStream(files.get(0))) {
      DenyListFile.Read read = DenyListFile.read(in, FileLimits.defaults());
      assertThat(read.header().receiver()).isEqualTo(METRO_B);
      assertThat(read.denyList().version()).isEqualTo(2);
      assertThat(read.denyList().denies(denied)).isTrue();
    }
  }

  private Path denyListFile(DenyList list) throws Exception {
    Path path = directory.resolve("deny-" + list.version() + ".txt");
    try (OutputStream out = Files.newOutputStream(path)) {
      DenyListFile.write(out, SwitchFixture.SWITCH, DAY, list);
    }
    return path;
  }

  @Test
  void settlementPositions_matchTheFaresOfAcceptedRecords() {
    List<TransitRecord> records = List.of(exit(METRO_A, "G1", 1, "62100000000001", 1, 150),
        exit(METRO_A, "G1", 2, "62200000000001", 3, 250), exit(METRO_A, "G2", 1, "62290000000001", 5, 350));
    transitSwitch.receive(fixture.offlineFile(METRO_A, 1, records));
    Map<PartyId, Long> nets = transitSwitch.settle(DAY, DAY.plusDays(1)).report().positions().stream()
        .collect(Collectors.toMap(NetPosition::party, p -> p.net().amountMinor()));
    long fares = records.stream().map(TransitRecord::fare).mapToLong(Money::amountMinor).sum();
    assertThat(nets.get(METRO_A)).isEqualTo(fares);
    assertThat(nets.get(ISSUER_A) + nets.get(ISSUER_B)).isEqualTo(-fares);
    assertThat(nets.get(METRO_B)).isZero();
    assertThat(new RecordId("G1", 1)).isEqualTo(records.get(0).id());
  }

  @Test
  void restart_remembersAcceptedFilesAndSeenRecords_andSettlesTheSame() {
    TransitRecord r1 = exit(METRO_A, "G1", 1, "62100000000001", 1, 300);
    TransitRecord r2 = exit(METRO_B, "G1", 1, "62200000000002", 1, 400);
    Path first = fixture.offlineFile(METRO_A, 1, List.of(r1));
    transitSwitch.receive(first);
    transitSwitch.receive(fixture.offlineFile(METRO_B, 1, List.of(r2)));

    TransitSwitch restarted = fixture.restart();

    assertThat(restarted.receive(first).status()).isEqualTo(IntakeStatus.ALREADY_ACCEPTED);
    IntakeReceipt overlap = restarted.receive(fixture.offlineFile(METRO_A, 2, List.of(r1)));
    assertThat(overlap.recordsRefused()).isEqualTo(1);
    assertThat(restarted.recordsAccepted(DAY)).isEqualTo(2);
    SettlementRun run = restarted.settle(DAY, DAY.plusDays(1));
    assertThat(net(run, METRO_A)).isEqualTo(300);
    assertThat(net(run, METRO_B)).isEqualTo(400);

    TransitSwitch again = fixture.restart();
    IntakeReceipt lateCopy = again.receive(fixture.offlineFile(METRO_A, 3, List.of(r1)));
    assertThat(lateCopy.recordsRefused()).as("a settled record presented late again is a duplicate").isEqualTo(1);
    assertThat(lateCopy.recordsAccepted()).isZero();
    assertThatThrownBy(() -> again.settle(DAY, DAY.plusDays(1))).isInstanceOf(IllegalStateException.class);
    assertThat(fixture.booksBalanced()).isTrue();
  }
}
