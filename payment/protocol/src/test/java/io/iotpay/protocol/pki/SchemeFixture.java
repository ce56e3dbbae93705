package io.iotpay.protocol.pki;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.custody.KeyCustody;
import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.money.Money;
import io.iotpay.protocol.Pan;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.file.DenyListFile;
import io.iotpay.protocol.file.FileHeader;
import io.iotpay.protocol.file.FileKind;
import io.iotpay.protocol.file.FileLimits;
import io.iotpay.protocol.file.TransitFileReader;
import io.iotpay.protocol.file.SettlementReportFile;
import io.iotpay.protocol.file.TransitFileWriter;
import io.iotpay.protocol.settlement.NetPosition;
import io.iotpay.protocol.settlement.SettlementReport;
import io.iotpay.protocol.transit.DenyList;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.TreeSet;

/** A scheme CA and five enrolled parties, each with its own software key custody, in one suite. */
final class SchemeFixture implements AutoCloseable {
  static final PartyId SWITCH = PartyId.of("SWITCH");
  static final PartyId OPERATOR_A = PartyId.of("METRO-A");
  static final PartyId OPERATOR_B = PartyId.of("METRO-B");
  static final PartyId ISSUER_A = PartyId.of("BANK-A");
  static final PartyId ISSUER_B = PartyId.of("BANK-B");
  static final LocalDate DAY = LocalDate.of(2026, 11, 20);
  static final Instant NOT_BEFORE = DAY.minusDays(30).atStartOfDay().toInstant(java.time.ZoneOffset.UTC);
  static final Instant NOT_AFTER = NOT_BEFORE.plus(400, ChronoUnit.DAYS);
  /** 6212345678901232: Luhn digit computed with Python, independently of this code (as in SettlementAndDenyListFileTest). */
  static final Pan DENIED = Pan.of("6212345678901232");

  final AlgorithmSuite suite;
  final Path directory;
  final SchemeCa ca;
  final FileSigner switchSigner;
  final FileSigner operatorA;
  final FileSigner operatorB;
  final FileSigner issuerA;
  final FileSigner issuerB;
  private final SchemeEnrolment enrolment;
  private int custodies;

  SchemeFixture(AlgorithmSuite suite, Path directory) {
    this.suite = suite;
    this.directory = directory;
    this.enrolment = SchemeEnrolment.create(directory, suite, NOT_BEFORE, NOT_AFTER);
    this.ca = enrolment.ca();
    this.switchSigner = enrolment.enrol(SWITCH, PartyRole.SWITCH).signer();
    this.operatorA = enrolment.enrol(OPERATOR_A, PartyRole.OPERATOR).signer();
    this.operatorB = enrolment.enrol(OPERATOR_B, PartyRole.OPERATOR).signer();
    this.issuerA = enrolment.enrol(ISSUER_A, PartyRole.ISSUER).signer();
    this.issuerB = enrolment.enrol(ISSUER_B, PartyRole.ISSUER).signer();
  }

  /** A new custody of the scheme's suite, closed with the fixture. */
  KeyCustody custody(String name) {
    return enrolment.newCustody("extra-" + name + "-" + (++custodies));
  }

  /** {@code party} enrolled as {@code role} by {@code authority} (the scheme's CA or another). */
  FileSigner enrol(SchemeCa authority, PartyId party, PartyRole role) {
    return authority.enrol(custody(party.value()), "files", party, role, NOT_BEFORE, NOT_AFTER);
  }

  SignedFileVerifier verifierFor(PartyId self) {
    return new SignedFileVerifier(suite, ca.certificate(), self);
  }

  /** A file and its header (as its sender knows it). */
  record Sample(Path file, FileHeader header) {}

  /** A file of {@code kind} as its usual sender writes it, with {@code sequence}. */
  Sample write(FileKind kind, long sequence) throws IOException {
    Path file = directory.resolve(kind.wireName() + "-" + sequence + "-" + System.nanoTime() + ".txt");
    try (OutputStream out = Files.newOutputStream(file)) {
      switch (kind) {
        case OFFLINE -> TransitFileWriter.writeAll(out, emptyHeader(kind, OPERATOR_A, SWITCH, sequence), List.of());
        case CLEARING -> TransitFileWriter.writeAll(out, emptyHeader(kind, SWITCH, ISSUER_A, sequence), List.of());
        case SETTLEMENT -> SettlementReportFile.write(out, SWITCH, OPERATOR_A, sequence, new SettlementReport(DAY,
            CurrencyUnit.CNY, List.of(new NetPosition(ISSUER_A, Money.ofMinor(-800, CurrencyUnit.CNY)),
                new NetPosition(OPERATOR_A, Money.ofMinor(800, CurrencyUnit.CNY))), 5));
        case DENY_LIST -> DenyListFile.write(out, SWITCH, DAY, new DenyList(ISSUER_A, sequence, new TreeSet<>(List.of(DENIED))));
        default -> throw new IllegalArgumentException("no sample for " + kind);
      }
    }
    return new Sample(file, header(file, kind));
  }

  static FileHeader header(Path file, FileKind kind) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return switch (kind) {
        case SETTLEMENT -> SettlementReportFile.read(in, FileLimits.defaults()).header();
        case DENY_LIST -> DenyListFile.read(in, FileLimits.defaults()).header();
        default -> TransitFileReader.open(in, kind, FileLimits.defaults()).header();
      };
    }
  }

  /** Signs the sample as {@code signer}. */
  static Sample sign(Sample sample, FileSigner signer) {
    signer.sign(sample.file(), sample.header());
    return sample;
  }

  private static FileHeader emptyHeader(FileKind kind, PartyId sender, PartyId receiver, long sequence) {
    return new FileHeader(kind, sender, receiver, DAY, sequence, 0, CurrencyUnit.CNY, 0);
  }

  /** The signer that sends {@code kind} in the scheme. */
  FileSigner senderOf(FileKind kind) {
    return switch (kind) {
      case OFFLINE -> operatorA;
      case CLEARING, SETTLEMENT -> switchSigner;
      case DENY_LIST -> issuerA;
      default -> throw new IllegalArgumentException("no sender for " + kind);
    };
  }

  /** The receiver of the sample file of {@code kind}. */
  static PartyId receiverOf(FileKind kind) {
    return switch (kind) {
      case OFFLINE, DENY_LIST -> SWITCH;
      case CLEARING -> ISSUER_A;
      case SETTLEMENT -> OPERATOR_A;
      default -> throw new IllegalArgumentException("no receiver for " + kind);
    };
  }

  /** A party with a valid certificate that is not the sample's sender (the re-signer). */
  FileSigner otherPartyFor(FileKind kind) {
    return switch (kind) {
      case OFFLINE -> operatorB;
      case CLEARING, SETTLEMENT -> issuerB;
      case DENY_LIST -> issuerB;
      default -> throw new IllegalArgumentException("no other party for " + kind);
    };
  }

  @Override
  public void close() {
    enrolment.close();
  }
}
