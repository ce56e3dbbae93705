package io.iotpay.switching.transit;

import static io.iotpay.switching.transit.SwitchFixture.DAY;
import static io.iotpay.switching.transit.SwitchFixture.ISSUER_A;
import static io.iotpay.switching.transit.SwitchFixture.ISSUER_B;
import static io.iotpay.switching.transit.SwitchFixture.METRO_A;
import static io.iotpay.switching.transit.SwitchFixture.METRO_B;
import static io.iotpay.switching.transit.SwitchFixture.SWITCH;
import static io.iotpay.switching.transit.SwitchFixture.exit;
import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.file.ExceptionFile;
import io.iotpay.protocol.file.FileKind;
import io.iotpay.protocol.file.FileLimits;
import io.iotpay.protocol.file.IntakeReceipt;
import io.iotpay.protocol.file.IntakeStatus;
import io.iotpay.protocol.pki.AcceptedFiles;
import io.iotpay.protocol.pki.FileSigner;
import io.iotpay.protocol.pki.FileTrust;
import io.iotpay.protocol.pki.PartyRole;
import io.iotpay.protocol.pki.SchemeEnrolment;
import io.iotpay.protocol.pki.SignedFileException.Reason;
import io.iotpay.protocol.settlement.NetPosition;
import io.iotpay.protocol.transit.ExceptionReason;
import io.iotpay.protocol.transit.ExceptionStage;
import io.iotpay.protocol.transit.TransitException;
import io.iotpay.protocol.transit.TransitRecord;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Chargebacks and re-presentments at the switch (docs/clearing-files.md §11), both suites, signed
 * files: a damaged, replayed or wrongly signed exception file is refused with its reason and changes
 * nothing; each line is checked against the switch's own settled record; accepted steps are netted
 * in the next window, once; a record is re-presented once.
 */
class DisputesAtTheSwitchTest {
  static final TransitRecord FARE_A = exit(METRO_A, "G1", 1, "62100000000001", 1, 300);
  static final TransitRecord FARE_B = exit(METRO_A, "G1", 2, "62200000000002", 1, 500);

  @TempDir Path dir;
  private SchemeEnrolment scheme;
  private SwitchFixture fixture;
  private FileTrust metroA;
  private FileTrust metroB;
  private FileTrust issuerA;
  private FileTrust issuerB;
  private int files;

  private void open(AlgorithmSuite suite) {
    Instant from = DAY.minusDays(10).atStartOfDay().toInstant(ZoneOffset.UTC);
    scheme = SchemeEnrolment.create(dir.resolve("pki"), suite, from, from.plusSeconds(86_400L * 400));
    metroA = scheme.enrol(METRO_A, PartyRole.OPERATOR);
    metroB = scheme.enrol(METRO_B, PartyRole.OPERATOR);
    issuerA = scheme.enrol(ISSUER_A, PartyRole.ISSUER);
    issuerB = scheme.enrol(ISSUER_B, PartyRole.ISSUER);
    fixture = new SwitchFixture(dir, scheme.enrol(SWITCH, PartyRole.SWITCH));
    Path upload = fixture.offlineFile(METRO_A, 1, List.of(FARE_A, FARE_B));
    metroA.signer().sign(upload, FileKind.OFFLINE);
    assertThat(fixture.transitSwitch.receive(upload).recordsAccepted()).isEqualTo(2);
    fixture.transitSwitch.settle(DAY, DAY.plusDays(1));
  }

  @AfterEach
  void close() {
    if (fixture != null) {
      fixture.close();
    }
    if (scheme != null) {
      scheme.close();
    }
  }

  private static TransitException chargeback(TransitRecord record, long fareMinor) {
    return new TransitException(ExceptionStage.CHARGEBACK, ExceptionReason.BAD_TAC, record.operator(),
        record.businessDate(), record.id(), record.cardKey(), fareMinor, TransitException.NO_EVIDENCE);
  }

  private static TransitException representment(TransitRecord record) {
    return chargeback(record, record.fare().amountMinor()).as(ExceptionStage.REPRESENTMENT, "journal-sha256:00ff");
  }

  /** An exception file from {@code sender} signed by {@code signer}. */
  private Path exceptionFile(PartyId sender, FileSigner signer, long sequence, List<TransitException> lines)
      throws Exception {
    Path path = dir.resolve("exceptions-" + (++files) + ".txt");
    try (OutputStream out = Files.newOutputStream(path)) {
      ExceptionFile.write(out, sender, SWITCH, DAY.plusDays(1), sequence, CurrencyUnit.CNY, lines);
    }
    signer.sign(path, FileKind.EXCEPTION);
    return path;
  }

  private static void damage(Path file, UnaryOperator<byte[]> how) throws Exception {
    Files.write(file, how.apply(Files.readAllBytes(file)));
  }

  private void assertRefusedChangingNothing(Path file, Reason reason) {
    String before = fixture.transitSwitch.disputes().toString();
    IntakeReceipt receipt = fixture.transitSwitch.receiveExceptions(file);
    assertThat(receipt.status()).isEqualTo(IntakeStatus.REJECTED);
    assertThat(receipt.reason()).startsWith(reason.name() + ":");
    assertThat(fixture.transitSwitch.disputes().toString()).isEqualTo(before);
  }

  private static long net(SettlementRun run, PartyId party) {
    return run.report().positions().stream().filter(p -> p.party().equals(party)).findFirst()
        .map(NetPosition::net).orElseThrow().amountMinor();
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void exceptionFile_forgedTruncatedResignedOrUnsigned_isRefusedWithItsReason_andNothingChanges(AlgorithmSuite suite)
      throws Exception {
    open(suite);
    List<TransitException> lines = List.of(chargeback(FARE_A, 300));
    Path flipped = exceptionFile(ISSUER_A, issuerA.signer(), 1, lines);
    damage(flipped, b -> {
      b[b.length / 2] ^= 4;
      return b;
    });
    assertRefusedChangingNothing(flipped, Reason.FORGED);
    Path truncated = exceptionFile(ISSUER_A, issuerA.signer(), 1, lines);
    damage(truncated, b -> Arrays.copyOf(b, b.length - 12));
    assertRefusedChangingNothing(truncated, Reason.TRUNCATED);
    // ISSUER-B holds a valid certificate, but the file says it comes from ISSUER-A
    assertRefusedChangingNothing(exceptionFile(ISSUER_A, issuerB.signer(), 1, lines), Reason.WRONG_SENDER);
    assertRefusedChangingNothing(exceptionFile(ISSUER_A, metroA.signer(), 1, lines), Reason.WRONG_SENDER);
    Path unsigned = exceptionFile(ISSUER_A, issuerA.signer(), 1, lines);
    Files.delete(FileSigner.signaturePath(unsigned));
    assertRefusedChangingNothing(unsigned, Reason.UNSIGNED);
    assertThat(fixture.transitSwitch.disputes()).isEmpty();

    Path accepted = exceptionFile(ISSUER_A, issuerA.signer(), 1, lines);
    assertThat(fixture.transitSwitch.receiveExceptions(accepted).recordsAccepted()).isEqualTo(1);
    String after = fixture.transitSwitch.disputes().toString();
    IntakeReceipt replay = fixture.transitSwitch.receiveExceptions(accepted);
    assertThat(replay.status()).isEqualTo(IntakeStatus.ALREADY_ACCEPTED);
    assertThat(replay.reason()).startsWith("REPLAYED:");
    fixture.restart();
    assertThat(fixture.transitSwitch.receiveExceptions(accepted).status()).isEqualTo(IntakeStatus.ALREADY_ACCEPTED);
    assertThat(fixture.transitSwitch.disputes().toString()).isEqualTo(after);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void chargebackLines_areCheckedAgainstTheSwitchsOwnSettledRecord(AlgorithmSuite suite) throws Exception {
    open(suite);
    TransitRecord neverSeen = exit(METRO_A, "G9", 9, "62100000000009", 1, 300);
    IntakeReceipt receipt = fixture.transitSwitch.receiveExceptions(exceptionFile(ISSUER_A, issuerA.signer(), 1, List.of(
        chargeback(FARE_A, 999), // more than the record's fare
        chargeback(FARE_B, 500), // ISSUER-B's card
        chargeback(neverSeen, 300),
        chargeback(FARE_A, 300))));
    assertThat(receipt.recordsAccepted()).isEqualTo(1);
    assertThat(receipt.recordsRefused()).isEqualTo(3);
    assertThat(receipt.faresAcceptedMinor()).isEqualTo(300);
    assertThat(fixture.transitSwitch.exceptionRejections()).extracting(Rejection::reason).containsExactly(
        "the chargeback's card or fare is not the settled record's",
        "card " + FARE_B.pan().masked() + " is not routed to ISSUER-A", "no settled record G9#9 of METRO-A on " + DAY);
    IntakeReceipt again = fixture.transitSwitch.receiveExceptions(exceptionFile(ISSUER_A, issuerA.signer(), 2,
        List.of(chargeback(FARE_A, 300))));
    assertThat(again.recordsRefused()).isEqualTo(1);
    assertThat(again.reason()).isEqualTo("the record was already charged back");
    assertThat(fixture.transitSwitch.disputes()).hasSize(1);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void chargeback_isNettedInTheNextWindow_thenRepresentedOnce_andNettedBack(AlgorithmSuite suite) throws Exception {
    open(suite);
    fixture.transitSwitch.receiveExceptions(exceptionFile(ISSUER_A, issuerA.signer(), 1, List.of(chargeback(FARE_A, 300))));
    // a re-presentment before the chargeback was netted has nothing to answer
    assertThat(fixture.transitSwitch.receiveExceptions(exceptionFile(METRO_A, metroA.signer(), 1,
        List.of(representment(FARE_A)))).reason()).startsWith("no settled chargeback");

    SettlementRun window = fixture.transitSwitch.settle(DAY.plusDays(1), DAY.plusDays(2));
    assertThat(net(window, METRO_A)).isEqualTo(-300);
    assertThat(net(window, ISSUER_A)).isEqualTo(300);
    assertThat(window.exceptionNotices()).containsOnlyKeys(METRO_A);
    Path notice = window.exceptionNotices().get(METRO_A);
    assertThat(metroA.verifier().verify(notice, FileKind.EXCEPTION, AcceptedFiles.NONE).claims().sender())
        .isEqualTo(SWITCH);
    try (InputStream in = Files.newInputStream(notice)) {
      assertThat(ExceptionFile.read(in, FileLimits.defaults()).exceptions()).extracting(TransitException::recordId)
          .containsExactly(FARE_A.id());
    }
    assertThat(fixture.transitSwitch.disputes()).singleElement()
        .satisfies(d -> assertThat(d.window()).isEqualTo(DAY.plusDays(1)));
    assertThat(fixture.balanceMinor(fixture.transitSwitch.settlementAccountId())).isZero();

    // another operator may not answer for METRO-A; METRO-A answers once
    assertThat(fixture.transitSwitch.receiveExceptions(exceptionFile(METRO_B, metroB.signer(), 1,
        List.of(representment(FARE_A)))).reason()).startsWith("a re-presentment of METRO-A's record from METRO-B");
    assertThat(fixture.transitSwitch.receiveExceptions(exceptionFile(METRO_A, metroA.signer(), 2,
        List.of(representment(FARE_A)))).recordsAccepted()).isEqualTo(1);
    assertThat(fixture.transitSwitch.receiveExceptions(exceptionFile(METRO_A, metroA.signer(), 3,
        List.of(representment(FARE_A)))).reason()).isEqualTo("the record was already re-presented once");

    fixture.restart(); // the pending re-presentment survives a restart
    SettlementRun back = fixture.transitSwitch.settle(DAY.plusDays(2), DAY.plusDays(3));
    assertThat(net(back, METRO_A)).isEqualTo(300);
    assertThat(net(back, ISSUER_A)).isEqualTo(-300);
    assertThat(back.exceptionNotices()).containsOnlyKeys(ISSUER_A);
    SettlementRun quiet = fixture.transitSwitch.settle(DAY.plusDays(3), DAY.plusDays(4));
    assertThat(net(quiet, METRO_A)).as("each step is netted once").isZero();
    assertThat(fixture.booksBalanced()).isTrue();
    assertThat(fixture.balanceMinor(fixture.transitSwitch.settlementAccountId())).isZero();
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void representment_correctedToALowerFare_isNettedAtThatFare_butNeverMoreThanTheChargeback(AlgorithmSuite suite)
      throws Exception {
    open(suite);
    assertThat(fixture.transitSwitch.receiveExceptions(exceptionFile(ISSUER_B, issuerB.signer(), 1,
        List.of(chargeback(FARE_B, 500)))).recordsAccepted()).isEqualTo(1);
    fixture.transitSwitch.settle(DAY.plusDays(1), DAY.plusDays(2));
    TransitException full = representment(FARE_B);

    String before = fixture.transitSwitch.disputes().toString();
    assertThat(fixture.transitSwitch.receiveExceptions(exceptionFile(METRO_A, metroA.signer(), 1, List.of(
        new TransitException(ExceptionStage.REPRESENTMENT, full.reason(), full.operator(), full.businessDate(),
            full.recordId(), full.key(), 501, full.evidence())))).reason())
        .isEqualTo("a re-presentment of 501 claims more than the 500 charged back");
    assertThat(fixture.transitSwitch.receiveExceptions(exceptionFile(METRO_A, metroA.signer(), 2, List.of(
        new TransitException(ExceptionStage.REPRESENTMENT, full.reason(), full.operator(), full.businessDate(),
            full.recordId(), FARE_A.cardKey(), 300, full.evidence())))).reason())
        .isEqualTo("the re-presentment's card transaction is not the charged-back record's");
    assertThat(fixture.transitSwitch.disputes().toString()).as("refused lines change nothing").isEqualTo(before);

    // The operator corrected the record to the fare its gate journaled (350): that is what comes back.
    assertThat(fixture.transitSwitch.receiveExceptions(exceptionFile(METRO_A, metroA.signer(), 3, List.of(
        new TransitException(ExceptionStage.REPRESENTMENT, full.reason(), full.operator(), full.businessDate(),
            full.recordId(), full.key(), 350, full.evidence())))).recordsAccepted()).isEqualTo(1);
    SettlementRun back = fixture.transitSwitch.settle(DAY.plusDays(2), DAY.plusDays(3));
    assertThat(net(back, METRO_A)).isEqualTo(350);
    assertThat(net(back, ISSUER_B)).isEqualTo(-350);
    assertThat(fixture.transitSwitch.disputes()).extracting(d -> d.exception().fareMinor()).containsExactly(500L, 350L);
    assertThat(fixture.booksBalanced()).isTrue();
    assertThat(fixture.balanceMinor(fixture.transitSwitch.settlementAccountId())).isZero();
  }
}
