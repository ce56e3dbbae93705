package io.iotpay.issuer;

import io.iotpay.issuer.card.CardRecord;
import io.iotpay.issuer.transit.ClearingReport;
import io.iotpay.issuer.transit.RefusalReason;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.ledger.AccountBalance;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.ProtocolException;
import io.iotpay.protocol.file.FileLimits;
import io.iotpay.protocol.file.TransitFileWriter;
import io.iotpay.protocol.transit.ClearingFile;
import io.iotpay.protocol.transit.TransitRecord;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link Issuer#clearFile}: a streamed clearing file of genuine journeys (real applet) clears like
 * {@link Issuer#clear}; a resend is all duplicates and debits nothing; a damaged file books nothing.
 */
class ClearFileTest {
  private static final PartyId SWITCH = PartyId.of("SWITCH");
  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void clearFile_clearsEveryGenuineRecordOnce_resendIsDuplicates(AlgorithmSuite suite) throws Exception {
    try (IssuerWorld world = new IssuerWorld(dir)) {
      List<TransitRecord> records = journeys(world, suite);
      long fares = records.stream().mapToLong(r -> r.fare().amountMinor()).sum();
      Path file = write(records, "clearing.txt");

      ClearingReport first = world.issuer.clearFile(file, FileLimits.defaults());
      assertThat(first.refusals()).isEmpty();
      assertThat(first.accepted()).isEqualTo(records.size());
      assertThat(first.debitedMinor()).isEqualTo(fares);
      assertThat(dueToSwitch(world)).isEqualTo(fares);

      ClearingReport again = world.issuer.clearFile(file, FileLimits.defaults());
      assertThat(again.accepted()).isZero();
      assertThat(again.refusals()).hasSize(records.size())
          .allMatch(r -> r.reason() == RefusalReason.DUPLICATE);
      assertThat(dueToSwitch(world)).isEqualTo(fares);
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void clearFile_damagedFile_booksNothing(AlgorithmSuite suite) throws Exception {
    try (IssuerWorld world = new IssuerWorld(dir)) {
      Path file = write(journeys(world, suite), "clearing.txt");
      byte[] bytes = Files.readAllBytes(file);
      int secondLine = new String(bytes, java.nio.charset.StandardCharsets.US_ASCII).indexOf('\n') + 1;
      bytes[secondLine + 2] = (byte) (bytes[secondLine + 2] == 'Z' ? 'Y' : 'Z'); // the terminal id's first letter
      Files.write(file, bytes);
      assertThatThrownBy(() -> world.issuer.clearFile(file, FileLimits.defaults()))
          .isInstanceOf(ProtocolException.class);
      assertThat(dueToSwitch(world)).isZero();
    }
  }

  /**
   * Many chunks (5 records each, so the next chunk's TACs are verified while the current one is
   * recorded): a forged copy in the first chunk does not shadow the genuine record, a re-presented
   * record in the last chunk is a duplicate, every fare is carried by a recorded transfer.
   */
  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void clearFile_inManyChunks_clearsLikeOneChunk(AlgorithmSuite suite) throws Exception {
    try (IssuerWorld world = new IssuerWorld(dir)) {
      List<TransitRecord> genuine = journeys(world, suite);
      long fares = genuine.stream().mapToLong(r -> r.fare().amountMinor()).sum();
      TransitRecord exit = genuine.get(1);
      byte[] badTac = exit.tac();
      badTac[0] ^= 1;
      List<TransitRecord> records = new ArrayList<>();
      records.add(copy(exit, exit.cryptogramInput(), badTac, 1));
      records.addAll(genuine);
      records.add(copy(genuine.get(3), genuine.get(3).cryptogramInput(), genuine.get(3).tac(), 2));
      Path file = write(records, "chunks.txt");

      ClearingReport report = world.issuer.clearing.clearFile(file, FileLimits.defaults(), 5);
      assertThat(report.accepted()).isEqualTo(genuine.size());
      assertThat(report.refusals()).extracting(ClearingReport.Refusal::reason)
          .containsExactly(RefusalReason.BAD_TAC, RefusalReason.DUPLICATE);
      assertThat(report.debitedMinor()).isEqualTo(fares);
      assertThat(dueToSwitch(world)).isEqualTo(fares);
      try (var connection = world.database.connection(); var statement = connection.createStatement();
          var rows = statement.executeQuery("SELECT COUNT(*), COUNT(DISTINCT c.transfer_id), SUM(c.fare_minor)"
              + " FROM issuer_cleared c JOIN issuer_fare_posting p ON p.transfer_id = c.transfer_id"
              + " WHERE c.outcome = 'DEBITED' AND p.state = 'POSTED'")) {
        rows.next();
        assertThat(rows.getInt(1)).as("exits carried by a posted transfer").isEqualTo(genuine.size() / 2);
        assertThat(rows.getInt(2)).as("one posting per rider account and chunk").isGreaterThan(2);
        assertThat(rows.getLong(3)).isEqualTo(fares);
      }
    }
  }

  /**
   * The TAC binds the acceptor (docs/card-apdus.md §6): an operator presenting another operator's
   * records as its own (the operator field rewritten; the switch has checked it against the signed
   * sender of the upload), or under another terminal, is refused ACCEPTOR_MISMATCH although the TAC
   * verifies; nothing is debited and the genuine records still clear.
   */
  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void operatorPresentingAnotherOperatorsRecords_isRefused_andTheGenuineStillClear(AlgorithmSuite suite)
      throws Exception {
    try (IssuerWorld world = new IssuerWorld(dir)) {
      List<TransitRecord> genuine = journeys(world, suite);
      TransitRecord exit = genuine.get(1);
      TransitRecord otherOperator = new TransitRecord(exit.id(), PartyId.of("METRO-B"), exit.stationId(), exit.kind(),
          exit.pan(), exit.panSequence(), exit.suite(), exit.atc(), exit.fare(), exit.quotaAfterMinor(), exit.time(),
          exit.businessDate(), exit.cryptogramInput(), exit.tac(), false);
      TransitRecord otherTerminal = copy(genuine.get(3), genuine.get(3).cryptogramInput(), genuine.get(3).tac(), 9);

      ClearingReport stolen = world.issuer.clearFile(write(List.of(otherOperator, otherTerminal), "stolen.txt"),
          FileLimits.defaults());
      assertThat(stolen.accepted()).isZero();
      assertThat(stolen.refusals()).extracting(ClearingReport.Refusal::reason)
          .containsExactly(RefusalReason.ACCEPTOR_MISMATCH, RefusalReason.ACCEPTOR_MISMATCH);
      assertThat(stolen.refusals().get(0).detail()).contains("METRO-B").contains("TAC covers operator");
      assertThat(stolen.refusals().get(1).detail()).contains("GATE-X").contains("TAC covers terminal GATE-1");
      assertThat(dueToSwitch(world)).isZero();

      long fares = genuine.stream().mapToLong(r -> r.fare().amountMinor()).sum();
      assertThat(world.issuer.clearFile(write(genuine, "genuine.txt"), FileLimits.defaults()).accepted())
          .isEqualTo(genuine.size());
      assertThat(dueToSwitch(world)).isEqualTo(fares);
    }
  }

  private static TransitRecord copy(TransitRecord r, byte[] input, byte[] tac, long sequence) {
    return new TransitRecord(new io.iotpay.protocol.transit.RecordId("GATE-X", sequence), r.operator(), r.stationId(),
        r.kind(), r.pan(), r.panSequence(), r.suite(), r.atc(), r.fare(), r.quotaAfterMinor(), r.time(),
        r.businessDate(), input, tac, r.recovered());
  }

  /**
   * Only records at or below a card's last cleared ATC are probed for duplicates: a late record
   * (its ATC below ones already cleared) is still cleared once, and a stale card row written back
   * (as a push completing during clearing does) does not lower the last cleared ATC, so a resend is
   * still all duplicates.
   */
  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void lateRecord_clearsOnce_andAStaleCardWriteHidesNoDuplicate(AlgorithmSuite suite) throws Exception {
    try (IssuerWorld world = new IssuerWorld(dir)) {
      List<TransitRecord> records = journeys(world, suite);
      long fares = records.stream().mapToLong(r -> r.fare().amountMinor()).sum();
      TransitRecord late = records.get(1); // the first journey's exit
      List<TransitRecord> onTime = new ArrayList<>(records);
      onTime.remove(1);
      CardRecord before = world.issuer.registry().find(late.pan()).orElseThrow();

      assertThat(world.issuer.clearFile(write(onTime, "on-time.txt"), FileLimits.defaults()).accepted())
          .isEqualTo(onTime.size());
      int lastAtc = world.issuer.registry().find(late.pan()).orElseThrow().lastAtc();
      assertThat(lastAtc).isGreaterThan(late.atc());
      world.issuer.registry().save(before); // the card as read before clearing, written back
      assertThat(world.issuer.registry().find(late.pan()).orElseThrow().lastAtc()).isEqualTo(lastAtc);

      ClearingReport lateReport = world.issuer.clearFile(write(List.of(late), "late.txt"), FileLimits.defaults());
      assertThat(lateReport.refusals()).isEmpty();
      assertThat(lateReport.accepted()).isEqualTo(1);
      ClearingReport resend = world.issuer.clearFile(write(records, "resend.txt"), FileLimits.defaults());
      assertThat(resend.accepted()).isZero();
      assertThat(resend.refusals()).hasSize(records.size()).allMatch(r -> r.reason() == RefusalReason.DUPLICATE);
      assertThat(dueToSwitch(world)).isEqualTo(fares);
    }
  }

  private static List<TransitRecord> journeys(IssuerWorld world, AlgorithmSuite suite) {
    List<TransitRecord> records = new ArrayList<>();
    for (int rider = 1; rider <= 2; rider++) {
      IssuerWorld.Rider r = world.rider(rider, suite, 500_00);
      var decision = world.issuer.apply(new io.iotpay.protocol.enrolment.ServiceApplication("a" + rider,
          r.issued().pan(), 1, "METRO"));
      world.runPush(decision.script().orElseThrow(), r.card(), c -> c);
      TestGate gate = new TestGate(r.card(), r.issued(), world.aid());
      for (int j = 0; j < 3; j++) {
        records.addAll(Arrays.asList(gate.journey(8_00, 2_00 + j)));
      }
    }
    return records;
  }

  private Path write(List<TransitRecord> records, String name) throws Exception {
    Path file = dir.resolve(name);
    try (OutputStream out = Files.newOutputStream(file)) {
      TransitFileWriter.writeClearingFile(out, SWITCH, CurrencyUnit.CNY,
          new ClearingFile(IssuerWorld.ISSUER, TestGate.DAY, 1, records));
    }
    return file;
  }

  private static long dueToSwitch(IssuerWorld world) {
    return world.ledger.balance(world.issuer.dueToSwitchAccountId()).map(AccountBalance::creditBalanceMinor).orElse(0L);
  }
}
