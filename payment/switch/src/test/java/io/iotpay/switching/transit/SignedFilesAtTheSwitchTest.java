package io.iotpay.switching.transit;

import static io.iotpay.switching.transit.SwitchFixture.DAY;
import static io.iotpay.switching.transit.SwitchFixture.ISSUER_A;
import static io.iotpay.switching.transit.SwitchFixture.METRO_A;
import static io.iotpay.switching.transit.SwitchFixture.METRO_B;
import static io.iotpay.switching.transit.SwitchFixture.SWITCH;
import static io.iotpay.switching.transit.SwitchFixture.exit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.file.DenyListFile;
import io.iotpay.protocol.file.FileKind;
import io.iotpay.protocol.file.IntakeReceipt;
import io.iotpay.protocol.file.IntakeStatus;
import io.iotpay.protocol.pki.AcceptedFiles;
import io.iotpay.protocol.pki.FileSigner;
import io.iotpay.protocol.pki.FileTrust;
import io.iotpay.protocol.pki.PartyRole;
import io.iotpay.protocol.pki.SchemeEnrolment;
import io.iotpay.protocol.pki.SignedFileException;
import io.iotpay.protocol.pki.SignedFileException.Reason;
import io.iotpay.protocol.transit.DenyList;
import io.iotpay.protocol.transit.TransitRecord;
import io.iotpay.switching.SwitchStore;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The switch with signed files (docs/signed-files.md), both suites: operators' files verified before
 * they are parsed, refusals typed and changing nothing in the switch's store or spools; clearing files,
 * reports and relayed deny lists signed by the switch.
 */
class SignedFilesAtTheSwitchTest {
  @TempDir Path dir;
  private SchemeEnrolment scheme;
  private SwitchFixture fixture;
  private FileTrust metroA;
  private FileTrust metroB;
  private FileTrust issuerA;

  private void open(AlgorithmSuite suite) {
    Instant from = DAY.minusDays(10).atStartOfDay().toInstant(ZoneOffset.UTC);
    scheme = SchemeEnrolment.create(dir.resolve("pki"), suite, from, from.plusSeconds(86_400L * 400));
    metroA = scheme.enrol(METRO_A, PartyRole.OPERATOR);
    metroB = scheme.enrol(METRO_B, PartyRole.OPERATOR);
    issuerA = scheme.enrol(ISSUER_A, PartyRole.ISSUER);
    fixture = new SwitchFixture(dir, scheme.enrol(SWITCH, PartyRole.SWITCH));
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

  private Path signedUpload(FileSigner signer, long sequence, List<TransitRecord> records) {
    Path file = fixture.offlineFile(METRO_A, sequence, records);
    signer.sign(file, FileKind.OFFLINE);
    return file;
  }

  private static List<TransitRecord> records() {
    return List.of(exit(METRO_A, "G1", 1, "62100000000001", 1, 300), exit(METRO_A, "G1", 2, "62200000000002", 1, 500));
  }

  /** What the switch has taken in: its durable accepted files and the day's spooled records. */
  private String intakeState() {
    return new SwitchStore(fixture.database, SWITCH).acceptedFiles() + " / " + fixture.transitSwitch.recordsAccepted(DAY);
  }

  private void assertRefusedChangingNothing(Path file, Reason reason) {
    String before = intakeState();
    IntakeReceipt receipt = fixture.transitSwitch.receive(file);
    assertThat(receipt.status()).isEqualTo(IntakeStatus.REJECTED);
    assertThat(receipt.reason()).startsWith(reason.name() + ":");
    assertThat(intakeState()).isEqualTo(before);
    assertThat(fixture.booksBalanced()).isTrue();
  }

  private static void damage(Path file, UnaryOperator<byte[]> how) throws Exception {
    Files.write(file, how.apply(Files.readAllBytes(file)));
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void operatorFile_forgedTruncatedResignedOrUnsigned_isRefusedWithItsReason_andNothingChanges(AlgorithmSuite suite)
      throws Exception {
    open(suite);
    Path flipped = signedUpload(metroA.signer(), 1, records());
    damage(flipped, b -> {
      b[b.length / 2] ^= 4;
      return b;
    });
    assertRefusedChangingNothing(flipped, Reason.FORGED);

    Path badSignature = signedUpload(metroA.signer(), 1, records());
    damage(FileSigner.signaturePath(badSignature), b -> {
      b[b.length - 2] ^= 1;
      return b;
    });
    assertRefusedChangingNothing(badSignature, Reason.FORGED);

    Path truncated = signedUpload(metroA.signer(), 1, records());
    damage(truncated, b -> Arrays.copyOf(b, b.length - 20));
    assertRefusedChangingNothing(truncated, Reason.TRUNCATED);

    // METRO-B holds a valid certificate, but the file says it comes from METRO-A
    assertRefusedChangingNothing(signedUpload(metroB.signer(), 1, records()), Reason.WRONG_SENDER);
    // an issuer may not send operator files, even under its own name
    assertRefusedChangingNothing(signedUpload(issuerA.signer(), 1, records()), Reason.WRONG_SENDER);

    Path unsigned = fixture.offlineFile(METRO_A, 1, records());
    assertRefusedChangingNothing(unsigned, Reason.UNSIGNED);
    assertThat(intakeState()).endsWith("[] / 0");
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void operatorFile_signed_isAccepted_andItsReplayChangesNothing(AlgorithmSuite suite) {
    open(suite);
    Path file = signedUpload(metroA.signer(), 1, records());
    assertThat(fixture.transitSwitch.receive(file).status()).isEqualTo(IntakeStatus.ACCEPTED);
    assertThat(fixture.transitSwitch.recordsAccepted(DAY)).isEqualTo(2);
    String after = intakeState();

    IntakeReceipt replay = fixture.transitSwitch.receive(file);
    assertThat(replay.status()).isEqualTo(IntakeStatus.ALREADY_ACCEPTED);
    assertThat(replay.reason()).startsWith("REPLAYED:");
    // the same sequence, signed again over other records: refused as a replay, not counted
    Path other = signedUpload(metroA.signer(), 1, List.of(exit(METRO_A, "G1", 3, "62100000000003", 1, 300)));
    assertRefusedChangingNothing(other, Reason.REPLAYED);
    // after a restart the replay record is the switch's durable one
    fixture.restart();
    assertThat(fixture.transitSwitch.receive(file).status()).isEqualTo(IntakeStatus.ALREADY_ACCEPTED);
    assertThat(intakeState()).isEqualTo(after);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void settlementOutputs_areSignedByTheSwitch_andVerifyAtTheirReceivers(AlgorithmSuite suite) {
    open(suite);
    assertThat(fixture.transitSwitch.receive(signedUpload(metroA.signer(), 1, records())).status())
        .isEqualTo(IntakeStatus.ACCEPTED);
    SettlementRun run = fixture.transitSwitch.settle(DAY, DAY.plusDays(1));
    assertThat(scheme.verifierFor(ISSUER_A).verify(run.clearingFiles().get(ISSUER_A), FileKind.CLEARING,
        AcceptedFiles.NONE).signer().party()).isEqualTo(SWITCH);
    assertThat(scheme.verifierFor(METRO_A).verify(run.reportFiles().get(METRO_A), FileKind.SETTLEMENT,
        AcceptedFiles.NONE).claims().receiver()).isEqualTo(METRO_A);
    assertThat(fixture.booksBalanced()).isTrue();
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void issuersDenyList_takenOnlySigned_withinTheVersionBound_andRelayedSigned(AlgorithmSuite suite) throws Exception {
    open(suite);
    assertThat(fixture.transitSwitch.publishDenyList(denyList(issuerA.signer(), ISSUER_A, 2))).isTrue();
    Path huge = denyList(issuerA.signer(), ISSUER_A, 1L << 40);
    assertThatThrownBy(() -> fixture.transitSwitch.publishDenyList(huge)).isInstanceOfSatisfying(
        SignedFileException.class, e -> assertThat(e.reason()).isEqualTo(Reason.VERSION_JUMP));
    Path byOperator = denyList(metroA.signer(), ISSUER_A, 3);
    assertThatThrownBy(() -> fixture.transitSwitch.publishDenyList(byOperator)).isInstanceOfSatisfying(
        SignedFileException.class, e -> assertThat(e.reason()).isEqualTo(Reason.WRONG_SENDER));
    assertThat(fixture.transitSwitch.publishDenyList(denyList(issuerA.signer(), ISSUER_A, 2))).isFalse();
    assertThat(fixture.transitSwitch.denyLists()).singleElement().satisfies(l -> assertThat(l.version()).isEqualTo(2));

    Path relayed = fixture.transitSwitch.denyListFilesFor(METRO_A, DAY).get(0);
    assertThat(scheme.verifierFor(METRO_A).verify(relayed, FileKind.DENY_LIST, AcceptedFiles.NONE).signer().party())
        .isEqualTo(SWITCH);
  }

  private Path denyList(FileSigner signer, PartyId issuer, long version) throws Exception {
    Path file = dir.resolve("denylist-" + version + "-" + System.nanoTime() + ".txt");
    try (OutputStream out = Files.newOutputStream(file)) {
      DenyListFile.write(out, SWITCH, DAY, new DenyList(issuer, version, new TreeSet<>()));
    }
    signer.sign(file, FileKind.DENY_LIST);
    return file;
  }
}
