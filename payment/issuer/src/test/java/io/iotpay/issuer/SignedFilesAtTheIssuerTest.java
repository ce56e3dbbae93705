package io.iotpay.issuer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.money.Money;
import io.iotpay.issuer.transit.ClearingReport;
import io.iotpay.ledger.AccountBalance;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.file.FileKind;
import io.iotpay.protocol.file.SettlementReportFile;
import io.iotpay.protocol.file.TransitFileWriter;
import io.iotpay.protocol.pki.FileSigner;
import io.iotpay.protocol.pki.FileTrust;
import io.iotpay.protocol.pki.PartyRole;
import io.iotpay.protocol.pki.SchemeEnrolment;
import io.iotpay.protocol.pki.SignedFileException.Reason;
import io.iotpay.protocol.pki.SignedFileException;
import io.iotpay.protocol.settlement.NetPosition;
import io.iotpay.protocol.settlement.SettlementReport;
import io.iotpay.protocol.transit.ClearingFile;
import io.iotpay.protocol.transit.TransitRecord;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The issuer with signed files (docs/signed-files.md), both suites: a clearing file or settlement
 * report is used only with the switch's valid signature; forged, truncated, re-signed, unsigned and
 * replayed files are refused with their reason and leave the issuer's ledger and database unchanged.
 */
class SignedFilesAtTheIssuerTest {
  private static final PartyId SWITCH = PartyId.of("SWITCH");
  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void clearingFileAndReport_usedOnlySignedByTheSwitch_everyRefusalChangesNothing(AlgorithmSuite suite) throws Exception {
    Instant from = TestGate.DAY.minusDays(10).atStartOfDay().toInstant(ZoneOffset.UTC);
    try (SchemeEnrolment scheme = SchemeEnrolment.create(dir.resolve("pki"), suite, from, from.plusSeconds(86_400L * 400));
        IssuerWorld world = new IssuerWorld(dir, scheme.enrol(IssuerWorld.ISSUER, PartyRole.ISSUER))) {
      FileTrust switchTrust = scheme.enrol(SWITCH, PartyRole.SWITCH);
      FileTrust otherIssuer = scheme.enrol(PartyId.of("BANK-B"), PartyRole.ISSUER);
      List<TransitRecord> records = journeys(world, suite);
      long fares = records.stream().mapToLong(r -> r.fare().amountMinor()).sum();

      Path flipped = clearingFile(records, switchTrust.signer());
      damage(flipped, b -> {
        b[b.length / 3] ^= 2;
        return b;
      });
      assertRefusedChangingNothing(world, () -> world.issuer.clearFile(flipped), Reason.FORGED);
      // Well formed (its own checksum, count and total hold, so the integrity pass accepts it) but
      // not the signed file: the same records in another order (same length, other bytes) under the
      // genuine file's signature. The verdict at the end of the integrity pass refuses it before any
      // record is used.
      Path substituted = clearingFile(records.reversed(), null);
      Path signedOriginal = clearingFile(records, switchTrust.signer());
      Files.copy(FileSigner.signaturePath(signedOriginal), FileSigner.signaturePath(substituted));
      assertRefusedChangingNothing(world, () -> world.issuer.clearFile(substituted), Reason.FORGED);
      Path truncated = clearingFile(records, switchTrust.signer());
      damage(truncated, b -> Arrays.copyOf(b, b.length / 2));
      assertRefusedChangingNothing(world, () -> world.issuer.clearFile(truncated), Reason.TRUNCATED);
      Path resigned = clearingFile(records, otherIssuer.signer());
      assertRefusedChangingNothing(world, () -> world.issuer.clearFile(resigned), Reason.WRONG_SENDER);
      Path badSignature = clearingFile(records, switchTrust.signer());
      damage(FileSigner.signaturePath(badSignature), b -> {
        b[b.length - 1] ^= (byte) 0x80;
        return b;
      });
      assertRefusedChangingNothing(world, () -> world.issuer.clearFile(badSignature), Reason.FORGED);
      Path unsigned = clearingFile(records, null);
      assertRefusedChangingNothing(world, () -> world.issuer.clearFile(unsigned), Reason.UNSIGNED);

      Path genuine = clearingFile(records, switchTrust.signer());
      ClearingReport cleared = world.issuer.clearFile(genuine);
      assertThat(cleared.accepted()).isEqualTo(records.size());
      assertThat(dueToSwitch(world)).isEqualTo(fares);
      assertRefusedChangingNothing(world, () -> world.issuer.clearFile(genuine), Reason.REPLAYED);

      Path report = reportFile(fares, switchTrust.signer());
      Path reportByOther = reportFile(fares, otherIssuer.signer());
      assertRefusedChangingNothing(world, () -> world.issuer.paySettlementFile(reportByOther), Reason.WRONG_SENDER);
      assertThat(world.issuer.paySettlementFile(report)).isEqualTo(fares);
      assertThat(dueToSwitch(world)).isZero();
      assertRefusedChangingNothing(world, () -> world.issuer.paySettlementFile(report), Reason.REPLAYED);
      assertThat(booksBalanced(world)).isTrue();
    }
  }

  private static void assertRefusedChangingNothing(IssuerWorld world, Runnable use, Reason reason) throws Exception {
    Map<Long, AccountBalance> ledgerBefore = world.ledger.balances();
    String databaseBefore = databaseState(world);
    assertThatThrownBy(use::run).isInstanceOfSatisfying(SignedFileException.class,
        e -> assertThat(e.reason()).isEqualTo(reason));
    assertThat(world.ledger.balances()).isEqualTo(ledgerBefore);
    assertThat(databaseState(world)).isEqualTo(databaseBefore);
  }

  /** The rows the issuer keeps about clearing and accepted files. */
  private static String databaseState(IssuerWorld world) throws Exception {
    StringBuilder state = new StringBuilder();
    try (Connection c = world.database.connection(); Statement s = c.createStatement()) {
      for (String sql : List.of("SELECT COUNT(*), COALESCE(SUM(fare_minor), 0) FROM issuer_cleared",
          "SELECT COUNT(*), COALESCE(SUM(file_sequence), 0) FROM signed_file_accepted")) {
        try (ResultSet r = s.executeQuery(sql)) {
          r.next();
          state.append(r.getLong(1)).append('/').append(r.getLong(2)).append(' ');
        }
      }
    }
    return state.toString();
  }

  private static boolean booksBalanced(IssuerWorld world) {
    long debits = 0;
    long credits = 0;
    for (AccountBalance balance : world.ledger.balances().values()) {
      debits += balance.debitsPostedMinor();
      credits += balance.creditsPostedMinor();
    }
    return debits == credits;
  }

  private static void damage(Path file, UnaryOperator<byte[]> how) throws Exception {
    Files.write(file, how.apply(Files.readAllBytes(file)));
  }

  private int files;

  private Path clearingFile(List<TransitRecord> records, FileSigner signer) throws Exception {
    Path file = dir.resolve("clearing-" + (++files) + ".txt");
    try (OutputStream out = Files.newOutputStream(file)) {
      TransitFileWriter.writeClearingFile(out, SWITCH, CurrencyUnit.CNY,
          new ClearingFile(IssuerWorld.ISSUER, TestGate.DAY, 1, records));
    }
    if (signer != null) {
      signer.sign(file, FileKind.CLEARING);
    }
    return file;
  }

  private Path reportFile(long fares, FileSigner signer) throws Exception {
    Path file = dir.resolve("report-" + (++files) + ".txt");
    try (OutputStream out = Files.newOutputStream(file)) {
      SettlementReportFile.write(out, SWITCH, IssuerWorld.ISSUER, 1, new SettlementReport(TestGate.DAY, CurrencyUnit.CNY,
          List.of(new NetPosition(IssuerWorld.ISSUER, Money.ofMinor(-fares, CurrencyUnit.CNY)),
              new NetPosition(PartyId.of("METRO-A"), Money.ofMinor(fares, CurrencyUnit.CNY))), 6));
    }
    signer.sign(file, FileKind.SETTLEMENT);
    return file;
  }

  private static List<TransitRecord> journeys(IssuerWorld world, AlgorithmSuite suite) {
    List<TransitRecord> records = new ArrayList<>();
    IssuerWorld.Rider r = world.rider(1, suite, 500_00);
    var decision = world.issuer.apply(new io.iotpay.protocol.enrolment.ServiceApplication("a1", r.issued().pan(), 1,
        "METRO"));
    world.runPush(decision.script().orElseThrow(), r.card(), c -> c);
    TestGate gate = new TestGate(r.card(), r.issued(), world.aid());
    for (int j = 0; j < 2; j++) {
      records.addAll(Arrays.asList(gate.journey(8_00, 2_00 + j)));
    }
    return records;
  }

  private static long dueToSwitch(IssuerWorld world) {
    return world.ledger.balance(world.issuer.dueToSwitchAccountId()).map(AccountBalance::creditBalanceMinor).orElse(0L);
  }
}
