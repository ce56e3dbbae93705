package io.iotpay.protocol.authorisation;

import io.iotpay.protocol.ProtocolException;

/**
 * The issuer's answer to one authorisation request, as a table of wire codes (docs/authorisation.md).
 * Codes are stable: a new answer gets a new number, an old number is never reused.
 *
 * <p>{@link #retryable()} says whether the same request may be sent again and be answered otherwise:
 * only {@link #ISSUER_UNAVAILABLE} (nothing was decided) is. Every other answer is final for its
 * request id and is given again, unchanged, to a retry.
 */
public enum ResultCode {
  /** The hold was placed, or the capture or release applied; {@code holdId} names the hold. */
  APPROVED(0, false, "approved"),
  /** The payer's account cannot cover the hold. */
  INSUFFICIENT_FUNDS(1, false, "insufficient funds"),
  /** The payer's or payee's account does not exist at this issuer. */
  UNKNOWN_ACCOUNT(2, false, "unknown account"),
  /** The hold timed out before this capture or release; its money is free again. */
  HOLD_EXPIRED(3, false, "hold expired"),
  /** This request id was already used by a request with other content; nothing was applied. */
  ALREADY_DONE_DIFFERENTLY(4, false, "request id already used differently"),
  /** Refused for a reason the other codes do not name (currency, amount, limits); see the detail. */
  REFUSED(5, false, "refused"),
  /** No hold has this id. */
  UNKNOWN_HOLD(6, false, "unknown hold"),
  /** The hold was already captured or released by another request. */
  HOLD_CLOSED(7, false, "hold already closed"),
  /** The request could not be decoded; the detail says where. Its request id is 0 when unreadable. */
  MALFORMED(8, false, "malformed request"),
  /** The issuer could not decide now (its ledger did not answer); send the same request again. */
  ISSUER_UNAVAILABLE(9, true, "issuer unavailable");

  private static final ResultCode[] BY_WIRE_CODE = table();

  private final int wireCode;
  private final boolean retryable;
  private final String text;

  ResultCode(int wireCode, boolean retryable, String text) {
    this.wireCode = wireCode;
    this.retryable = retryable;
    this.text = text;
  }

  /** The number this answer travels as, 0..{@code values().length - 1}. */
  public int wireCode() {
    return wireCode;
  }

  /** True only when the same request may get another answer later (nothing was decided). */
  public boolean retryable() {
    return retryable;
  }

  /** A short human phrase for logs and messages; never null. */
  public String text() {
    return text;
  }

  /**
   * The answer with this wire code.
   *
   * @throws ProtocolException when no answer has the code
   */
  public static ResultCode ofWireCode(long wireCode) {
    if (wireCode < 0 || wireCode >= BY_WIRE_CODE.length) {
      throw new ProtocolException("authorisation response: result code " + wireCode + " is unknown");
    }
    return BY_WIRE_CODE[(int) wireCode];
  }

  private static ResultCode[] table() {
    ResultCode[] table = new ResultCode[values().length];
    for (ResultCode code : values()) {
      if (code.wireCode < 0 || code.wireCode >= table.length || table[code.wireCode] != null) {
        throw new AssertionError("result wire codes must be 0..n-1 and unique: " + code);
      }
      table[code.wireCode] = code;
    }
    return table;
  }
}
