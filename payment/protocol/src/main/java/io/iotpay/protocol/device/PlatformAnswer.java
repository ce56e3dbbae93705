package io.iotpay.protocol.device;

import io.iotpay.protocol.ProtocolException;
import java.util.List;

/**
 * What the platform answers a device request, carried as the payload of its signed answer envelope.
 *
 * @param status what became of the request
 * @param detail one line for the device's log, at most 256 printable characters; never null
 * @param decisions the payment decisions the request led to (none for most events), at most 16
 */
public record PlatformAnswer(Status status, String detail, List<Decision> decisions) {
  public static final int DECISIONS_MAX = 16;
  public static final int DETAIL_CHARS_MAX = 256;

  /** What became of a request. */
  public enum Status {
    /** Done: the event was processed, the delivery recorded, the status noted. */
    OK,
    /** The envelope was genuine but its payload is not a request the platform knows. */
    BAD_PAYLOAD,
    /** A delivery names no approved payment of this device, or one already closed the other way. */
    NO_SUCH_PAYMENT,
    /** The platform could not complete the request now; send a new message later. */
    UNAVAILABLE
  }

  /**
   * One payment decision.
   *
   * @param counter the counter of the message the payment was decided on (with the device id, its key)
   * @param outcome APPROVED, DECLINED or ASK_USER (1..16 of A-Z _)
   * @param paymentState HELD, CAPTURED, VOIDED, EXPIRED, or NONE when nothing was approved
   * @param merchantId 1..64 of [A-Za-z0-9-]
   * @param reasons the reason codes, at most 16, each 1..64 of A-Z 0-9 _
   */
  public record Decision(long counter, String outcome, String paymentState, String merchantId, long amountMinor,
      String currency, List<String> reasons) {
    public static final int REASONS_MAX = 16;

    public Decision {
      if (counter < 0 || amountMinor < 0) {
        throw new ProtocolException("answer decision: negative counter or amount");
      }
      requireCode("outcome", outcome, 16);
      requireCode("payment state", paymentState, 16);
      if (!TextChars.within(merchantId, 1, 64, TextChars.ID)) {
        throw new ProtocolException("answer decision: merchant id is not 1..64 of A-Z a-z 0-9 -");
      }
      if (!TextChars.within(currency, 3, 3, TextChars.LETTERS)) {
        throw new ProtocolException("answer decision: currency is not three letters");
      }
      if (reasons == null || reasons.size() > REASONS_MAX) {
        throw new ProtocolException("answer decision: reasons missing or more than " + REASONS_MAX);
      }
      for (String reason : reasons) {
        requireCode("reason", reason, 64);
      }
      reasons = List.copyOf(reasons);
    }

    private static void requireCode(String what, String value, int charsMax) {
      if (!TextChars.within(value, 1, charsMax, TextChars.CODE)) {
        throw new ProtocolException("answer decision: " + what + " is not 1.." + charsMax + " of A-Z 0-9 _");
      }
    }
  }

  public PlatformAnswer {
    if (status == null) {
      throw new ProtocolException("answer without a status");
    }
    if (!TextChars.within(detail, 0, DETAIL_CHARS_MAX, TextChars.PRINTABLE)) {
      throw new ProtocolException("answer: detail is not 0.." + DETAIL_CHARS_MAX + " printable ASCII");
    }
    if (decisions == null || decisions.size() > DECISIONS_MAX) {
      throw new ProtocolException("answer: decisions missing or more than " + DECISIONS_MAX);
    }
    decisions = List.copyOf(decisions);
  }

  public static PlatformAnswer of(Status status, String detail) {
    return new PlatformAnswer(status, detail, List.of());
  }
}
