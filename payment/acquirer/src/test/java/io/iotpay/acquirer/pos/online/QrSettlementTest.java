package io.iotpay.acquirer.pos.online;

import static io.iotpay.acquirer.pos.online.OnlineWorld.WIRE;
import static io.iotpay.acquirer.pos.online.OnlineWorld.join;
import static io.iotpay.acquirer.pos.online.OnlineWorld.loopback;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iotpay.acquirer.pos.qr.QrCreditHost;
import io.iotpay.foundation.codec.PositiveIds;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.money.Money;
import io.iotpay.foundation.store.Database;
import io.iotpay.foundation.store.SqlRows;
import io.iotpay.issuer.authorisation.card.CardClearing;
import io.iotpay.issuer.qr.PushCreditService;
import io.iotpay.ledger.Account;
import io.iotpay.ledger.AccountBalance;
import io.iotpay.ledger.audit.AuditJournal;
import io.iotpay.ledger.Ledger;
import io.iotpay.ledger.LedgerConfig;
import io.iotpay.ledger.Transfer;
import io.iotpay.ledger.TransferResult;
import io.iotpay.phone.pos.QrCheckout;
import io.iotpay.phone.wallet.IssuerApp;
import io.iotpay.protocol.Pan;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.file.FileLimits;
import io.iotpay.protocol.file.PresentmentFile;
import io.iotpay.protocol.iso8583.AuthorisationRequest;
import io.iotpay.protocol.iso8583.CardResponse;
import io.iotpay.protocol.iso8583.CardTransaction;
import io.iotpay.protocol.iso8583.FinancialRequest;
import io.iotpay.protocol.iso8583.Iso8583Client;
import io.iotpay.protocol.iso8583.LinkSettings;
import io.iotpay.protocol.iso8583.MonthDayTime;
import io.iotpay.protocol.iso8583.Outcome;
import io.iotpay.protocol.iso8583.ResponseCode;
import io.iotpay.protocol.online.Presentment;
import io.iotpay.protocol.qr.PushCreditOutcome;
import io.iotpay.protocol.qr.QrMerchant;
import io.iotpay.protocol.settlement.NetPosition;
import io.iotpay.protocol.settlement.SettlementReport;
import io.iotpay.protocol.transit.CardRange;
import io.iotpay.switching.SwitchConfig;
import io.iotpay.switching.online.OnlineClearing;
import io.iotpay.switching.online.PushCreditClearing;
import io.iotpay.switching.settlement.GrossSource;
import io.iotpay.switching.transit.TransitSwitch;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Merchant-presented push credits settle with the card payments (docs/qr.md, "Settlement of push
 * credits"), on real parts under both suites: the issuer's card host and push-credit service, the
 * online switch and its push-credit node (each with its message log), the online clearing and the
 * push-credit source in one T+1 settlement run with a real switch ledger, the acquirer's host and QR
 * credit host paying the merchant. Two windows: the first with a tap, a consumer-presented payment,
 * push credits paid, refused, repeated on the wire and reversed before the cut-off, and one whose
 * reversal is lost until after it; the second with a new push credit and that late reversal.
 */
class QrSettlementTest {
  private static final PartyId SWITCH = PartyId.of("SWITCH");
  private static final LocalDate T = OnlineWorld.TODAY;
  private static final long ISSUER_AT_SETTLEMENT_BANK = 40;
  private static final long ACQ_AT_SETTLEMENT_BANK = 3;
  private static final long PROXIED_LINK_TIMEOUT_MS = 1_500;
  private static final long LOG_WAIT_MS = 10_000;

  @TempDir Path dir;

  private static Money cny(long minor) {
    return Money.ofMinor(minor, CurrencyUnit.CNY);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void pushCredits_settleWithCardPayments_onceEach_positionsSumToZero_merchantPaidOnce(AlgorithmSuite suite)
      throws Exception {
    try (QrWorld qr = new QrWorld(suite, dir); Scheme scheme = new Scheme(qr, dir);
        FrameProxy lossy = new FrameProxy(loopback(qr.pushSwitch.port(OnlineWorld.ISSUER)));
        Iso8583Client lossyLink = new Iso8583Client(lossy.address(), LinkSettings.defaults(QrWorld.ISSUER_INSTITUTION,
            "ISSQR002").withRequestTimeoutMs(PROXIED_LINK_TIMEOUT_MS).withEchoIntervalMs(0), qr.world.zoneKeys(4),
            WIRE)) {
      OnlineWorld w = qr.world;
      PushCreditService lossyService = new PushCreditService(w.issuerDb, w.issuerLedger, qr.tokens, lossyLink,
          QrWorld.ISSUER_INSTITUTION, OnlineWorld.ISSUER_SETTLEMENT, w.issuerClock.asJavaClock());
      IssuerApp lossyApp = new IssuerApp(qr.se.channel(), QrWorld.TOKEN, YearMonth.of(2029, 12), lossyService::pay,
          w.issuerClock.asJavaClock());
      Pan account = qr.qrHost.openAccount(w.merchant);
      String staticCode = QrCheckout.showCode("Noodle Stall", "Shanghai", "5812", account, null, null).text();

      // Day T: a tap and a consumer-presented payment (captured at day end), push credits of every kind.
      CardTransaction tap = w.purchase(w.nextStan(), 1_000, 1, false);
      assertThat(w.send(new AuthorisationRequest(tap)).responseCode()).isEqualTo(ResponseCode.APPROVED);
      assertThat(qr.checkout.chargeConsumerCode(qr.app.paymentCode(), cny(1_234)).result())
          .isEqualTo(QrCheckout.Result.APPROVED);
      PushCreditOutcome paid = qr.app.payMerchantCode(staticCode, cny(800), "pay-800");
      assertThat(paid.paid()).isTrue();
      assertThat(qr.app.payMerchantCode(staticCode, cny(800), "pay-800")).isEqualTo(paid);
      assertThat(repeatOnTheWire(qr, "pay-800", account, 800)).isEqualTo(ResponseCode.APPROVED);
      String order = qr.qrHost.issueOrder(w.merchant, cny(2_000));
      String forged = QrCheckout.showCode("Noodle Stall", "Shanghai", "5812", account, cny(20), order).text();
      assertThat(qr.app.payMerchantCode(forged, null, "pay-forged").responseCode()).isEqualTo("13");
      lossy.dropBack("0210", 1); // answer lost: the issuer reverses at once, before the cut-off
      assertThat(lossyApp.payMerchantCode(staticCode, cny(450), "pay-450-reversed").paid()).isFalse();
      lossy.dropBack("0210", 1); // answer and reversal lost: the acquirer credited it, the issuer cannot tell
      lossy.dropForward("0400", 1);
      assertThat(lossyApp.payMerchantCode(staticCode, cny(600), "pay-600-late").reason())
          .contains("reversal pending");

      SettlementReport first = scheme.dayEndAndSettle(T, true);
      assertThat(positions(first)).containsExactlyInAnyOrderEntriesOf(Map.of(OnlineWorld.ISSUER, -3_634L,
          OnlineWorld.ACQUIRER, 3_634L)); // captures 1,000 + 1,234, push credits 800 + 600
      assertThat(first.recordsSettled()).isEqualTo(4);
      assertThat(scheme.push.approvedNotSettled()).isZero();
      scheme.payPositions(T, first);
      List<MerchantPayout> payouts = w.host.payMerchants(T, qr.qrHost);
      long mdr = AcquirerHost.mdr(2_234, OnlineWorld.MDR_BPS) + AcquirerHost.mdr(1_400, OnlineWorld.MDR_BPS);
      assertThat(payouts).containsExactly(new MerchantPayout(w.merchant, w.host.merchantPayableAccount(w.merchant),
          2_234, 0, 1_400, 0, mdr, 3_634 - mdr));
      assertThat(w.host.payMerchants(T, qr.qrHost)).isEqualTo(payouts);
      long merchantAccount = w.host.merchantPayableAccount(w.merchant);
      assertThat(w.acquirerAccount(merchantAccount).creditBalanceMinor()).isEqualTo(3_634 - mdr);
      assertNothingLeftAtTheSettlementAccounts(w);
      assertThat(scheme.push.close(T)).isEqualTo(scheme.firstPushGross);
      assertThatThrownBy(() -> scheme.transit.settle(T, T.plusDays(1))).isInstanceOf(IllegalStateException.class);

      // Day T+1: the lost reversal gets through, and a new push credit.
      assertThat(lossyService.resume()).isEqualTo(1);
      assertThat(qr.app.payMerchantCode(staticCode, cny(300), "pay-300").paid()).isTrue();
      SettlementReport second = scheme.dayEndAndSettle(T.plusDays(1), false);
      assertThat(positions(second)).containsExactlyInAnyOrderEntriesOf(Map.of(OnlineWorld.ISSUER, 300L,
          OnlineWorld.ACQUIRER, -300L)); // 300 new, 600 settled back
      assertThat(scheme.push.approvedNotSettled()).isZero();
      scheme.payPositions(T.plusDays(1), second);
      long mdr2 = AcquirerHost.mdr(300, OnlineWorld.MDR_BPS);
      assertThat(w.host.payMerchants(T.plusDays(1), qr.qrHost)).containsExactly(new MerchantPayout(w.merchant,
          merchantAccount, 0, 0, 300, 600, mdr2, 300 - 600 - mdr2));
      assertThat(w.acquirerAccount(merchantAccount).creditBalanceMinor()).isEqualTo(3_634 - mdr + 300 - 600 - mdr2);
      assertNothingLeftAtTheSettlementAccounts(w);

      assertThat(scheme.push.settledCredits()).extracting(PushCreditClearing.Settled::amountMinor,
          PushCreditClearing.Settled::settledOn, PushCreditClearing.Settled::reversedOn).containsExactlyInAnyOrder(
              org.assertj.core.groups.Tuple.tuple(800L, T, null),
              org.assertj.core.groups.Tuple.tuple(600L, T, T.plusDays(1)),
              org.assertj.core.groups.Tuple.tuple(300L, T.plusDays(1), null));
      assertThat(qr.qrHost.credits()).filteredOn(c -> c.amountMinor() == 450).singleElement()
          .satisfies(c -> assertThat(c.state()).isEqualTo("REVERSED"))
          .satisfies(c -> assertThat(c.payoutDate()).isNull());
      // The cardholder paid the captures and the push credits that stand, nothing else.
      assertThat(w.card().debitsPostedMinor() - (w.card().creditsPostedMinor() - OnlineWorld.CARD_FUNDS))
          .isEqualTo(1_000 + 1_234 + 800 + 300);
      w.assertBooksBalance();
      scheme.assertSwitchAccountsAtZero();
    }
  }

  /** The issuer's and the acquirer's settlement accounts are back to zero: each window paid what it owed. */
  private static void assertNothingLeftAtTheSettlementAccounts(OnlineWorld w) {
    AccountBalance issuer = w.issuerLedger.balance(OnlineWorld.ISSUER_SETTLEMENT).orElseThrow();
    assertThat(issuer.creditsPostedMinor() - issuer.debitsPostedMinor()).isZero();
    AccountBalance acquirer = w.acquirerAccount(OnlineWorld.ACQ_SETTLEMENT);
    assertThat(acquirer.creditsPostedMinor() - acquirer.debitsPostedMinor()).isZero();
  }

  /** The very 0200 the issuer sent for {@code paymentId}, sent again on its link (a repeat on the wire). */
  private static ResponseCode repeatOnTheWire(QrWorld qr, String paymentId, Pan account, long amountMinor) {
    Object[] sent = new SqlRows(qr.world.issuerDb, "test").one("SELECT stan, field7, local_time FROM issuer_qr_push"
        + " WHERE payment_id = ?", rs -> new Object[] {rs.getInt(1), rs.getString(2), rs.getString(3)}, paymentId)
        .orElseThrow();
    String rrn = "S" + String.format("%011d", PositiveIds.of("rrn|" + paymentId) % 100_000_000_000L);
    CardTransaction again = new CardTransaction(account, QrMerchant.PUSH_CREDIT_PROCESSING_CODE, cny(amountMinor),
        MonthDayTime.parseField7((String) sent[1]), (Integer) sent[0], MonthDayTime.parseField7((String) sent[2]),
        YearMonth.of(2099, 12), QrMerchant.QR_ENTRY_MODE, null, QrWorld.ISSUER_INSTITUTION, rrn, "QRPUSH01",
        "ISSUER QR PUSH ", null, null);
    Outcome outcome = qr.issuerPushLink.send(new FinancialRequest(again));
    assertThat(outcome).isInstanceOf(Outcome.Answered.class);
    return ((CardResponse) ((Outcome.Answered) outcome).response()).responseCode();
  }

  private static Map<PartyId, Long> positions(SettlementReport report) {
    assertThat(report.positions().stream().mapToLong(p -> p.net().amountMinor()).sum()).isZero();
    return report.positions().stream().collect(java.util.stream.Collectors.toMap(NetPosition::party,
        p -> p.net().amountMinor()));
  }

  /** The switch's clearing and settlement beside the world's online switch and push-credit node. */
  private static final class Scheme implements AutoCloseable {
    private final QrWorld qr;
    private final Path dir;
    private final Database ledgerDb;
    private final Ledger ledger;
    final OnlineClearing cards;
    final PushCreditClearing push;
    final TransitSwitch transit;
    final CardClearing issuerClearing;
    GrossSource.Gross firstPushGross;
    private int fileSequence;

    Scheme(QrWorld qr, Path dir) throws Exception {
      this.qr = qr;
      this.dir = dir;
      OnlineWorld w = qr.world;
      List<CardRange> ranges = List.of(new CardRange("621234", OnlineWorld.ISSUER));
      cards = new OnlineClearing(new OnlineClearing.Config(SWITCH, CurrencyUnit.CNY, ranges,
          List.of(OnlineWorld.ACQUIRER), FileLimits.defaults()), w.switchDb, w.switchStoreKeys(),
          dir.resolve("switch-clearing"));
      push = new PushCreditClearing(new PushCreditClearing.Config(List.of(OnlineWorld.ISSUER),
          List.of(QrWorld.ACQUIRER_QR), CurrencyUnit.CNY), qr.pushSwitchDb);
      ledgerDb = Database.open("jdbc:sqlite:" + dir.resolve("switch-ledger.db"), 4);
      ledger = Ledger.open(ledgerDb, LedgerConfig.defaults(), w.acquirerClock, AuditJournal.none());
      transit = new TransitSwitch(SwitchConfig.of(SWITCH, 30, 30_000, 3_000_000_000L, ranges, List.of()), ledger,
          ledgerDb, dir.resolve("settlement"), List.of(cards, recording(push)));
      issuerClearing = new CardClearing(OnlineWorld.ISSUER, w.issuer, w.issuerDb, FileLimits.defaults(),
          dir.resolve("issuer-clearing"));
      join(w.issuerLedger.createAccounts(List.of(Account.of(ISSUER_AT_SETTLEMENT_BANK, OnlineWorld.ISSUER_BOOK,
          CurrencyUnit.CNY))));
      join(w.acquirerLedger.createAccounts(List.of(Account.of(ACQ_AT_SETTLEMENT_BANK, OnlineWorld.ACQ_BOOK,
          CurrencyUnit.CNY))));
    }

    /** Remembers window T's push gross as the run saw it. */
    private GrossSource recording(PushCreditClearing source) {
      return new GrossSource() {
        @Override
        public List<PartyId> participants() {
          return source.participants();
        }

        @Override
        public Gross close(LocalDate businessDate) {
          Gross gross = source.close(businessDate);
          if (firstPushGross == null) {
            firstPushGross = gross;
          }
          return gross;
        }

        @Override
        public void settled(LocalDate businessDate) {
          source.settled(businessDate);
        }
      };
    }

    /** Day end (presentments to the switch, sent twice when asked, the issuer's file applied) and T+1 settlement. */
    SettlementReport dayEndAndSettle(LocalDate day, boolean sendFileTwice) throws Exception {
      OnlineWorld w = qr.world;
      assertThat(w.onlineSwitch.flushLog(LOG_WAIT_MS)).isTrue();
      List<Presentment> batch = w.host.dayEnd(day);
      Path file = Files.createDirectories(dir.resolve("acquirer-out")).resolve("presentments-" + day + ".txt");
      try (OutputStream out = Files.newOutputStream(file)) {
        PresentmentFile.write(out, OnlineWorld.ACQUIRER, SWITCH, day, ++fileSequence, CurrencyUnit.CNY, batch);
      }
      assertThat(cards.accept(file).taken()).isTrue();
      if (sendFileTwice) {
        assertThat(cards.accept(file).refusal()).isEqualTo(OnlineClearing.Refusal.REPLAYED);
      }
      for (Path issuerFile : cards.writeIssuerFiles(day).values()) {
        cards.recordIssuerResults(issuerClearing.apply(issuerFile));
      }
      assertThat(qr.pushSwitch.flushLog(LOG_WAIT_MS)).isTrue();
      return transit.settle(day, day.plusDays(1)).report();
    }

    /** Each party pays or receives its position at the settlement bank, as the demo's nodes do. */
    void payPositions(LocalDate day, SettlementReport report) {
      OnlineWorld w = qr.world;
      long id = 1_000 + day.toEpochDay() % 100_000;
      for (NetPosition position : report.positions()) {
        long net = position.net().amountMinor();
        boolean issuer = position.party().equals(OnlineWorld.ISSUER);
        Ledger books = issuer ? w.issuerLedger : w.acquirerLedger;
        long own = issuer ? OnlineWorld.ISSUER_SETTLEMENT : OnlineWorld.ACQ_SETTLEMENT;
        long bank = issuer ? ISSUER_AT_SETTLEMENT_BANK : ACQ_AT_SETTLEMENT_BANK;
        Transfer transfer = net < 0 ? Transfer.single(id, own, bank, -net) : Transfer.single(id, bank, own, net);
        assertThat(join(books.submit(List.of(transfer)))).containsOnly(TransferResult.OK);
      }
    }

    void assertSwitchAccountsAtZero() {
      for (AccountBalance b : ledger.balances().values()) {
        assertThat(b.debitsPostedMinor()).isEqualTo(b.creditsPostedMinor());
      }
    }

    @Override
    public void close() {
      transit.close();
      ledger.close();
      ledgerDb.close();
    }
  }
}
