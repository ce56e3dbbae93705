package io.iotpay.protocol.online;

import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.ProtocolException;

/**
 * What became of one presentment: the switch's answer to the acquirer, or the issuer's answer to the
 * switch (the basis of later chargebacks). A presentment is named by its acquirer and its id.
 *
 * @param acquirer the presenting acquirer
 * @param presentmentId the acquirer's id of the presentment
 * @param status what happened
 * @param amountMinor the presentment's amount, positive
 */
public record PresentmentResult(PartyId acquirer, String presentmentId, Status status, long amountMinor) {

  /** The outcomes; the switch's refusals first, then the issuer's answers. */
  public enum Status {
    /** Taken: by the switch (routed to the issuer) or by the issuer (captured or refunded). */
    ACCEPTED,
    /** Switch: no approved 0100/0200 from this acquirer matches (STAN, field 7, terminal, approval, card). */
    NO_AUTHORISATION,
    /** Switch: the authorisation was reversed (0400/0420 acknowledged). */
    REVERSED,
    /** Switch: a capture above the approved amount, or refunds above the captured amount. */
    EXCEEDS_AUTHORISED,
    /** Switch: the authorisation was captured already (by another presentment). */
    ALREADY_CAPTURED,
    /** Switch: a refund of a purchase whose capture the switch has not cleared. */
    NOT_CAPTURED,
    /** Switch: the card's range names no issuer. */
    UNKNOWN_CARD_RANGE,
    /** Issuer: no transaction matches the presentment. */
    UNKNOWN,
    /** Issuer: the capture is above the hold, or the refund above the captured amount. */
    EXCEEDS_HOLD,
    /** Issuer: the hold expired before the capture arrived. */
    HOLD_EXPIRED,
    /** Issuer: the transaction is in a state that cannot be captured or refunded (declined, reversed). */
    NOT_CAPTURABLE
  }

  /** @throws ProtocolException when a field is missing or out of range */
  public PresentmentResult {
    if (acquirer == null || status == null) {
      throw new ProtocolException("presentment result: acquirer and status are required");
    }
    if (presentmentId == null || !presentmentId.matches("[A-Za-z0-9._-]{1,40}")) {
      throw new ProtocolException("presentment result: id must be 1..40 characters of [A-Za-z0-9._-]");
    }
    if (amountMinor <= 0) {
      throw new ProtocolException("presentment result: amount must be positive, got " + amountMinor);
    }
  }

  /** The result of {@code presentment}. */
  public static PresentmentResult of(Presentment presentment, Status status) {
    return new PresentmentResult(presentment.acquirer(), presentment.presentmentId(), status, presentment.amountMinor());
  }
}
