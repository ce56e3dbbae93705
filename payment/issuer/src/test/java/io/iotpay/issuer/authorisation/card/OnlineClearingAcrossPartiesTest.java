package io.iotpay.issuer.authorisation.card;

import static io.iotpay.issuer.authorisation.card.CardHostWorld.CARD_ACCOUNT;
import static io.iotpay.issuer.authorisation.card.CardHostWorld.answer;
import static io.iotpay.issuer.authorisation.card.CardHostWorld.cny;
import static io.iotpay.issuer.authorisation.card.CardHostWorld.loopback;
import static io.iotpay.issuer.authorisation.card.CardHostWorld.SETTLEMENT;
import static io.iotpay.protocol.online.PresentmentResult.Status.ACCEPTED;
import static io.iotpay.protocol.online.PresentmentResult.Status.EXCEEDS_AUTHORISED;
import static io.iotpay.protocol.online.PresentmentResult.Status.NOT_CAPTURED;
import static io.iotpay.protocol.online.PresentmentResult.Status.NO_AUTHORISATION;
import static io.iotpay.protocol.online.PresentmentResult.Status.REVERSED;
import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.store.Database;
import io.iotpay.ledger.AccountBalance;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.file.FileLimits;
import io.iotpay.protocol.file.PresentmentFile;
import io.iotpay.protocol.file.PresentmentResultFile;
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
import io.iotpay.protocol.iso8583.ReversalRequest;
import io.iotpay.protocol.iso8583.ZoneKeys;
import io.iotpay.protocol.online.Presentment;
import io.iotpay.protocol.online.PresentmentResult;
import io.iotpay.protocol.settlement.NetPosition;
import io.iotpay.protocol.transit.CardRange;
import io.iotpay.switching.SwitchConfig;
import io.iotpay.switching.online.AcquirerEndpoint;
import io.iotpay.switching.online.IssuerEndpoint;
import io.iotpay.switching.online.OnlineClearing;
import io.iotpay.switching.online.OnlineSwitch;
import io.iotpay.switching.online.OnlineSwitchConfig;
import io.iotpay.switching.online.StandInLimits;
import io.iotpay.switching.online.StoreKeys;
import io.iotpay.switching.transit.SettlementRun;
import io.iotpay.switching.transit.TransitSwitch;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Clearing of online card payments across the parties, on real parts: the card host (real ledger,
 * real ARQCs) behind a real {@link OnlineSwitch} over loopback TCP, an acquirer link sending the
 * authorisations, the switch's {@link OnlineClearing} taking the acquirer's presentment files and
 * writing the issuer's, {@link CardClearing} applying them at the issuer, and the transit switch's
 * T+1 run netting the online captures and refunds with transit (no transit traffic here, one
 * operator with a zero position). Both suites; SQLite, and PostgreSQL when {@code
 * IOTPAY_TEST_POSTGRES_URL} is set.
 */
class OnlineClearingAcrossPartiesTest {
  private static final Iso8583Wire WIRE = Iso8583Wire.load();
  private static final PartyId SWITCH = PartyId.of("SWITCH");
  private static final PartyId ACQUIRER = PartyId.of("ACQ1");
  private static final PartyId ISSUER = PartyId.of("ISSA");
  private static final PartyId OPERATOR = PartyId.of("METRO-A");
  private static final List<CardRange> RANGES = List.of(new CardRange("621234", ISSUER));
  private static final LocalDate DAY = LocalDate.of(2026, 12, 7);
  private static final CurrencyUnit CNY = CurrencyUnit.CNY;
  private static final long SWITCH_BOOK = 2;
  private static final long SWITCH_ACCOUNTS = 10_000;

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void aDayOfCapturesRefundsAndStandIn_clearsOnce_andSettlesWithTransit_onSqlite(AlgorithmSuite suite) throws Exception {
    try (CardHostWorld w = new CardHostWorld(suite, dir);
        Database switchDatabase = Database.open("jdbc:sqlite:" + dir.resolve("switch.db"), 4)) {
      scenario(w, switchDatabase);
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void theSameDay_onPostgres(AlgorithmSuite suite) throws Exception {
    try (CardHostWorld w = CardHostWorld.onPostgres(suite, dir);
        Database switchDatabase = Database.open(w.jdbcUrl, 4)) {
      scenario(w, switchDatabase);
    }
  }

  private void scenario(CardHostWorld w, Database switchDatabase) throws Exception {
    AlgorithmSuite suite = w.suite;
    ZoneKeys acquirerKeys = new ZoneKeys(suite, SecretKeyBytes.fromHex("0123456789ABCDEFFEDCBA9876543211"),
        SecretKeyBytes.fromHex("00112233445566778899AABBCCDDEEF1"), 30_000);
    StoreKeys storeKeys = new StoreKeys(suite, SecretKeyBytes.fromHex("A0A1A2A3A4A5A6A7A8A9AAABACADAEAF"),
        SecretKeyBytes.fromHex("B0B1B2B3B4B5B6B7B8B9BABBBCBDBEBF"), SecretKeyBytes.fromHex("C0C1C2C3C4C5C6C7C8C9CACBCCCDCECF"));
    int issuerPort = freePort();
    StandInLimits limits = new StandInLimits(cny(5_000), cny(8_000), cny(100_000));
    OnlineSwitchConfig config = OnlineSwitchConfig.defaults(
        List.of(new AcquirerEndpoint(ACQUIRER, loopback(0), LinkSettings.defaults("99990000", "SWITCH01"), acquirerKeys)),
        List.of(new IssuerEndpoint(ISSUER, loopback(issuerPort), LinkSettings.defaults("99990000", "SWITCH01")
            .withRequestTimeoutMs(10_000).withEchoIntervalMs(0), w.zoneKeys(), 2_000, limits)),
        RANGES, storeKeys).withAdviceRetryMs(50);
    OnlineClearing clearing = new OnlineClearing(new OnlineClearing.Config(SWITCH, CNY, RANGES, List.of(ACQUIRER),
        FileLimits.defaults()), switchDatabase, storeKeys, dir.resolve("switch-clearing"));
    CardClearing issuerClearing = new CardClearing(ISSUER, w.service, w.database, FileLimits.defaults(), dir.resolve("issuer-in"));
    Iso8583Server issuerLink = null;
    try (OnlineSwitch online = new OnlineSwitch(config, switchDatabase, WIRE).start();
        TransitSwitch transit = new TransitSwitch(SwitchConfig.of(SWITCH, SWITCH_BOOK, SWITCH_ACCOUNTS, 0, RANGES,
            List.of(OPERATOR)), w.ledger, switchDatabase, dir.resolve("switch-work"), List.of(clearing));
        Iso8583Client acquirer = new Iso8583Client(loopback(online.port(ACQUIRER)), LinkSettings.defaults("48020000",
            "ACQNODE1").withRequestTimeoutMs(15_000).withEchoIntervalMs(0), acquirerKeys, WIRE)) {
      // The issuer is down: the switch stands in for 5.00 and queues the advice.
      CardTransaction standIn = w.purchase(1, 500, 70);
      CardResponse standInAnswer = answer(acquirer, new AuthorisationRequest(standIn));
      assertThat(standInAnswer.responseCode()).isEqualTo(ResponseCode.APPROVED);
      assertThat(standInAnswer.approvalCode()).startsWith("S");
      // The issuer comes up: the advice is posted, then the day's authorisations reach it.
      issuerLink = new Iso8583Server(LinkSettings.defaults("48020000", "ISSUER01").withEchoIntervalMs(0), w.zoneKeys(),
          w.service, WIRE).start(loopback(issuerPort));
      await(() -> online.pendingAdvices(ISSUER) == 0, "the stand-in advice is delivered");
      CardTransaction full = w.purchase(2, 3_000, 71);
      CardTransaction partial = w.purchase(3, 2_000, 72);
      CardTransaction reversed = w.purchase(4, 1_000, 73);
      CardTransaction overCaptured = w.purchase(5, 800, 74);
      Map<Integer, String> codes = new java.util.HashMap<>();
      for (CardTransaction t : List.of(full, partial, reversed, overCaptured)) {
        CardResponse response = answer(acquirer, new AuthorisationRequest(t));
        assertThat(response.responseCode()).as("stan %s", t.stan()).isEqualTo(ResponseCode.APPROVED);
        codes.put(t.stan(), response.approvalCode());
      }
      codes.put(1, standInAnswer.approvalCode());
      CardResponse reversal = answer(acquirer, new ReversalRequest(Mti.REVERSAL_REQUEST,
          CardHostWorld.transaction(CardHostWorld.PAN, 6, 1_000, null), ResponseCode.ISSUER_UNAVAILABLE,
          OriginalData.of(Mti.AUTHORISATION_REQUEST, reversed)));
      assertThat(reversal.responseCode()).isEqualTo(ResponseCode.APPROVED);
      assertThat(online.flushLog(20_000)).isTrue();

      // Day end: the acquirer's file 1.
      List<Presentment> day = List.of(
          capture("C-FULL", full, 3_000, codes.get(2)),
          capture("C-PART", partial, 1_200, codes.get(3)),
          capture("C-REV", reversed, 1_000, codes.get(4)),
          capture("C-STIP", standIn, 500, codes.get(1)),
          capture("C-OVER", overCaptured, 801, codes.get(5)),
          capture("C-FORGED", CardHostWorld.transaction(CardHostWorld.PAN, 99, 700, null), 700, "123456"),
          refund("R-EARLY", overCaptured, 100));
      Path file1 = presentmentFile("acq-1.txt", 1, day);
      OnlineClearing.Intake intake = clearing.accept(file1);
      assertThat(intake.taken()).isTrue();
      assertThat(intake.results()).extracting(PresentmentResult::presentmentId, PresentmentResult::status)
          .containsExactly(tuple("C-FULL", ACCEPTED), tuple("C-PART", ACCEPTED), tuple("C-REV", REVERSED),
              tuple("C-STIP", ACCEPTED), tuple("C-OVER", EXCEEDS_AUTHORISED), tuple("C-FORGED", NO_AUTHORISATION),
              tuple("R-EARLY", NOT_CAPTURED));
      try (InputStream in = Files.newInputStream(intake.resultFile())) {
        assertThat(PresentmentResultFile.read(in, FileLimits.defaults()).results()).isEqualTo(intake.results());
      }

      // A replayed file, and the same presentments re-sequenced, are refused and change nothing.
      List<List<String>> before = clearing.presentments(DAY);
      assertThat(clearing.accept(file1).refusal()).isEqualTo(OnlineClearing.Refusal.REPLAYED);
      assertThat(clearing.accept(presentmentFile("acq-1-again.txt", 2, day)).refusal())
          .isEqualTo(OnlineClearing.Refusal.REPLAYED);
      assertThat(clearing.accept(presentmentFile("acq-gap.txt", 3, List.of(refund("R-GAP", full, 1)))).refusal())
          .isEqualTo(OnlineClearing.Refusal.OUT_OF_SEQUENCE);
      assertThat(clearing.presentments(DAY)).isEqualTo(before);

      // The issuer's file: the three accepted captures; applied twice, the second time changes nothing.
      Map<PartyId, Path> issuerFiles = clearing.writeIssuerFiles(DAY);
      assertThat(issuerFiles).containsOnlyKeys(ISSUER);
      Path results1 = issuerClearing.apply(issuerFiles.get(ISSUER));
      AccountBalance cardAfterFirst = w.balance(CARD_ACCOUNT);
      Path results1Again = issuerClearing.apply(issuerFiles.get(ISSUER));
      assertThat(w.balance(CARD_ACCOUNT)).isEqualTo(cardAfterFirst);
      assertThat(Files.readAllBytes(results1Again)).isEqualTo(Files.readAllBytes(results1));
      assertThat(readResults(results1)).extracting(PresentmentResult::presentmentId, PresentmentResult::status)
          .containsExactlyInAnyOrder(tuple("C-FULL", ACCEPTED), tuple("C-PART", ACCEPTED), tuple("C-STIP", ACCEPTED));
      assertThat(clearing.recordIssuerResults(results1)).isEqualTo(new OnlineClearing.IssuerResults(3, 0, 0));
      assertThat(clearing.recordIssuerResults(results1)).isEqualTo(new OnlineClearing.IssuerResults(0, 3, 0));
      assertThat(clearing.writeIssuerFiles(DAY)).isEmpty(); // nothing new to send

      // File 2: a refund of a cleared capture.
      OnlineClearing.Intake second = clearing.accept(presentmentFile("acq-2.txt", 2, List.of(refund("R-FULL", full, 1_000))));
      assertThat(second.results()).extracting(PresentmentResult::status).containsExactly(ACCEPTED);
      Path results2 = issuerClearing.apply(clearing.writeIssuerFiles(DAY).get(ISSUER));
      assertThat(readResults(results2)).extracting(PresentmentResult::status).containsExactly(ACCEPTED);
      assertThat(clearing.recordIssuerResults(results2).recorded()).isEqualTo(1);

      // The issuer's books: 30.00 + 12.00 captured, 5.00 posted by the advice, 10.00 refunded; 8.00 still held.
      AccountBalance card = w.balance(CARD_ACCOUNT);
      assertThat(card.debitsPostedMinor()).isEqualTo(4_700);
      assertThat(card.creditsPostedMinor()).isEqualTo(10_000 + 1_000);
      assertThat(card.debitsPendingMinor()).isEqualTo(800);
      AccountBalance owedToScheme = w.balance(SETTLEMENT);
      assertThat(owedToScheme.creditsPostedMinor() - owedToScheme.debitsPostedMinor()).isEqualTo(3_700);

      // T+1: one report for all schemes; captures − refunds per party; positions sum to zero.
      SettlementRun run = transit.settle(DAY, DAY.plusDays(1));
      assertThat(run.report().positions()).extracting(p -> p.party().value(), p -> p.net().amountMinor())
          .containsExactly(tuple("ACQ1", 3_700L), tuple("ISSA", -3_700L), tuple("METRO-A", 0L));
      assertThat(run.report().positions().stream().mapToLong(p -> p.net().amountMinor()).sum()).isZero();
      assertThat(run.report().recordsSettled()).isEqualTo(4);
      assertThat(run.reportFiles()).containsOnlyKeys(PartyId.of("ACQ1"), ISSUER, OPERATOR);
      assertThat(w.balance(transit.settlementAccountId()).debitsPostedMinor())
          .isEqualTo(w.balance(transit.settlementAccountId()).creditsPostedMinor());
      for (long account : new long[] {transit.dueFromIssuerAccountId(ISSUER), transit.dueToOperatorAccountId(ACQUIRER),
          transit.dueToOperatorAccountId(OPERATOR)}) {
        AccountBalance b = w.balance(account);
        assertThat(b.debitsPostedMinor()).as("account %s", account).isEqualTo(b.creditsPostedMinor());
      }
      // The settled day takes no more presentments.
      assertThat(clearing.accept(presentmentFile("acq-3.txt", 3, List.of(refund("R-LATE", full, 1)))).refusal())
          .isEqualTo(OnlineClearing.Refusal.DAY_SETTLED);
      w.assertBooksBalance();
      assertThat(online.query("SELECT pan_masked FROM online_presentment")).hasSize(8)
          .allSatisfy(row -> assertThat(row.get(0)).isEqualTo(CardHostWorld.PAN.masked()));
    } finally {
      if (issuerLink != null) {
        issuerLink.close();
      }
    }
    w.assertAuditVerifies();
  }

  private static org.assertj.core.groups.Tuple tuple(Object... values) {
    return org.assertj.core.groups.Tuple.tuple(values);
  }

  private static Presentment capture(String id, CardTransaction t, long amountMinor, String approvalCode) {
    return new Presentment(id, Presentment.Kind.CAPTURE, ACQUIRER, OriginalData.of(Mti.AUTHORISATION_REQUEST, t), t.rrn(),
        t.terminalId(), t.merchantId(), t.pan(), amountMinor, CNY, approvalCode, DAY);
  }

  private static Presentment refund(String id, CardTransaction t, long amountMinor) {
    return new Presentment(id, Presentment.Kind.REFUND, ACQUIRER, OriginalData.of(Mti.AUTHORISATION_REQUEST, t), t.rrn(),
        t.terminalId(), t.merchantId(), t.pan(), amountMinor, CNY, "000000", DAY);
  }

  private Path presentmentFile(String name, long sequence, List<Presentment> presentments) throws IOException {
    Path path = Files.createDirectories(dir.resolve("acquirer-out")).resolve(name);
    try (OutputStream out = Files.newOutputStream(path)) {
      PresentmentFile.write(out, ACQUIRER, SWITCH, DAY, sequence, CNY, presentments);
    }
    return path;
  }

  private static List<PresentmentResult> readResults(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return PresentmentResultFile.read(in, FileLimits.defaults()).results();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static void await(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      LockSupport.parkNanos(1_000_000);
    }
  }
}
