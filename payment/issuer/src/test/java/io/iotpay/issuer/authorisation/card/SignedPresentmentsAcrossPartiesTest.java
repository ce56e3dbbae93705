package io.iotpay.issuer.authorisation.card;

import static io.iotpay.issuer.authorisation.card.CardHostWorld.CARD_ACCOUNT;
import static io.iotpay.issuer.authorisation.card.CardHostWorld.answer;
import static io.iotpay.issuer.authorisation.card.CardHostWorld.cny;
import static io.iotpay.issuer.authorisation.card.CardHostWorld.loopback;
import static io.iotpay.protocol.online.PresentmentResult.Status.ACCEPTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.store.Database;
import io.iotpay.ledger.AccountBalance;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.file.FileKind;
import io.iotpay.protocol.file.FileLimits;
import io.iotpay.protocol.file.PresentmentFile;
import io.iotpay.protocol.iso8583.AuthorisationRequest;
import io.iotpay.protocol.iso8583.CardResponse;
import io.iotpay.protocol.iso8583.CardTransaction;
import io.iotpay.protocol.iso8583.Iso8583Client;
import io.iotpay.protocol.iso8583.Iso8583Server;
import io.iotpay.protocol.iso8583.Iso8583Wire;
import io.iotpay.protocol.iso8583.LinkSettings;
import io.iotpay.protocol.iso8583.Mti;
import io.iotpay.protocol.iso8583.OriginalData;
import io.iotpay.protocol.iso8583.ResponseCode;
import io.iotpay.protocol.iso8583.ZoneKeys;
import io.iotpay.protocol.online.Presentment;
import io.iotpay.protocol.online.PresentmentResult;
import io.iotpay.protocol.pki.AcceptedFiles;
import io.iotpay.protocol.pki.FileSigner;
import io.iotpay.protocol.pki.FileTrust;
import io.iotpay.protocol.pki.PartyRole;
import io.iotpay.protocol.pki.SchemeEnrolment;
import io.iotpay.protocol.pki.SignedFileException;
import io.iotpay.protocol.pki.SignedFileException.Reason;
import io.iotpay.protocol.transit.CardRange;
import io.iotpay.switching.online.AcquirerEndpoint;
import io.iotpay.switching.online.IssuerEndpoint;
import io.iotpay.switching.online.OnlineClearing;
import io.iotpay.switching.online.OnlineSwitch;
import io.iotpay.switching.online.OnlineSwitchConfig;
import io.iotpay.switching.online.StandInLimits;
import io.iotpay.switching.online.StoreKeys;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The three signed files of online card clearing (docs/signed-files.md §7, docs/online-clearing.md),
 * on real parts: the acquirer's presentment file verified by the switch's {@link OnlineClearing},
 * the switch's issuer file verified by the issuer's {@link CardClearing}, the issuer's result file
 * verified by the switch. Each forged (a byte changed), truncated, re-signed by another party of the
 * scheme with a valid certificate, unsigned or replayed copy is refused with its reason before it is
 * parsed, and the switch's presentments, the issuer's stored results and the card ledger are as
 * before; the genuine files clear. Both suites; SQLite.
 */
class SignedPresentmentsAcrossPartiesTest {
  private static final Iso8583Wire WIRE = Iso8583Wire.load();
  private static final PartyId SWITCH = PartyId.of("SWITCH");
  private static final PartyId ACQUIRER = PartyId.of("ACQ1");
  private static final PartyId OTHER_ACQUIRER = PartyId.of("ACQ2");
  private static final PartyId ISSUER = PartyId.of("ISSA");
  private static final PartyId OTHER_ISSUER = PartyId.of("ISSB");
  private static final List<CardRange> RANGES = List.of(new CardRange("621234", ISSUER),
      new CardRange("622000", OTHER_ISSUER));
  private static final LocalDate DAY = LocalDate.of(2026, 12, 7);
  private static final CurrencyUnit CNY = CurrencyUnit.CNY;
  private static final long CERTIFICATE_VALIDITY_SECONDS = 86_400L * 400;

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void everyOnlineClearingFile_forgedTruncatedReSignedUnsignedOrReplayed_isRefused_andTheGenuineOnesClear(
      AlgorithmSuite suite) throws Exception {
    Instant from = DAY.minusDays(30).atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
    try (SchemeEnrolment scheme = SchemeEnrolment.create(dir.resolve("pki"), suite, from,
            from.plusSeconds(CERTIFICATE_VALIDITY_SECONDS));
        CardHostWorld w = new CardHostWorld(suite, dir);
        Database switchDatabase = Database.open("jdbc:sqlite:" + dir.resolve("switch.db"), 4)) {
      FileTrust switchTrust = scheme.enrol(SWITCH, PartyRole.SWITCH);
      FileTrust acquirerTrust = scheme.enrol(ACQUIRER, PartyRole.OPERATOR);
      FileTrust otherAcquirer = scheme.enrol(OTHER_ACQUIRER, PartyRole.OPERATOR);
      FileTrust issuerTrust = scheme.enrol(ISSUER, PartyRole.ISSUER);
      FileTrust otherIssuer = scheme.enrol(OTHER_ISSUER, PartyRole.ISSUER);
      StoreKeys storeKeys = new StoreKeys(suite, SecretKeyBytes.fromHex("A0A1A2A3A4A5A6A7A8A9AAABACADAEAF"),
          SecretKeyBytes.fromHex("B0B1B2B3B4B5B6B7B8B9BABBBCBDBEBF"),
          SecretKeyBytes.fromHex("C0C1C2C3C4C5C6C7C8C9CACBCCCDCECF"));
      ZoneKeys acquirerKeys = new ZoneKeys(suite, SecretKeyBytes.fromHex("0123456789ABCDEFFEDCBA9876543211"),
          SecretKeyBytes.fromHex("00112233445566778899AABBCCDDEEF1"), 30_000);
      OnlineClearing clearing = new OnlineClearing(new OnlineClearing.Config(SWITCH, CNY, RANGES,
          List.of(ACQUIRER, OTHER_ACQUIRER), FileLimits.defaults()), switchDatabase, storeKeys,
          dir.resolve("switch-clearing"), switchTrust);
      CardClearing issuerClearing = new CardClearing(ISSUER, w.service, w.database, FileLimits.defaults(),
          dir.resolve("issuer-out"), issuerTrust);
      try (Iso8583Server issuerLink = new Iso8583Server(LinkSettings.defaults("48020000", "ISSUER01")
              .withEchoIntervalMs(0), w.zoneKeys(), w.service, WIRE).start(loopback(0));
          OnlineSwitch online = new OnlineSwitch(onlineConfig(w, acquirerKeys, storeKeys, issuerLink.port()),
              switchDatabase, WIRE).start();
          Iso8583Client acquirerLink = new Iso8583Client(loopback(online.port(ACQUIRER)),
              LinkSettings.defaults("48020000", "ACQNODE1").withRequestTimeoutMs(15_000).withEchoIntervalMs(0),
              acquirerKeys, WIRE)) {
        CardTransaction purchase = w.purchase(1, 3_000, 80);
        CardResponse approved = answer(acquirerLink, new AuthorisationRequest(purchase));
        assertThat(approved.responseCode()).isEqualTo(ResponseCode.APPROVED);
        assertThat(online.flushLog(20_000)).isTrue();
        Presentment capture = new Presentment("C-1", Presentment.Kind.CAPTURE, ACQUIRER,
            OriginalData.of(Mti.AUTHORISATION_REQUEST, purchase), purchase.rrn(), purchase.terminalId(),
            purchase.merchantId(), purchase.pan(), 3_000, CNY, approved.approvalCode(), DAY);
        AccountBalance cardBefore = w.balance(CARD_ACCOUNT);

        // 1. The acquirer's presentment file at the switch.
        Path genuine = presentmentFile("acq-1.txt", ACQUIRER, SWITCH, List.of(capture));
        acquirerTrust.signer().sign(genuine, FileKind.PRESENTMENT);
        assertSwitchRefuses(clearing, flipped(genuine, "acq-forged.txt"), Reason.FORGED);
        assertSwitchRefuses(clearing, truncated(genuine, "acq-short.txt"), Reason.TRUNCATED);
        Path reSigned = copy(genuine, "acq-resigned.txt");
        otherAcquirer.signer().sign(reSigned, FileKind.PRESENTMENT);
        assertSwitchRefuses(clearing, reSigned, Reason.WRONG_SENDER);
        Path byIssuer = copy(genuine, "acq-by-issuer.txt");
        issuerTrust.signer().sign(byIssuer, FileKind.PRESENTMENT);
        assertSwitchRefuses(clearing, byIssuer, Reason.WRONG_SENDER);
        Path elsewhere = presentmentFile("acq-elsewhere.txt", ACQUIRER, PartyId.of("SWITCH-B"), List.of(capture));
        acquirerTrust.signer().sign(elsewhere, FileKind.PRESENTMENT);
        assertSwitchRefuses(clearing, elsewhere, Reason.WRONG_RECEIVER);
        assertSwitchRefuses(clearing, presentmentFile("acq-unsigned.txt", ACQUIRER, SWITCH, List.of(capture)),
            Reason.UNSIGNED);
        assertThat(clearing.presentments(DAY)).isEmpty();

        OnlineClearing.Intake taken = clearing.accept(genuine);
        assertThat(taken.taken()).isTrue();
        assertThat(taken.results()).extracting(PresentmentResult::status).containsExactly(ACCEPTED);
        List<List<String>> afterIntake = clearing.presentments(DAY);
        OnlineClearing.Intake replay = clearing.accept(copy(genuine, "acq-replay.txt"));
        assertThat(replay.refusal()).isEqualTo(OnlineClearing.Refusal.REPLAYED);
        assertThat(clearing.presentments(DAY)).isEqualTo(afterIntake);
        // The switch's answer verifies at the acquirer as the switch's.
        assertThat(acquirerTrust.verifier().verify(taken.resultFile(), FileKind.PRESENTMENT_RESULT, AcceptedFiles.NONE)
            .signer().party()).isEqualTo(SWITCH);

        // 2. The switch's presentment file at the issuer.
        Map<PartyId, Path> issuerFiles = clearing.writeIssuerFiles(DAY);
        Path issuerFile = issuerFiles.get(ISSUER);
        assertIssuerRefuses(w, issuerClearing, flipped(issuerFile, "sw-forged.txt"), Reason.FORGED, cardBefore);
        assertIssuerRefuses(w, issuerClearing, truncated(issuerFile, "sw-short.txt"), Reason.TRUNCATED, cardBefore);
        Path byAcquirer = copy(issuerFile, "sw-by-acquirer.txt");
        acquirerTrust.signer().sign(byAcquirer, FileKind.PRESENTMENT);
        assertIssuerRefuses(w, issuerClearing, byAcquirer, Reason.WRONG_SENDER, cardBefore);
        // An acquirer presenting straight to the issuer under its own name: a role that does not send it here.
        Path direct = presentmentFile("acq-to-issuer.txt", ACQUIRER, ISSUER, List.of(capture));
        acquirerTrust.signer().sign(direct, FileKind.PRESENTMENT);
        assertIssuerRefuses(w, issuerClearing, direct, Reason.WRONG_SENDER, cardBefore);
        Path unsigned = copy(issuerFile, "sw-unsigned.txt");
        Files.delete(FileSigner.signaturePath(unsigned));
        assertIssuerRefuses(w, issuerClearing, unsigned, Reason.UNSIGNED, cardBefore);

        Path resultFile = issuerClearing.apply(issuerFile);
        AccountBalance cardAfter = w.balance(CARD_ACCOUNT);
        assertThat(cardAfter.debitsPostedMinor() - cardBefore.debitsPostedMinor()).isEqualTo(3_000);
        assertIssuerRefuses(w, issuerClearing, copy(issuerFile, "sw-replay.txt"), Reason.REPLAYED, cardAfter);

        // 3. The issuer's result file at the switch.
        assertResultsRefused(clearing, flipped(resultFile, "iss-forged.txt"), Reason.FORGED, afterIntake);
        assertResultsRefused(clearing, truncated(resultFile, "iss-short.txt"), Reason.TRUNCATED, afterIntake);
        Path otherBank = copy(resultFile, "iss-resigned.txt");
        otherIssuer.signer().sign(otherBank, FileKind.PRESENTMENT_RESULT);
        assertResultsRefused(clearing, otherBank, Reason.WRONG_SENDER, afterIntake);
        Path byTheSwitch = copy(resultFile, "iss-by-switch.txt");
        switchTrust.signer().sign(byTheSwitch, FileKind.PRESENTMENT_RESULT);
        assertResultsRefused(clearing, byTheSwitch, Reason.WRONG_SENDER, afterIntake);
        Path resultUnsigned = copy(resultFile, "iss-unsigned.txt");
        Files.delete(FileSigner.signaturePath(resultUnsigned));
        assertResultsRefused(clearing, resultUnsigned, Reason.UNSIGNED, afterIntake);

        assertThat(clearing.recordIssuerResults(resultFile)).isEqualTo(new OnlineClearing.IssuerResults(1, 0, 0));
        List<List<String>> recorded = clearing.presentments(DAY);
        assertThat(recorded).isNotEqualTo(afterIntake);
        assertResultsRefused(clearing, copy(resultFile, "iss-replay.txt"), Reason.REPLAYED, recorded);
      }
      w.assertBooksBalance();
    }
  }

  private static void assertSwitchRefuses(OnlineClearing clearing, Path file, Reason reason) {
    OnlineClearing.Intake intake = clearing.accept(file);
    assertThat(intake.refusal()).as("%s", file.getFileName()).isEqualTo(OnlineClearing.Refusal.SIGNATURE);
    assertThat(intake.signatureReason()).as("%s", file.getFileName()).isEqualTo(reason);
    assertThat(intake.results()).isEmpty();
    assertThat(intake.resultFile()).isNull();
  }

  private static void assertIssuerRefuses(CardHostWorld w, CardClearing clearing, Path file, Reason reason,
      AccountBalance cardBefore) throws SQLException {
    long resultsBefore = storedResults(w);
    assertThatThrownBy(() -> clearing.apply(file)).as("%s", file.getFileName())
        .isInstanceOfSatisfying(SignedFileException.class, e -> assertThat(e.reason()).isEqualTo(reason));
    assertThat(w.balance(CARD_ACCOUNT)).isEqualTo(cardBefore);
    assertThat(storedResults(w)).isEqualTo(resultsBefore);
  }

  private static void assertResultsRefused(OnlineClearing clearing, Path file, Reason reason,
      List<List<String>> before) {
    assertThatThrownBy(() -> clearing.recordIssuerResults(file)).as("%s", file.getFileName())
        .isInstanceOfSatisfying(SignedFileException.class, e -> assertThat(e.reason()).isEqualTo(reason));
    assertThat(clearing.presentments(DAY)).isEqualTo(before);
  }

  private static long storedResults(CardHostWorld w) throws SQLException {
    try (Connection c = w.database.connection();
        PreparedStatement query = c.prepareStatement("SELECT COUNT(*) FROM issuer_clearing_result");
        ResultSet rows = query.executeQuery()) {
      rows.next();
      return rows.getLong(1);
    }
  }

  /** A copy of {@code file} and its signature under {@code name}, in the same directory. */
  private static Path copy(Path file, String name) throws IOException {
    Path target = file.resolveSibling(name);
    Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
    Files.copy(FileSigner.signaturePath(file), FileSigner.signaturePath(target), StandardCopyOption.REPLACE_EXISTING);
    return target;
  }

  /** A copy with one bit of its last record changed (an amount or a status), signature kept. */
  private static Path flipped(Path file, String name) throws IOException {
    Path target = copy(file, name);
    byte[] bytes = Files.readAllBytes(target);
    bytes[bytes.length / 2] ^= 0x01;
    Files.write(target, bytes);
    return target;
  }

  /** A copy one byte short, signature kept. */
  private static Path truncated(Path file, String name) throws IOException {
    Path target = copy(file, name);
    byte[] bytes = Files.readAllBytes(target);
    Files.write(target, java.util.Arrays.copyOf(bytes, bytes.length - 1));
    return target;
  }

  private Path presentmentFile(String name, PartyId sender, PartyId receiver, List<Presentment> presentments)
      throws IOException {
    Path path = Files.createDirectories(dir.resolve("acquirer-out")).resolve(name);
    try (OutputStream out = Files.newOutputStream(path)) {
      PresentmentFile.write(out, sender, receiver, DAY, 1, CNY, presentments);
    }
    return path;
  }

  private static OnlineSwitchConfig onlineConfig(CardHostWorld w, ZoneKeys acquirerKeys, StoreKeys storeKeys,
      int issuerPort) {
    StandInLimits limits = new StandInLimits(cny(5_000), cny(8_000), cny(100_000));
    return OnlineSwitchConfig.defaults(
        List.of(new AcquirerEndpoint(ACQUIRER, loopback(0), LinkSettings.defaults("99990000", "SWITCH01"), acquirerKeys)),
        List.of(new IssuerEndpoint(ISSUER, loopback(issuerPort), LinkSettings.defaults("99990000", "SWITCH01")
            .withRequestTimeoutMs(10_000).withEchoIntervalMs(0), w.zoneKeys(), 2_000, limits)),
        List.of(RANGES.get(0)), storeKeys);
  }
}
