package io.iotpay.switching.online;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.money.Money;
import io.iotpay.foundation.store.Database;
import io.iotpay.protocol.Pan;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.iso8583.CardResponse;
import io.iotpay.protocol.iso8583.CardTransaction;
import io.iotpay.protocol.iso8583.FinancialRequest;
import io.iotpay.protocol.iso8583.Iso8583Message;
import io.iotpay.protocol.iso8583.MonthDayTime;
import io.iotpay.protocol.iso8583.Mti;
import io.iotpay.protocol.iso8583.OriginalData;
import io.iotpay.protocol.iso8583.ResponseCode;
import io.iotpay.protocol.iso8583.ReversalRequest;
import io.iotpay.switching.settlement.GrossSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.MonthDay;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link PushCreditClearing} over the push-credit node's message log as the switch writes it
 * ({@link OnlineStore#insertLog}), on SQLite and on PostgreSQL (when {@code
 * IOTPAY_TEST_POSTGRES_URL} is set): what settles, once, and what never does. No key is involved:
 * the rows are what the switch logged, whatever the suite of the links.
 */
class PushCreditClearingTest {
  private static final PartyId ISSUER_A = PartyId.of("ISSA");
  private static final PartyId ISSUER_B = PartyId.of("ISSB");
  private static final PartyId ACQUIRER = PartyId.of("ACQ1");
  private static final Pan ACCOUNT = Pan.withCheckDigit("629999000000001");
  private static final LocalDate T = LocalDate.of(2026, 12, 7);

  @TempDir Path dir;

  @Test
  void onSqlite_approvedCreditsSettleOnce_declinedStandInDuplicateReversedAndForeignNever() {
    try (Database db = Database.open("jdbc:sqlite:" + dir.resolve("push.db"), 4)) {
      scenario(db);
    }
  }

  @Test
  void onPostgres_approvedCreditsSettleOnce_declinedStandInDuplicateReversedAndForeignNever() throws Exception {
    String base = System.getenv("IOTPAY_TEST_POSTGRES_URL");
    Assumptions.assumeTrue(base != null && !base.isBlank(), "IOTPAY_TEST_POSTGRES_URL not set: PostgreSQL test skipped");
    String schema = "t_" + UUID.randomUUID().toString().replace("-", "");
    try (Connection c = DriverManager.getConnection(base); Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    }
    try (Database db = Database.open(base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema, 4)) {
      scenario(db);
    }
  }

  private static void scenario(Database db) {
    OnlineStore log = new OnlineStore(db);
    PushCreditClearing clearing = new PushCreditClearing(new PushCreditClearing.Config(List.of(ISSUER_A, ISSUER_B),
        List.of(ACQUIRER), CurrencyUnit.CNY), db);
    CardTransaction paid = credit(ISSUER_A, 11, 800, "260000", CurrencyUnit.CNY);
    CardTransaction late = credit(ISSUER_B, 12, 600, "260000", CurrencyUnit.CNY);
    log.insertLog(List.of(
        entry(paid, ResponseCode.APPROVED, AnsweredBy.ISSUER),
        entry(paid, ResponseCode.APPROVED, AnsweredBy.DUPLICATE), // answered from the switch's memory
        entry(paid, ResponseCode.APPROVED, AnsweredBy.ISSUER), // forwarded again, the acquirer answered the same
        entry(late, ResponseCode.APPROVED, AnsweredBy.ISSUER),
        entry(credit(ISSUER_A, 13, 700, "260000", CurrencyUnit.CNY), ResponseCode.INVALID_AMOUNT, AnsweredBy.ISSUER),
        entry(credit(ISSUER_A, 14, 900, "260000", CurrencyUnit.CNY), ResponseCode.ISSUER_UNAVAILABLE,
            AnsweredBy.STAND_IN),
        entry(credit(ISSUER_A, 14, 900, "260000", CurrencyUnit.CNY), ResponseCode.APPROVED, AnsweredBy.ISSUER_LATE),
        entry(credit(ISSUER_A, 15, 1_000, "000000", CurrencyUnit.CNY), ResponseCode.APPROVED, AnsweredBy.ISSUER),
        entry(credit(ISSUER_A, 16, 1_100, "260000", CurrencyUnit.USD), ResponseCode.APPROVED, AnsweredBy.ISSUER)));
    CardTransaction reversedEarly = credit(ISSUER_B, 17, 450, "260000", CurrencyUnit.CNY);
    log.insertLog(List.of(entry(reversedEarly, ResponseCode.APPROVED, AnsweredBy.ISSUER),
        reversal(reversedEarly, 18)));
    assertThat(clearing.approvedNotSettled()).isEqualTo(2);

    GrossSource.Gross first = clearing.close(T);
    assertThat(first.payerToReceiverMinor()).isEqualTo(Map.of(ISSUER_A, Map.of(ACQUIRER, 800L), ISSUER_B,
        Map.of(ACQUIRER, 600L)));
    assertThat(first.records()).isEqualTo(2);
    assertThat(clearing.approvedNotSettled()).isZero();
    assertThat(clearing.close(T)).as("closed again before the run is recorded: nothing new").isEqualTo(first);
    clearing.settled(T);

    // After the cut-off: the late credit's reversal is approved, a new credit comes, and a settled day is asked again.
    CardTransaction next = credit(ISSUER_A, 19, 300, "260000", CurrencyUnit.CNY);
    log.insertLog(List.of(reversal(late, 20), entry(next, ResponseCode.APPROVED, AnsweredBy.ISSUER)));
    assertThat(clearing.close(T)).as("a settled window is not reopened").isEqualTo(first);
    GrossSource.Gross second = clearing.close(T.plusDays(1));
    assertThat(second.payerToReceiverMinor()).isEqualTo(Map.of(ISSUER_A, Map.of(ACQUIRER, 300L), ACQUIRER,
        Map.of(ISSUER_B, 600L)));
    assertThat(second.records()).isEqualTo(2);
    clearing.settled(T.plusDays(1));
    assertThat(clearing.settledCredits()).extracting(PushCreditClearing.Settled::amountMinor,
        PushCreditClearing.Settled::settledOn, PushCreditClearing.Settled::reversedOn).containsExactly(
            org.assertj.core.groups.Tuple.tuple(800L, T, null),
            org.assertj.core.groups.Tuple.tuple(600L, T, T.plusDays(1)),
            org.assertj.core.groups.Tuple.tuple(300L, T.plusDays(1), null));

    // A credit from an endpoint the source was not told about stops the run; nothing of the window is taken.
    log.insertLog(List.of(entry(credit(PartyId.of("ISSX"), 21, 50, "260000", CurrencyUnit.CNY), ResponseCode.APPROVED,
        AnsweredBy.ISSUER), entry(credit(ISSUER_A, 22, 70, "260000", CurrencyUnit.CNY), ResponseCode.APPROVED,
        AnsweredBy.ISSUER)));
    assertThatThrownBy(() -> clearing.close(T.plusDays(2))).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("ISSX");
    assertThat(clearing.settledCredits()).hasSize(3);
    assertThat(clearing.approvedNotSettled()).isEqualTo(2);
  }

  private static CardTransaction credit(PartyId originator, int stan, long amountMinor, String processingCode,
      CurrencyUnit currency) {
    MonthDayTime at = new MonthDayTime(MonthDay.of(12, 7), LocalTime.of(10, 0, stan));
    return new CardTransaction(ACCOUNT, processingCode, Money.ofMinor(amountMinor, currency), at, stan, at,
        YearMonth.of(2099, 12), "031", null, originator == ISSUER_B ? "22220000" : "11110000", "S00000000001",
        "QRPUSH01", "ISSUER QR PUSH ", null, null);
  }

  /** The log row as the switch writes it: the originator on the acquirer side, the acquirer's QR host on the issuer side. */
  private static LogEntry entry(CardTransaction t, ResponseCode code, AnsweredBy by) {
    PartyId originator = t.acquirerId().equals("22220000") ? ISSUER_B
        : t.stan() == 21 ? PartyId.of("ISSX") : ISSUER_A;
    Iso8583Message request = new FinancialRequest(t);
    return new LogEntry(System.currentTimeMillis(), originator, ACQUIRER, Mti.FINANCIAL_REQUEST, t, "hash",
        CardResponse.answering(request, code, code.approved() ? "123456" : null, null), by, 5, 6, null);
  }

  /** The originator's 0400 naming {@code original} by field 90, acknowledged by the acquirer. */
  private static LogEntry reversal(CardTransaction original, int stan) {
    PartyId originator = original.acquirerId().equals("22220000") ? ISSUER_B : ISSUER_A;
    MonthDayTime at = new MonthDayTime(MonthDay.of(12, 7), LocalTime.of(11, 0, stan));
    CardTransaction t = new CardTransaction(original.pan(), original.processingCode(), original.amount(), at, stan, at,
        original.expiry(), "031", null, original.acquirerId(), original.rrn(), original.terminalId(),
        original.merchantId(), null, null);
    ReversalRequest request = new ReversalRequest(Mti.REVERSAL_REQUEST, t, ResponseCode.ISSUER_UNAVAILABLE,
        OriginalData.of(Mti.FINANCIAL_REQUEST, original));
    return new LogEntry(System.currentTimeMillis(), originator, ACQUIRER, Mti.REVERSAL_REQUEST, t, "hash",
        CardResponse.answering(request, ResponseCode.APPROVED, null, null), AnsweredBy.ISSUER, 5, 6,
        OriginalData.of(Mti.FINANCIAL_REQUEST, original));
  }
}
