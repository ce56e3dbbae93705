package io.iotpay.protocol.iso8583;

import static io.iotpay.protocol.iso8583.Iso8583Exception.Reason.FIELD_INVALID;
import static io.iotpay.protocol.iso8583.Iso8583Exception.Reason.FIELD_MISSING;

import io.iotpay.foundation.money.Money;
import io.iotpay.protocol.Pan;
import java.time.YearMonth;

/**
 * The card data every card request carries (0100, 0120, 0200, 0400, 0420), validated when built.
 * {@link #toString()} masks the PAN (the {@link Pan} type does) and hides the PIN block.
 *
 * @param pan field 2
 * @param processingCode field 3, 6 digits (00 purchase, 20 refund, 30 balance inquiry + account types)
 * @param amount fields 4 and 49: positive or zero, at most 12 digits of minor units
 * @param transmittedAt field 7, UTC
 * @param stan field 11, 1..{@value Iso8583Limits#STAN_MAX}
 * @param localTime fields 13 and 12, the terminal's local date and time
 * @param expiry field 14 (YYMM)
 * @param posEntryMode field 22, 3 digits (e.g. 071 contactless chip, 051 contact chip)
 * @param panSequence field 23, 0..999, or null when the card has none
 * @param acquirerId field 32, 1..11 digits
 * @param rrn field 37, 12 printable characters
 * @param terminalId field 41, 8 printable characters
 * @param merchantId field 42, 15 printable characters
 * @param pinBlock field 52, or null without online PIN
 * @param iccData field 55, or null for a magnetic-stripe or key-entered transaction
 */
public record CardTransaction(
    Pan pan,
    String processingCode,
    Money amount,
    MonthDayTime transmittedAt,
    int stan,
    MonthDayTime localTime,
    YearMonth expiry,
    String posEntryMode,
    Integer panSequence,
    String acquirerId,
    String rrn,
    String terminalId,
    String merchantId,
    PinBlock pinBlock,
    IccData iccData) {

  /** Largest amount field 4 holds (n12). */
  public static final long AMOUNT_MINOR_MAX = 999_999_999_999L;

  /** @throws Iso8583Exception FIELD_MISSING or FIELD_INVALID naming the first field at fault */
  public CardTransaction {
    required("field 2 PAN", pan);
    FieldText.digits("field 3 processing code", processingCode, 6);
    checkAmount(amount);
    required("field 7 transmission date-time", transmittedAt);
    checkStan(stan);
    required("fields 12/13 local date-time", localTime);
    required("field 14 expiry", expiry);
    if (expiry.getYear() < 2000 || expiry.getYear() > 2099) {
      throw new Iso8583Exception(FIELD_INVALID, "field 14 expiry must be in 2000..2099 (YYMM)");
    }
    FieldText.digits("field 22 POS entry mode", posEntryMode, 3);
    if (panSequence != null && (panSequence < 0 || panSequence > 999)) {
      throw new Iso8583Exception(FIELD_INVALID, "field 23 PAN sequence number must be 0..999");
    }
    FieldText.digitsUpTo("field 32 acquirer id", acquirerId, 11);
    FieldText.printable("field 37 RRN", rrn, 12);
    FieldText.printable("field 41 terminal id", terminalId, 8);
    FieldText.printable("field 42 merchant id", merchantId, 15);
  }

  static void checkAmount(Money amount) {
    required("field 4 amount", amount);
    if (amount.amountMinor() < 0 || amount.amountMinor() > AMOUNT_MINOR_MAX) {
      throw new Iso8583Exception(FIELD_INVALID, "field 4 amount must be 0.." + AMOUNT_MINOR_MAX + " minor units");
    }
  }

  static void checkStan(int stan) {
    if (stan < 1 || stan > Iso8583Limits.STAN_MAX) {
      throw new Iso8583Exception(FIELD_INVALID, "field 11 STAN must be 1.." + Iso8583Limits.STAN_MAX);
    }
  }

  static <T> T required(String field, T value) {
    if (value == null) {
      throw new Iso8583Exception(FIELD_MISSING, field + " is required");
    }
    return value;
  }
}
