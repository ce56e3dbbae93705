package io.iotpay.acquirer.transit;

import static io.iotpay.acquirer.transit.OperatorBackOfficeTest.DAY;
import static io.iotpay.acquirer.transit.OperatorBackOfficeTest.METRO;
import static io.iotpay.acquirer.transit.OperatorBackOfficeTest.SWITCH;
import static io.iotpay.acquirer.transit.OperatorBackOfficeTest.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import io.iotpay.protocol.file.DenyListFile;
import io.iotpay.protocol.file.FileKind;
import io.iotpay.protocol.file.IntakeReceipt;
import io.iotpay.protocol.file.IntakeStatus;
import io.iotpay.protocol.file.SettlementReportFile;
import io.iotpay.protocol.pki.AcceptedFiles;
import io.iotpay.protocol.pki.FileSigner;
import io.iotpay.protocol.pki.FileTrust;
import io.iotpay.protocol.pki.PartyRole;
import io.iotpay.protocol.pki.SchemeEnrolment;
import io.iotpay.protocol.pki.SignedFileException.Reason;
import io.iotpay.protocol.pki.SignedFileException;
import io.iotpay.protocol.settlement.NetPosition;
import io.iotpay.protocol.settlement.SettlementReport;
import io.iotpay.protocol.transit.DenyList;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The operator's back office with signed files (docs/signed-files.md), both suites: its uploads are
 * signed; settlement reports and deny lists are used only with a valid signature, and every refusal
 * leaves its books and lists unchanged.
 */
class SignedFilesAtTheOperatorTest {
  private static final PartyId ISSUER = PartyId.of("ISSUER-A");
  @TempDir Path directory;
  private int files;

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void uploadsSigned_reportsAndListsVerified_refusalsChangeNothing(AlgorithmSuite suite) throws Exception {
    Instant from = DAY.minusDays(10).atStartOfDay().toInstant(ZoneOffset.UTC);
    try (SchemeEnrolment scheme = SchemeEnrolment.create(directory.resolve("pki"), suite, from, from.plusSeconds(86_400L * 400));
        Database database = Database.open("jdbc:sqlite:" + directory.resolve("ledger.db"), 4);
        Ledger ledger = Ledger.open(database, LedgerConfig.defaults(), Clock.systemUTC(), AuditJournal.none())) {
      FileTrust switchTrust = scheme.enrol(SWITCH, PartyRole.SWITCH);
      FileTrust otherOperator = scheme.enrol(PartyId.of("METRO-B"), PartyRole.OPERATOR);
      FileTrust issuer = scheme.enrol(ISSUER, PartyRole.ISSUER);
      OperatorBackOffice backOffice = new OperatorBackOffice(OperatorConfig.of(METRO, SWITCH, 20, 20_000, 2_000_000_000L),
          ledger, directory.resolve("operator"), scheme.enrol(METRO, PartyRole.OPERATOR));

      // the upload reaches the switch signed by the operator
      backOffice.collect(List.of(record(METRO, "G1", 1, 1, 300), record(METRO, "G1", 2, 2, 400)));
      IntakeReceipt receipt = backOffice.upload(DAY, file -> {
        assertThat(switchTrust.verifier().verify(file, FileKind.OFFLINE, AcceptedFiles.NONE).signer().party())
            .isEqualTo(METRO);
        return new IntakeReceipt(IntakeStatus.ACCEPTED, 2, 0, 700, "");
      });
      assertThat(receipt.status()).isEqualTo(IntakeStatus.ACCEPTED);
      assertThat(backOffice.uploadedRecords()).hasSize(2);

      Path flipped = report(switchTrust.signer(), 700);
      byte[] bytes = Files.readAllBytes(flipped);
      bytes[bytes.length - 10] ^= 1;
      Files.write(flipped, bytes);
      assertRefusedChangingNothing(ledger, () -> backOffice.receiveSettlement(flipped), Reason.FORGED);
      Path truncated = report(switchTrust.signer(), 700);
      Files.write(truncated, Arrays.copyOf(Files.readAllBytes(truncated), 30));
      assertRefusedChangingNothing(ledger, () -> backOffice.receiveSettlement(truncated), Reason.TRUNCATED);
      Path byOperator = report(otherOperator.signer(), 700);
      assertRefusedChangingNothing(ledger, () -> backOffice.receiveSettlement(byOperator), Reason.WRONG_SENDER);

      Path genuine = report(switchTrust.signer(), 700);
      assertThat(backOffice.receiveSettlement(genuine)).isEqualTo(700);
      assertThat(backOffice.settledMinor()).isEqualTo(700);
      assertRefusedChangingNothing(ledger, () -> backOffice.receiveSettlement(genuine), Reason.REPLAYED);
      assertThat(booksBalanced(ledger)).isTrue();

      // deny lists: relayed by the switch or published by the issuer, within the version bound
      Pan card = Pan.withCheckDigit("62100000000001");
      assertThat(backOffice.receiveDenyList(denyList(switchTrust.signer(), 2, card))).isTrue();
      assertThat(backOffice.receiveDenyList(denyList(switchTrust.signer(), 2, card))).isFalse();
      Path huge = denyList(switchTrust.signer(), 1L << 50);
      assertThatThrownBy(() -> backOffice.receiveDenyList(huge)).isInstanceOfSatisfying(SignedFileException.class,
          e -> assertThat(e.reason()).isEqualTo(Reason.VERSION_JUMP));
      Path forgedByOperator = denyList(otherOperator.signer(), 3);
      assertThatThrownBy(() -> backOffice.receiveDenyList(forgedByOperator)).isInstanceOfSatisfying(
          SignedFileException.class, e -> assertThat(e.reason()).isEqualTo(Reason.WRONG_SENDER));
      assertThat(backOffice.denyLists()).singleElement().satisfies(list -> {
        assertThat(list.version()).isEqualTo(2);
        assertThat(list.denies(card)).isTrue();
      });
      assertThat(backOffice.receiveDenyList(denyList(issuer.signer(), 3))).isTrue();
      assertThat(backOffice.denyLists()).singleElement().satisfies(list -> assertThat(list.denies(card)).isFalse());
    }
  }

  private static void assertRefusedChangingNothing(Ledger ledger, Runnable use, Reason reason) {
    Map<Long, AccountBalance> before = ledger.balances();
    assertThatThrownBy(use::run).isInstanceOfSatisfying(SignedFileException.class,
        e -> assertThat(e.reason()).isEqualTo(reason));
    assertThat(ledger.balances()).isEqualTo(before);
  }

  private static boolean booksBalanced(Ledger ledger) {
    long debits = 0;
    long credits = 0;
    for (AccountBalance balance : ledger.balances().values()) {
      debits += balance.debitsPostedMinor();
      credits += balance.creditsPostedMinor();
    }
    return debits == credits;
  }

  private Path report(FileSigner signer, long netMinor) throws Exception {
    SettlementReport report = new SettlementReport(DAY, CurrencyUnit.CNY, List.of(
        new NetPosition(METRO, Money.ofMinor(netMinor, CurrencyUnit.CNY)),
        new NetPosition(ISSUER, Money.ofMinor(-netMinor, CurrencyUnit.CNY))), 2);
    Path path = directory.resolve("report-" + (++files) + ".txt");
    try (OutputStream out = Files.newOutputStream(path)) {
      SettlementReportFile.write(out, SWITCH, METRO, 1, report);
    }
    signer.sign(path, FileKind.SETTLEMENT);
    return path;
  }

  private Path denyList(FileSigner signer, long version, Pan... pans) throws Exception {
    Path path = directory.resolve("deny-" + (++files) + ".txt");
    try (OutputStream out = Files.newOutputStream(path)) {
      DenyListFile.write(out, METRO, DAY, new DenyList(ISSUER, version, new TreeSet<>(List.of(pans))));
    }
    signer.sign(path, FileKind.DENY_LIST);
    return path;
  }
}
