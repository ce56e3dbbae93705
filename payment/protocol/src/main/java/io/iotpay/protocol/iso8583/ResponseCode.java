package io.iotpay.protocol.iso8583;

import java.util.Optional;

/**
 * Field 39 response codes iotpay's parties use, as a table: code, meaning, and whether the
 * transaction was approved. The meanings follow ISO 8583:1987's usual assignments (as the card
 * schemes use them); A0 is the private-use code for a message MAC that failed, A1 the private-use
 * code for a completion (0220) or reversal that came after its hold expired (the account path).
 */
public enum ResponseCode {
  APPROVED("00", "Approved", true),
  DO_NOT_HONOUR("05", "Do not honour", false),
  INVALID_TRANSACTION("12", "Invalid transaction", false),
  INVALID_AMOUNT("13", "Invalid amount", false),
  INVALID_CARD_NUMBER("14", "Invalid card number (no such number)", false),
  /** No such issuer: the switch has no route to the institution of field 100 (account verification). */
  NO_SUCH_ISSUER("15", "No such issuer", false),
  FORMAT_ERROR("30", "Format error", false),
  UNABLE_TO_LOCATE_RECORD("25", "Unable to locate record on file", false),
  /** The account is closed (account verification; Visa's code 46). */
  CLOSED_ACCOUNT("46", "Closed account", false),
  INSUFFICIENT_FUNDS("51", "Not sufficient funds", false),
  EXPIRED_CARD("54", "Expired card", false),
  INCORRECT_PIN("55", "Incorrect PIN", false),
  NOT_PERMITTED_TO_CARDHOLDER("57", "Transaction not permitted to cardholder", false),
  NOT_PERMITTED_TO_TERMINAL("58", "Transaction not permitted to terminal", false),
  EXCEEDS_WITHDRAWAL_LIMIT("61", "Exceeds withdrawal amount limit", false),
  RESTRICTED_CARD("62", "Restricted card", false),
  /** A PIN block that does not decipher under the keys of its zone, or a replayed DUKPT KSN. */
  SECURITY_VIOLATION("63", "Security violation", false),
  PIN_TRIES_EXCEEDED("75", "Allowable number of PIN tries exceeded", false),
  ISSUER_UNAVAILABLE("91", "Issuer or switch inoperative", false),
  DUPLICATE_TRANSMISSION("94", "Duplicate transmission", false),
  SYSTEM_MALFUNCTION("96", "System malfunction", false),
  MAC_FAILURE("A0", "MAC verification failed", false),
  HOLD_EXPIRED("A1", "The authorisation's hold expired before its completion or reversal", false);

  private final String code;
  private final String meaning;
  private final boolean approved;

  ResponseCode(String code, String meaning, boolean approved) {
    this.code = code;
    this.meaning = meaning;
    this.approved = approved;
  }

  /** The two characters of field 39. */
  public String code() {
    return code;
  }

  /** What the code means, for operators and logs. */
  public String meaning() {
    return meaning;
  }

  /** True only for {@link #APPROVED}. */
  public boolean approved() {
    return approved;
  }

  /** The entry for {@code code}, or empty when it is not in the table. */
  public static Optional<ResponseCode> byCode(String code) {
    for (ResponseCode entry : values()) {
      if (entry.code.equals(code)) {
        return Optional.of(entry);
      }
    }
    return Optional.empty();
  }
}
