package io.iotpay.protocol.iso8583;

import static io.iotpay.protocol.iso8583.Iso8583Exception.Reason.FIELD_INVALID;

import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.money.Money;
import java.util.regex.Pattern;

/**
 * 0100 account verification: does the receiving institution hold this deposit account, open? A
 * zero-amount authorisation (field 4 all zeros, field 3 {@value #PROCESSING_CODE}) for an account
 * that is not a card, so it carries no field 2: the account number travels in field 103 (account
 * identification 2, the "to" account) and the bank that holds it in field 100 (receiving
 * institution), which the switch routes by. The acquirer's penny test of a merchant's settlement
 * account (docs/merchant-onboarding.md); the issuer answers from its own records and no money
 * moves. {@link #toString()} masks the account number.
 *
 * @param transmittedAt field 7, UTC; with 11, 32 and 41 the request's identity (a repeat carries the same)
 * @param stan field 11, 1..{@value Iso8583Limits#STAN_MAX}
 * @param acquirerId field 32, 1..11 digits
 * @param rrn field 37, 12 printable characters
 * @param terminalId field 41, 8 printable characters: the acquirer's node that asks
 * @param receivingInstitution field 100, 1..11 digits: the bank of the account
 * @param accountNumber field 103, {@value #ACCOUNT_CHARS_MIN}..{@value #ACCOUNT_CHARS_MAX} of [0-9A-Z]
 * @param currency field 49, the currency of the zero amount (and of the account)
 */
public record AccountVerificationRequest(
    MonthDayTime transmittedAt,
    int stan,
    String acquirerId,
    String rrn,
    String terminalId,
    String receivingInstitution,
    String accountNumber,
    CurrencyUnit currency)
    implements Iso8583Message {

  /** Field 3: transaction type 00 (goods and services, as a zero-amount authorisation), no account types. */
  public static final String PROCESSING_CODE = "000000";
  public static final int ACCOUNT_CHARS_MIN = 6;
  /** 34, the longest IBAN: ISO 8583 gives field 103 28 characters; we allow 34 by agreement. */
  public static final int ACCOUNT_CHARS_MAX = 34;
  private static final Pattern ACCOUNT = Pattern.compile("[0-9A-Z]{" + ACCOUNT_CHARS_MIN + "," + ACCOUNT_CHARS_MAX + "}");

  /** @throws Iso8583Exception FIELD_MISSING or FIELD_INVALID naming the first field at fault (never its value) */
  public AccountVerificationRequest {
    checkEchoed(transmittedAt, stan, acquirerId, rrn, terminalId, receivingInstitution, accountNumber, currency);
  }

  /** The fields a request and its answer share, checked in one place. */
  static void checkEchoed(MonthDayTime transmittedAt, int stan, String acquirerId, String rrn, String terminalId,
      String receivingInstitution, String accountNumber, CurrencyUnit currency) {
    CardTransaction.required("field 7 transmission date-time", transmittedAt);
    CardTransaction.checkStan(stan);
    FieldText.digitsUpTo("field 32 acquirer id", acquirerId, 11);
    FieldText.printable("field 37 RRN", rrn, 12);
    FieldText.printable("field 41 terminal id", terminalId, 8);
    FieldText.digitsUpTo("field 100 receiving institution", receivingInstitution, 11);
    checkAccount(accountNumber);
    CardTransaction.required("field 49 currency", currency);
  }

  static void checkAccount(String accountNumber) {
    CardTransaction.required("field 103 account", accountNumber);
    if (!ACCOUNT.matcher(accountNumber).matches()) {
      throw new Iso8583Exception(FIELD_INVALID, "field 103 account must be " + ACCOUNT_CHARS_MIN + ".."
          + ACCOUNT_CHARS_MAX + " of 0-9 A-Z");
    }
  }

  /** Fields 4 and 49: always zero. */
  public Money amount() {
    return Money.ofMinor(0, currency);
  }

  /** The account number with all but its last four characters masked. */
  public String accountMasked() {
    return mask(accountNumber);
  }

  /** {@code account} with all but its last characters masked (four at most, a third of a short one). */
  public static String mask(String account) {
    int shown = Math.min(4, account.length() / 3);
    return "*".repeat(account.length() - shown) + account.substring(account.length() - shown);
  }

  @Override
  public Mti mti() {
    return Mti.AUTHORISATION_REQUEST;
  }

  @Override
  public String toString() {
    return "AccountVerificationRequest[stan=" + stan + ", terminal=" + terminalId + ", institution="
        + receivingInstitution + ", account=" + accountMasked() + "]";
  }
}
