package io.iotpay.switching.online;

import static io.iotpay.protocol.online.PresentmentResult.Status.ACCEPTED;
import static io.iotpay.protocol.online.PresentmentResult.Status.ALREADY_CAPTURED;
import static io.iotpay.protocol.online.PresentmentResult.Status.EXCEEDS_AUTHORISED;
import static io.iotpay.protocol.online.PresentmentResult.Status.NO_AUTHORISATION;
import static io.iotpay.protocol.online.PresentmentResult.Status.UNKNOWN_CARD_RANGE;
import static io.iotpay.switching.online.OnlineFixture.ACQUIRER;
import static io.iotpay.switching.online.OnlineFixture.CARD_A;
import static io.iotpay.switching.online.OnlineFixture.CARD_A2;
import static io.iotpay.switching.online.OnlineFixture.CARD_B;
import static io.iotpay.switching.online.OnlineFixture.CARD_UNKNOWN;
import static io.iotpay.switching.online.OnlineFixture.ISSUER_A;
import static io.iotpay.switching.online.OnlineFixture.ISSUER_B;
import static io.iotpay.switching.online.OnlineFixture.RANGES;
import static io.iotpay.switching.online.OnlineFixture.WIRE;
import static io.iotpay.switching.online.OnlineFixture.authorisation;
import static io.iotpay.switching.online.OnlineFixture.cny;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.money.Money;
import io.iotpay.foundation.store.Database;
import io.iotpay.ledger.AccountBalance;
import io.iotpay.ledger.Ledger;
import io.iotpay.ledger.LedgerConfig;
import io.iotpay.ledger.audit.AuditJournal;
import io.iotpay.protocol.Pan;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.file.FileKind;
import io.iotpay.protocol.file.FileLimits;
import io.iotpay.protocol.file.PresentmentFile;
import io.iotpay.protocol.file.PresentmentFileException;
import io.iotpay.protocol.file.TransitFileWriter;
import io.iotpay.protocol.iso8583.CardResponse;
import io.iotpay.protocol.iso8583.CardTransaction;
import io.iotpay.protocol.iso8583.Iso8583Client;
import io.iotpay.protocol.iso8583.Iso8583Message;
import io.iotpay.protocol.iso8583.Mti;
import io.iotpay.protocol.iso8583.OriginalData;
import io.iotpay.protocol.iso8583.Outcome;
import io.iotpay.protocol.iso8583.ResponseCode;
import io.iotpay.protocol.online.Presentment;
import io.iotpay.protocol.online.PresentmentResult;
import io.iotpay.protocol.transit.RecordId;
import io.iotpay.protocol.transit.TransitKind;
import io.iotpay.protocol.transit.TransitRecord;
import io.iotpay.switching.SwitchConfig;
import io.iotpay.switching.transit.SettlementRun;
import io.iotpay.switching.transit.TransitSwitch;
import io.iotpay.protocol.file.IntakeStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The switch's clearing of online presentments against its own message log (a real online switch,
 * fake issuers over loopback TCP), the issuer files it writes, the files it refuses whole, and the
 * T+1 run that nets transit fares and online captures and refunds into one report. Both suites.
 */
class OnlineClearingTest {
  private static final PartyId SWITCH = PartyId.of("SWITCH");
  private static final PartyId OPERATOR = PartyId.of("METRO-A");
  private static final LocalDate DAY = LocalDate.of(2026, 12, 7);
  private static final StandInLimits LIMITS = new StandInLimits(cny(5_000), cny(8_000), cny(100_000));

  @TempDir Path directory;

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void presentmentsAreMatchedToTheLog_routedPerIssuer_andSettledWithTransitFares(AlgorithmSuite suite) throws Exception {
    StoreKeys keys = OnlineFixture.storeKeys(suite);
    try (OnlineFixture.FakeIssuer a = new OnlineFixture.FakeIssuer(suite, 2, 0, "A");
        OnlineFixture.FakeIssuer b = new OnlineFixture.FakeIssuer(suite, 3, 0, "B");
        Database database = OnlineFixture.database(directory);
        Ledger ledger = Ledger.open(database, LedgerConfig.defaults(), Clock.systemUTC(), AuditJournal.none());
        OnlineSwitch online = new OnlineSwitch(OnlineSwitchConfig.defaults(List.of(OnlineFixture.acquirer(suite)),
            List.of(OnlineFixture.issuer(suite, ISSUER_A, 2, a.port(), 2_000, LIMITS),
                OnlineFixture.issuer(suite, ISSUER_B, 3, b.port(), 2_000, LIMITS)), RANGES, keys), database, WIRE).start();
        Iso8583Client acquirer = OnlineFixture.acquirerClient(suite, online.port(ACQUIRER))) {
      OnlineClearing clearing = clearing(database, keys);
      CardResponse toA = answer(acquirer, authorisation(CARD_A, 1, cny(1_000)));
      CardResponse toB = answer(acquirer, authorisation(CARD_B, 2, cny(2_000)));
      CardResponse toA2 = answer(acquirer, authorisation(CARD_A2, 3, cny(1_500)));
      assertThat(online.flushLog(20_000)).isTrue();

      CardTransaction t1 = OnlineFixture.transaction(CARD_A, 1, cny(1_000));
      CardTransaction t2 = OnlineFixture.transaction(CARD_B, 2, cny(2_000));
      CardTransaction t3 = OnlineFixture.transaction(CARD_A2, 3, cny(1_500));
      List<Presentment> day = List.of(
          presentment("C1", Presentment.Kind.CAPTURE, t1, CARD_A, 1_000, toA.approvalCode()),
          presentment("C2", Presentment.Kind.CAPTURE, t2, CARD_B, 2_000, toB.approvalCode()),
          presentment("C3", Presentment.Kind.CAPTURE, t3, CARD_A2, 1_500, toA2.approvalCode()),
          presentment("C1-AGAIN", Presentment.Kind.CAPTURE, t1, CARD_A, 1_000, toA.approvalCode()),
          presentment("C-RANGE", Presentment.Kind.CAPTURE, t1, CARD_UNKNOWN, 1_000, toA.approvalCode()),
          presentment("C-CODE", Presentment.Kind.CAPTURE, t3, CARD_A2, 1_500, "999999"),
          presentment("C-CARD", Presentment.Kind.CAPTURE, t1, CARD_A2, 1_000, toA.approvalCode()),
          presentment("B-REFUND", Presentment.Kind.REFUND, t2, CARD_B, 500, "000000"),
          presentment("R2-OVER", Presentment.Kind.REFUND, t2, CARD_B, 1_501, "000000"));
      OnlineClearing.Intake intake = clearing.accept(file("day-1.txt", ACQUIRER, SWITCH, 1, CurrencyUnit.CNY, day));
      assertThat(intake.results()).extracting(PresentmentResult::presentmentId, PresentmentResult::status).containsExactly(
          tuple("C1", ACCEPTED), tuple("C2", ACCEPTED), tuple("C3", ACCEPTED), tuple("C1-AGAIN", ALREADY_CAPTURED),
          tuple("C-RANGE", UNKNOWN_CARD_RANGE), tuple("C-CODE", NO_AUTHORISATION), tuple("C-CARD", NO_AUTHORISATION),
          tuple("B-REFUND", ACCEPTED), tuple("R2-OVER", EXCEEDS_AUTHORISED));
      assertThat(intake.accepted()).isEqualTo(4);
      // Rejections are recorded with their reason, the full PAN nowhere in the table.
      assertThat(online.query("SELECT presentment_id, status FROM online_presentment WHERE status <> 'ACCEPTED'"
          + " ORDER BY presentment_id")).containsExactly(List.of("C-CARD", "NO_AUTHORISATION"),
          List.of("C-CODE", "NO_AUTHORISATION"), List.of("C-RANGE", "UNKNOWN_CARD_RANGE"),
          List.of("C1-AGAIN", "ALREADY_CAPTURED"), List.of("R2-OVER", "EXCEEDS_AUTHORISED"));
      OnlineFixture.assertNoFullPan(directory, CARD_A, CARD_A2, CARD_B, CARD_UNKNOWN); // sealed, masked, hashed

      // One file per issuer, each with its own accepted presentments (captures before refunds), PANs restored.
      Map<PartyId, Path> issuerFiles = clearing.writeIssuerFiles(DAY);
      assertThat(issuerFiles).containsOnlyKeys(ISSUER_A, ISSUER_B);
      if (directory.getFileSystem().supportedFileAttributeViews().contains("posix")) {
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
            Files.getPosixFilePermissions(issuerFiles.get(ISSUER_A)))).isEqualTo("rw-------"); // it carries PANs
      }
      PresentmentFile.Read forA = read(issuerFiles.get(ISSUER_A));
      assertThat(forA.header().sender()).isEqualTo(SWITCH);
      assertThat(forA.header().receiver()).isEqualTo(ISSUER_A);
      assertThat(forA.presentments()).extracting(Presentment::presentmentId, Presentment::pan)
          .containsExactly(tuple("C1", CARD_A), tuple("C3", CARD_A2));
      assertThat(forA.presentments()).containsExactly(day.get(0), day.get(2));
      // the refund's id sorts before its capture's; the capture still comes first
      assertThat(read(issuerFiles.get(ISSUER_B)).presentments()).containsExactly(day.get(1), day.get(7));

      // T+1 with transit: METRO-A's 3.00 fare on an ISSA card joins the online amounts in one report.
      SwitchConfig transitConfig = SwitchConfig.of(SWITCH, 30, 30_000, 3_000_000_000L, RANGES, List.of(OPERATOR));
      try (TransitSwitch transit = new TransitSwitch(transitConfig, ledger, database, directory.resolve("transit"),
          List.of(clearing))) {
        assertThat(transit.receive(transitFile(List.of(fare(CARD_A, 300)))).status()).isEqualTo(IntakeStatus.ACCEPTED);
        SettlementRun run = transit.settle(DAY, DAY.plusDays(1));
        // ISSA: owes METRO-A 300 and ACQ1 1,000 + 1,500; ISSB: owes ACQ1 2,000, is owed 500 back for the refund.
        assertThat(run.report().positions()).extracting(p -> p.party().value(), p -> p.net().amountMinor())
            .containsExactly(tuple("ACQ1", 4_000L), tuple("ISSA", -2_800L), tuple("ISSB", -1_500L),
                tuple("METRO-A", 300L));
        assertThat(run.report().recordsSettled()).isEqualTo(1 + 4);
        assertThat(balance(ledger, transit.settlementAccountId())).isZero();
        for (PartyId party : List.of(ISSUER_A, ISSUER_B)) {
          assertThat(balance(ledger, transit.dueFromIssuerAccountId(party))).isZero();
        }
        assertThat(balance(ledger, transit.dueToOperatorAccountId(ACQUIRER))).isZero();
        assertThat(balance(ledger, transit.dueToOperatorAccountId(OPERATOR))).isZero();
        assertThat(booksBalanced(ledger)).isTrue();
        // Settled: closed to presentments of that day; settling again is refused.
        OnlineClearing.Intake late = clearing.accept(file("day-2.txt", ACQUIRER, SWITCH, 2, CurrencyUnit.CNY,
            List.of(presentment("R3", Presentment.Kind.REFUND, t3, CARD_A2, 1, "000000"))));
        assertThat(late.refusal()).isEqualTo(OnlineClearing.Refusal.DAY_SETTLED);
        assertThat(online.query("SELECT settled FROM online_clearing_day")).containsExactly(List.of("1"));
      }
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void filesRefusedWhole_changeNothing(AlgorithmSuite suite) throws Exception {
    StoreKeys keys = OnlineFixture.storeKeys(suite);
    try (Database database = OnlineFixture.database(directory)) {
      OnlineClearing clearing = clearing(database, keys);
      Presentment p = presentment("C1", Presentment.Kind.CAPTURE, OnlineFixture.transaction(CARD_A, 1, cny(1_000)),
          CARD_A, 1_000, "A00001");
      Path good = file("good.txt", ACQUIRER, SWITCH, 1, CurrencyUnit.CNY, List.of(p));
      byte[] bytes = Files.readAllBytes(good);
      Path truncated = Files.write(directory.resolve("cut.txt"), Arrays.copyOf(bytes, bytes.length - 10));
      OnlineClearing.Intake cut = clearing.accept(truncated);
      assertThat(cut.refusal()).isEqualTo(OnlineClearing.Refusal.FORMAT);
      assertThat(cut.formatReason()).isEqualTo(PresentmentFileException.Reason.TRUNCATED);
      assertThat(clearing.accept(file("other.txt", ACQUIRER, PartyId.of("SWITCH-2"), 1, CurrencyUnit.CNY, List.of(p)))
          .refusal()).isEqualTo(OnlineClearing.Refusal.NOT_FOR_SWITCH);
      assertThat(clearing.accept(file("stranger.txt", PartyId.of("ACQ9"), SWITCH, 1, CurrencyUnit.CNY, List.of()))
          .refusal()).isEqualTo(OnlineClearing.Refusal.UNKNOWN_ACQUIRER);
      Presentment inUsd = new Presentment("U1", p.kind(), ACQUIRER, p.original(), p.rrn(), p.terminalId(),
          p.merchantId(), p.pan(), 1_000, CurrencyUnit.USD, "A00001", DAY);
      assertThat(clearing.accept(file("usd.txt", ACQUIRER, SWITCH, 1, CurrencyUnit.USD, List.of(inUsd))).refusal())
          .isEqualTo(OnlineClearing.Refusal.WRONG_CURRENCY);
      Presentment foreign = new Presentment("F1", p.kind(), PartyId.of("ACQ2"), p.original(), p.rrn(), p.terminalId(),
          p.merchantId(), p.pan(), 1_000, CurrencyUnit.CNY, "A00001", DAY);
      assertThat(clearing.accept(file("foreign.txt", ACQUIRER, SWITCH, 1, CurrencyUnit.CNY, List.of(foreign)))
          .refusal()).isEqualTo(OnlineClearing.Refusal.FOREIGN_PRESENTMENT);
      assertThat(clearing.accept(file("seq-2.txt", ACQUIRER, SWITCH, 2, CurrencyUnit.CNY, List.of(p))).refusal())
          .isEqualTo(OnlineClearing.Refusal.OUT_OF_SEQUENCE);
      assertThat(clearing.presentments(DAY)).isEmpty();
      // The good file is then taken (its authorisation is not in the log: rejected, but recorded), once.
      OnlineClearing.Intake taken = clearing.accept(good);
      assertThat(taken.taken()).isTrue();
      assertThat(taken.results()).extracting(PresentmentResult::status).containsExactly(NO_AUTHORISATION);
      byte[] results = Files.readAllBytes(taken.resultFile());
      Files.delete(taken.resultFile()); // as if the switch crashed after its commit, before the answer was written
      OnlineClearing.Intake replay = clearing.accept(good);
      assertThat(replay.refusal()).isEqualTo(OnlineClearing.Refusal.REPLAYED);
      assertThat(replay.results()).isEqualTo(taken.results());
      assertThat(Files.readAllBytes(replay.resultFile())).isEqualTo(results);
      assertThat(clearing.presentments(DAY)).hasSize(1);
    }
  }

  private OnlineClearing clearing(Database database, StoreKeys keys) {
    return new OnlineClearing(new OnlineClearing.Config(SWITCH, CurrencyUnit.CNY, RANGES, List.of(ACQUIRER),
        FileLimits.defaults()), database, keys, directory.resolve("clearing"));
  }

  private static Presentment presentment(String id, Presentment.Kind kind, CardTransaction t, Pan pan, long amountMinor,
      String approvalCode) {
    return new Presentment(id, kind, ACQUIRER, OriginalData.of(Mti.AUTHORISATION_REQUEST, t), t.rrn(), t.terminalId(),
        t.merchantId(), pan, amountMinor, CurrencyUnit.CNY, approvalCode, DAY);
  }

  private Path file(String name, PartyId sender, PartyId receiver, long sequence, CurrencyUnit currency,
      List<Presentment> presentments) throws IOException {
    Path path = directory.resolve(name);
    try (OutputStream out = Files.newOutputStream(path)) {
      PresentmentFile.write(out, sender, receiver, DAY, sequence, currency, presentments);
    }
    return path;
  }

  private static PresentmentFile.Read read(Path path) throws IOException {
    try (InputStream in = Files.newInputStream(path)) {
      return PresentmentFile.read(in, FileLimits.defaults());
    }
  }

  private static TransitRecord fare(Pan pan, long fareMinor) {
    return new TransitRecord(new RecordId("G1", 1), OPERATOR, "ST01", TransitKind.EXIT, pan, 0,
        AlgorithmSuite.NATIONAL, 1, Money.ofMinor(fareMinor, CurrencyUnit.CNY), 1000,
        Instant.parse("2026-12-07T08:00:00Z"), DAY, new byte[] {1, 2, 3}, new byte[8], false);
  }

  private Path transitFile(List<TransitRecord> records) throws IOException {
    Path path = directory.resolve("offline-1.txt");
    try (OutputStream out = Files.newOutputStream(path)) {
      TransitFileWriter.writeAll(out, TransitFileWriter.headerFor(FileKind.OFFLINE, OPERATOR, SWITCH, DAY, 1,
          CurrencyUnit.CNY, records), records);
    }
    return path;
  }

  private static CardResponse answer(Iso8583Client acquirer, Iso8583Message request) {
    Outcome outcome = acquirer.send(request);
    assertThat(outcome).isInstanceOf(Outcome.Answered.class);
    CardResponse response = (CardResponse) ((Outcome.Answered) outcome).response();
    assertThat(response.responseCode()).isEqualTo(ResponseCode.APPROVED);
    return response;
  }

  private static long balance(Ledger ledger, long accountId) {
    return ledger.balance(accountId).map(AccountBalance::debitBalanceMinor).orElse(0L);
  }

  private static boolean booksBalanced(Ledger ledger) {
    long debits = 0;
    long credits = 0;
    for (AccountBalance b : ledger.balances().values()) {
      debits += b.debitsPostedMinor();
      credits += b.creditsPostedMinor();
    }
    return debits == credits;
  }
}
