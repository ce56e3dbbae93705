package io.iotpay.issuer.authorisation.card;

import java.time.Instant;

/**
 * One transaction the card authorisation host recorded, as an operator sees it: what came (an 0100
 * authorisation, an 0200 financial request, an 0120 advice or a stand-in advice), its answer and its
 * state now (a reversal turns a hold or posting REVERSED). The card only masked; no chip data.
 *
 * @param mti the request's message type, e.g. "0100"
 * @param kind AUTH, FIN, ADVICE or STANDIN
 * @param panMasked the card's masked PAN, or "" when the card is not registered (a decline for an unknown card)
 * @param stan the request's system trace audit number
 * @param state HELD, POSTED, CAPTURED, EXPIRED, DECLINED or REVERSED
 * @param responseCode the ISO 8583 response code answered ("00" approved)
 * @param approvalCode the approval code, or null when declined
 * @param recordedAt when the row was first written, or null for rows from before that was kept
 */
public record AuthorisationRecord(String mti, String kind, String acquirerId, String stan, String panMasked,
    String businessDay, long amountMinor, String state, String responseCode, String approvalCode, Instant recordedAt) {

  static AuthorisationRecord of(String key, String kind, String panMasked, String businessDay, long amountMinor,
      String state, String responseCode, String approvalCode, Long recordedAtMs) {
    String[] parts = key.split(":", -1);
    int last = parts.length - 1;
    String acquirer = String.join(":", java.util.Arrays.copyOfRange(parts, 1, Math.max(1, last - 1)));
    return new AuthorisationRecord(parts[0], kind, last >= 2 ? acquirer : "", last >= 2 ? parts[last - 1] : "",
        panMasked == null ? "" : panMasked, businessDay, amountMinor, state, responseCode, approvalCode,
        recordedAtMs == null ? null : Instant.ofEpochMilli(recordedAtMs));
  }
}
