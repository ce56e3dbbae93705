package io.iotpay.phone.pos;

import java.time.Instant;

/**
 * What the merchant app shows and keeps for one payment or refund. No full PAN: the masked one.
 *
 * @param kind PURCHASE or REFUND
 * @param sequence the SDK's transaction sequence (field 37 is it, 12 digits)
 * @param result APPROVED, DECLINED, REFUSED (before the card: attestation or acquirer), or END_APPLICATION
 * @param reason the kernel's or the acquirer's reason
 */
public record Receipt(String kind, String terminalId, long sequence, String rrn, String maskedPan, long amountMinor,
    String currency, Instant at, String result, String reason, String aid, int atc) {

  /** The receipt as text lines, as the app prints or shares it. */
  public String text() {
    return String.join("\n", kind + " " + result, "terminal " + terminalId + "  ref " + rrn,
        "card " + (maskedPan.isEmpty() ? "-" : maskedPan) + (aid.isEmpty() ? "" : "  AID " + aid)
            + (atc < 0 ? "" : "  ATC " + atc),
        String.format("%s %d.%02d", currency, amountMinor / 100, amountMinor % 100), at.toString(), reason);
  }
}
