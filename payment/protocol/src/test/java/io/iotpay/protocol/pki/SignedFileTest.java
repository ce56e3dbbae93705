package io.iotpay.protocol.pki;

import static io.iotpay.protocol.pki.SchemeFixture.DAY;
import static io.iotpay.protocol.pki.SchemeFixture.ISSUER_A;
import static io.iotpay.protocol.pki.SchemeFixture.NOT_AFTER;
import static io.iotpay.protocol.pki.SchemeFixture.NOT_BEFORE;
import static io.iotpay.protocol.pki.SchemeFixture.OPERATOR_A;
import static io.iotpay.protocol.pki.SchemeFixture.SWITCH;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.file.FileHeader;
import io.iotpay.protocol.file.FileKind;
import io.iotpay.protocol.file.FileLimits;
import io.iotpay.protocol.file.PresentmentFile;
import io.iotpay.protocol.file.PresentmentResultFile;
import io.iotpay.protocol.pki.SchemeFixture.Sample;
import io.iotpay.protocol.pki.SignedFileException.Reason;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class SignedFileTest {
  private static final List<FileKind> KINDS = List.of(FileKind.OFFLINE, FileKind.CLEARING, FileKind.SETTLEMENT,
      FileKind.DENY_LIST);

  @TempDir Path temp;
  private SchemeFixture scheme;

  static Stream<Arguments> everyKindInBothSuites() {
    List<Arguments> cases = new ArrayList<>();
    for (AlgorithmSuite suite : AlgorithmSuite.values()) {
      for (FileKind kind : KINDS) {
        cases.add(Arguments.of(suite, kind));
      }
    }
    return cases.stream();
  }

  private SchemeFixture scheme(AlgorithmSuite suite) {
    scheme = new SchemeFixture(suite, temp);
    return scheme;
  }

  @AfterEach
  void close() {
    if (scheme != null) {
      scheme.close();
    }
  }

  private VerifiedFile verify(Sample sample, AcceptedFiles accepted) {
    return scheme.verifierFor(SchemeFixture.receiverOf(sample.header().kind())).verify(sample.file(),
        sample.header().kind(), accepted);
  }

  private void assertRefused(Sample sample, AcceptedFiles accepted, Reason reason) throws Exception {
    byte[] before = Files.readAllBytes(sample.file());
    assertThatThrownBy(() -> verify(sample, accepted)).isInstanceOfSatisfying(SignedFileException.class,
        e -> assertThat(e.reason()).isEqualTo(reason));
    assertThat(Files.readAllBytes(sample.file())).isEqualTo(before);
  }

  @ParameterizedTest
  @MethodSource("everyKindInBothSuites")
  void signedBySender_isAccepted_withItsClaimsAndSigner(AlgorithmSuite suite, FileKind kind) throws Exception {
    scheme(suite);
    Sample sample = SchemeFixture.sign(scheme.write(kind, 3), scheme.senderOf(kind));
    VerifiedFile verified = verify(sample, AcceptedFiles.NONE);
    assertThat(verified.claims().kind()).isEqualTo(kind);
    assertThat(verified.claims().sequence()).isEqualTo(3);
    assertThat(verified.claims().lengthBytes()).isEqualTo(Files.size(sample.file()));
    assertThat(verified.signer().party()).isEqualTo(sample.header().sender());
    verified.requireHeader(SchemeFixture.header(sample.file(), kind));
  }

  /** Verifies with the digest of a pass that read the first {@code readFirst} bytes itself (the verifier reads the rest). */
  private VerifiedFile verifyDigesting(Sample sample, int readFirst) throws Exception {
    SignedFileVerifier verifier = scheme.verifierFor(SchemeFixture.receiverOf(sample.header().kind()));
    try (DigestingInputStream content = verifier.digesting(Files.newInputStream(sample.file()))) {
      content.readNBytes(readFirst);
      return verifier.verify(sample.file(), content, sample.header().kind(), AcceptedFiles.NONE);
    }
  }

  @ParameterizedTest
  @MethodSource("everyKindInBothSuites")
  void digestOfTheReceiversOwnPass_acceptsTheSignedFile_readWholeOrInPart(AlgorithmSuite suite, FileKind kind)
      throws Exception {
    scheme(suite);
    Sample sample = SchemeFixture.sign(scheme.write(kind, 3), scheme.senderOf(kind));
    int length = (int) Files.size(sample.file());
    for (int readFirst : new int[] {0, 1, length / 2, length, length + 10}) {
      VerifiedFile verified = verifyDigesting(sample, readFirst);
      assertThat(verified.claims().lengthBytes()).isEqualTo(length);
      assertThat(verified.signer().party()).isEqualTo(sample.header().sender());
    }
  }

  @ParameterizedTest
  @MethodSource("everyKindInBothSuites")
  void digestOfTheReceiversOwnPass_refusesFlippedTruncatedAndAppendedFiles(AlgorithmSuite suite, FileKind kind)
      throws Exception {
    scheme(suite);
    Sample sample = SchemeFixture.sign(scheme.write(kind, 1), scheme.senderOf(kind));
    byte[] bytes = Files.readAllBytes(sample.file());
    byte[] flipped = bytes.clone();
    flipped[bytes.length / 2] ^= 0x01;
    List<Object[]> cases = List.of(new Object[] {flipped, Reason.FORGED},
        new Object[] {Arrays.copyOf(bytes, bytes.length - 1), Reason.TRUNCATED},
        new Object[] {Arrays.copyOf(bytes, bytes.length + 1), Reason.FORGED});
    for (Object[] one : cases) {
      Files.write(sample.file(), (byte[]) one[0]);
      for (int readFirst : new int[] {0, bytes.length / 2, bytes.length + 1}) {
        assertThatThrownBy(() -> verifyDigesting(sample, readFirst)).isInstanceOfSatisfying(SignedFileException.class,
            e -> assertThat(e.reason()).isEqualTo(one[1]));
      }
    }
  }

  @ParameterizedTest
  @MethodSource("everyKindInBothSuites")
  void bitFlipInFile_isForged(AlgorithmSuite suite, FileKind kind) throws Exception {
    scheme(suite);
    Sample sample = SchemeFixture.sign(scheme.write(kind, 1), scheme.senderOf(kind));
    byte[] bytes = Files.readAllBytes(sample.file());
    bytes[bytes.length / 2] ^= 0x01;
    Files.write(sample.file(), bytes);
    assertRefused(sample, AcceptedFiles.NONE, Reason.FORGED);
  }

  @ParameterizedTest
  @MethodSource("everyKindInBothSuites")
  void bitFlipInSignature_isForged(AlgorithmSuite suite, FileKind kind) throws Exception {
    scheme(suite);
    Sample sample = SchemeFixture.sign(scheme.write(kind, 1), scheme.senderOf(kind));
    Path sig = FileSigner.signaturePath(sample.file());
    byte[] bytes = Files.readAllBytes(sig);
    bytes[bytes.length - 5] ^= 0x10; // inside r‖s, the last item
    Files.write(sig, bytes);
    assertRefused(sample, AcceptedFiles.NONE, Reason.FORGED);
  }

  @ParameterizedTest
  @MethodSource("everyKindInBothSuites")
  void truncatedFile_isTruncated_andAppendedFileForged(AlgorithmSuite suite, FileKind kind) throws Exception {
    scheme(suite);
    Sample sample = SchemeFixture.sign(scheme.write(kind, 1), scheme.senderOf(kind));
    byte[] bytes = Files.readAllBytes(sample.file());
    Files.write(sample.file(), Arrays.copyOf(bytes, bytes.length - 1));
    assertRefused(sample, AcceptedFiles.NONE, Reason.TRUNCATED);
    Files.write(sample.file(), Arrays.copyOf(bytes, bytes.length + 1));
    assertRefused(sample, AcceptedFiles.NONE, Reason.FORGED);
  }

  @ParameterizedTest
  @MethodSource("everyKindInBothSuites")
  void replayOfAnAcceptedSequence_isReplayed(AlgorithmSuite suite, FileKind kind) throws Exception {
    scheme(suite);
    Sample sample = SchemeFixture.sign(scheme.write(kind, 4), scheme.senderOf(kind));
    AcceptedFiles accepted = claims -> claims.sender().equals(sample.header().sender()) && claims.kind() == kind
        && claims.businessDate().equals(DAY) && claims.sequence() == 4;
    assertRefused(sample, accepted, Reason.REPLAYED);
  }

  @ParameterizedTest
  @MethodSource("everyKindInBothSuites")
  void reSignedByAnotherPartyWithAValidCertificate_isWrongSender(AlgorithmSuite suite, FileKind kind) throws Exception {
    scheme(suite);
    Sample sample = SchemeFixture.sign(scheme.write(kind, 1), scheme.otherPartyFor(kind));
    assertRefused(sample, AcceptedFiles.NONE, Reason.WRONG_SENDER);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void aPartyWhoseRoleMayNotSendTheKind_isRefused(AlgorithmSuite suite) throws Exception {
    scheme(suite);
    // an issuer enrolled under the switch's party id (the CA would not do it; a wrong role is what is checked)
    FileSigner issuerNamedSwitch = scheme.enrol(scheme.ca, SWITCH, PartyRole.ISSUER);
    Sample clearing = SchemeFixture.sign(scheme.write(FileKind.CLEARING, 1), issuerNamedSwitch);
    assertRefused(clearing, AcceptedFiles.NONE, Reason.ROLE_MAY_NOT_SEND);
    // an operator may not send a deny list in its own name either
    FileSigner operatorNamedIssuer = scheme.enrol(scheme.ca, ISSUER_A, PartyRole.OPERATOR);
    Sample list = SchemeFixture.sign(scheme.write(FileKind.DENY_LIST, 2), operatorNamedIssuer);
    assertRefused(list, AcceptedFiles.NONE, Reason.ROLE_MAY_NOT_SEND);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void onlineClearingFiles_areSentByTheirRoles_andTheReceiverNamesTheRoleItTakesThemFrom(AlgorithmSuite suite)
      throws Exception {
    scheme(suite);
    // acquirer (OPERATOR role) → switch, and switch → issuer: both may send PRESENT under their own name
    assertTakenFrom(FileKind.PRESENTMENT, OPERATOR_A, SWITCH, scheme.operatorA, PartyRole.OPERATOR);
    assertTakenFrom(FileKind.PRESENTMENT, SWITCH, ISSUER_A, scheme.switchSigner, PartyRole.SWITCH);
    // an acquirer presenting straight to the issuer: a valid signature, but not of the role the issuer takes it from
    Sample direct = SchemeFixture.sign(online(FileKind.PRESENTMENT, OPERATOR_A, ISSUER_A), scheme.operatorA);
    VerifiedFile directly = scheme.verifierFor(ISSUER_A).verify(direct.file(), FileKind.PRESENTMENT, AcceptedFiles.NONE);
    assertThatThrownBy(() -> directly.requireSignerRole(PartyRole.SWITCH))
        .isInstanceOfSatisfying(SignedFileException.class, e -> assertThat(e.reason()).isEqualTo(Reason.WRONG_SENDER));
    // results: the issuer and the switch send them, an operator does not; an issuer sends no presentments
    assertTakenFrom(FileKind.PRESENTMENT_RESULT, ISSUER_A, SWITCH, scheme.issuerA, PartyRole.ISSUER);
    assertTakenFrom(FileKind.PRESENTMENT_RESULT, SWITCH, OPERATOR_A, scheme.switchSigner, PartyRole.SWITCH);
    for (Sample refused : List.of(
        SchemeFixture.sign(online(FileKind.PRESENTMENT_RESULT, OPERATOR_A, SWITCH), scheme.operatorA),
        SchemeFixture.sign(online(FileKind.PRESENTMENT, ISSUER_A, SWITCH), scheme.issuerA))) {
      assertThatThrownBy(() -> scheme.verifierFor(SWITCH).verify(refused.file(), refused.header().kind(),
          AcceptedFiles.NONE)).isInstanceOfSatisfying(SignedFileException.class,
              e -> assertThat(e.reason()).isEqualTo(Reason.ROLE_MAY_NOT_SEND));
    }
  }

  /** A file of {@code kind} signed by {@code signer} verifies at {@code receiver} as sent by a party of {@code role}. */
  private void assertTakenFrom(FileKind kind, PartyId sender, PartyId receiver, FileSigner signer, PartyRole role)
      throws Exception {
    Sample sample = SchemeFixture.sign(online(kind, sender, receiver), signer);
    VerifiedFile verified = scheme.verifierFor(receiver).verify(sample.file(), kind, AcceptedFiles.NONE);
    verified.requireSignerRole(role);
    assertThat(verified.signer().party()).isEqualTo(sender);
  }

  /** An empty presentment or result file from {@code sender} to {@code receiver}. */
  private Sample online(FileKind kind, PartyId sender, PartyId receiver)
      throws Exception {
    Path file = temp.resolve(kind.wireName() + "-" + sender.value() + "-" + receiver.value() + ".txt");
    try (OutputStream out = Files.newOutputStream(file)) {
      if (kind == FileKind.PRESENTMENT) {
        PresentmentFile.write(out, sender, receiver, DAY, 1,
            CurrencyUnit.CNY, List.of());
      } else {
        PresentmentResultFile.write(out, sender, receiver, DAY, 1,
            CurrencyUnit.CNY, List.of());
      }
    }
    try (InputStream in = Files.newInputStream(file)) {
      FileHeader header = kind == FileKind.PRESENTMENT
          ? PresentmentFile.read(in, FileLimits.defaults()).header()
          : PresentmentResultFile.read(in, FileLimits.defaults())
              .header();
      return new Sample(file, header);
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void switchRelayingAnIssuersDenyList_isAccepted(AlgorithmSuite suite) throws Exception {
    scheme(suite);
    Sample list = SchemeFixture.sign(scheme.write(FileKind.DENY_LIST, 2), scheme.switchSigner);
    assertThat(verify(list, AcceptedFiles.NONE).signer().role()).isEqualTo(PartyRole.SWITCH);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void certificateOfAnotherCa_isUntrusted(AlgorithmSuite suite) throws Exception {
    scheme(suite);
    SchemeCa rogue = SchemeCa.create(scheme.custody("rogue"), "rogue-ca", suite, NOT_BEFORE, NOT_AFTER);
    FileSigner forger = scheme.enrol(rogue, OPERATOR_A, PartyRole.OPERATOR);
    Sample sample = SchemeFixture.sign(scheme.write(FileKind.OFFLINE, 1), forger);
    assertRefused(sample, AcceptedFiles.NONE, Reason.UNTRUSTED_CERTIFICATE);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void certificateOfTheOtherSuite_isRefused(AlgorithmSuite suite) throws Exception {
    scheme(suite);
    AlgorithmSuite other = suite == AlgorithmSuite.INTERNATIONAL ? AlgorithmSuite.NATIONAL : AlgorithmSuite.INTERNATIONAL;
    try (SchemeFixture otherScheme = new SchemeFixture(other, temp.resolve("other"))) {
      Sample sample = SchemeFixture.sign(scheme.write(FileKind.OFFLINE, 1), otherScheme.operatorA);
      assertRefused(sample, AcceptedFiles.NONE, Reason.MALFORMED);
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void certificateExpiredAtTheBusinessDate_isExpired(AlgorithmSuite suite) throws Exception {
    scheme(suite);
    Instant dayStart = DAY.atStartOfDay().toInstant(java.time.ZoneOffset.UTC);
    FileSigner lapsed = scheme.ca.enrol(scheme.custody("lapsed"), "files", OPERATOR_A, PartyRole.OPERATOR,
        NOT_BEFORE, dayStart.minusSeconds(1));
    assertRefused(SchemeFixture.sign(scheme.write(FileKind.OFFLINE, 1), lapsed), AcceptedFiles.NONE, Reason.EXPIRED);
    FileSigner early = scheme.ca.enrol(scheme.custody("early"), "files", OPERATOR_A, PartyRole.OPERATOR,
        dayStart.plusSeconds(1), NOT_AFTER);
    assertRefused(SchemeFixture.sign(scheme.write(FileKind.OFFLINE, 2), early), AcceptedFiles.NONE, Reason.EXPIRED);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void wrongReceiverOrKind_isRefused(AlgorithmSuite suite) throws Exception {
    scheme(suite);
    Sample sample = SchemeFixture.sign(scheme.write(FileKind.CLEARING, 1), scheme.switchSigner);
    assertThatThrownBy(() -> scheme.verifierFor(PartyId("BANK-B")).verify(sample.file(), FileKind.CLEARING,
        AcceptedFiles.NONE)).isInstanceOfSatisfying(SignedFileException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.WRONG_RECEIVER));
    assertThatThrownBy(() -> scheme.verifierFor(ISSUER_A).verify(sample.file(), FileKind.SETTLEMENT,
        AcceptedFiles.NONE)).isInstanceOfSatisfying(SignedFileException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.WRONG_KIND));
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void missingSignature_isUnsigned_andGarbageMalformed(AlgorithmSuite suite) throws Exception {
    scheme(suite);
    Sample sample = scheme.write(FileKind.OFFLINE, 1);
    assertRefused(sample, AcceptedFiles.NONE, Reason.UNSIGNED);
    Files.write(FileSigner.signaturePath(sample.file()), new byte[] {(byte) 0xd2, (byte) 0x84, 0x40});
    assertRefused(sample, AcceptedFiles.NONE, Reason.MALFORMED);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void headerNotTheSignedClaims_isHeaderMismatch(AlgorithmSuite suite) throws Exception {
    scheme(suite);
    Sample sample = scheme.write(FileKind.OFFLINE, 1);
    FileHeader claimed = new FileHeader(FileKind.OFFLINE, OPERATOR_A, SWITCH, DAY, 9, 0,
        sample.header().currency(), 0);
    scheme.operatorA.sign(sample.file(), claimed); // the operator signs a sequence its file does not carry
    VerifiedFile verified = verify(sample, AcceptedFiles.NONE);
    assertThatThrownBy(() -> verified.requireHeader(sample.header())).isInstanceOfSatisfying(
        SignedFileException.class, e -> assertThat(e.reason()).isEqualTo(Reason.HEADER_MISMATCH));
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void partyCertificate_bindsPartyRoleAndSuite(AlgorithmSuite suite) {
    scheme(suite);
    PartyCertificate read = PartyCertificate.parse(scheme.issuerA.certificate().encoded(), suite);
    assertThat(read.party()).isEqualTo(ISSUER_A);
    assertThat(read.role()).isEqualTo(PartyRole.ISSUER);
    assertThat(read.certificate().getSubjectX500Principal().getName()).isEqualTo("CN=BANK-A,OU=ISSUER,O=iotpay scheme");
    assertThat(read.certificate().getBasicConstraints()).isEqualTo(-1);
    assertThat(scheme.ca.certificate().getBasicConstraints()).isGreaterThanOrEqualTo(0);
    // ecdsa-with-SHA256 is 1.2.840.10045.4.3.2 (RFC 5758 §3.2); SM2-with-SM3 is 1.2.156.10197.1.501 (GM/T 0006)
    assertThat(read.certificate().getSigAlgOID()).isEqualTo(
        suite == AlgorithmSuite.INTERNATIONAL ? "1.2.840.10045.4.3.2" : "1.2.156.10197.1.501");
  }

  private static PartyId PartyId(String value) {
    return io.iotpay.protocol.PartyId.of(value);
  }
}
