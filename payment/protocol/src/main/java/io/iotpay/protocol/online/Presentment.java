package io.iotpay.protocol.online;

import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.protocol.Pan;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.ProtocolException;
import io.iotpay.protocol.iso8583.OriginalData;
import java.time.LocalDate;

/**
 * One online card transaction an acquirer presents for clearing at day end: the capture of an
 * approved authorisation, or a refund of a captured one. The switch routes it by the PAN's card
 * range to the issuer, which matches it to its hold through {@link #original()} (the 0100/0200's
 * MTI, STAN, field 7 and acquirer id, as in a reversal's field 90).
 *
 * @param presentmentId unique per acquirer and never reused (a repeat is the same presentment):
 *     1..40 characters of [A-Za-z0-9._-]
 * @param kind capture or refund
 * @param acquirer the presenting acquirer
 * @param original the authorisation it clears (for a refund: the purchase it refunds)
 * @param rrn field 37 of the original, 12 characters
 * @param terminalId field 41, 8 characters
 * @param merchantId field 42, 15 characters
 * @param pan the card (files between parties carry it; never logged: {@link Pan#toString()} masks)
 * @param amountMinor what is captured (at most the hold) or refunded, positive
 * @param currency the transaction currency
 * @param approvalCode field 38 of the approval, 6 characters
 * @param businessDate the acquirer's business day the transaction belongs to
 */
public record Presentment(
    String presentmentId, Kind kind, PartyId acquirer, OriginalData original, String rrn, String terminalId,
    String merchantId, Pan pan, long amountMinor, CurrencyUnit currency, String approvalCode,
    LocalDate businessDate) {

  /** What the presentment asks the issuer to do. */
  public enum Kind {
    /** Take the amount from the authorisation's hold; release the rest of the hold. */
    CAPTURE,
    /** Credit the cardholder part or all of a captured purchase. */
    REFUND
  }

  /** @throws ProtocolException naming the first field that is missing or malformed */
  public Presentment {
    if (presentmentId == null || !presentmentId.matches("[A-Za-z0-9._-]{1,40}")) {
      throw new ProtocolException("presentment id must be 1..40 characters of [A-Za-z0-9._-]");
    }
    require(kind, "kind");
    require(acquirer, "acquirer");
    require(original, "original");
    fixed(rrn, 12, "rrn");
    fixed(terminalId, 8, "terminal id");
    fixed(merchantId, 15, "merchant id");
    require(pan, "pan");
    if (amountMinor <= 0) {
      throw new ProtocolException("presentment amount must be positive, got " + amountMinor);
    }
    require(currency, "currency");
    fixed(approvalCode, 6, "approval code");
    require(businessDate, "business date");
  }

  private static void require(Object value, String field) {
    if (value == null) {
      throw new ProtocolException("presentment " + field + " is missing");
    }
  }

  private static void fixed(String value, int length, String field) {
    if (value == null || value.length() != length) {
      throw new ProtocolException("presentment " + field + " must be " + length + " characters");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c > 0x7e) {
        throw new ProtocolException("presentment " + field + " must be printable ASCII");
      }
    }
  }

  @Override
  public String toString() {
    return "Presentment[" + presentmentId + " " + kind + " " + acquirer + " pan=" + pan.masked() + " "
        + amountMinor + " " + currency + " " + businessDate + "]";
  }
}
