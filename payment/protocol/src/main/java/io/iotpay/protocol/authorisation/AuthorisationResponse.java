package io.iotpay.protocol.authorisation;

import io.iotpay.protocol.ProtocolException;

/**
 * The issuer's answer to one {@link AuthorisationRequest}. Encoded by {@link AuthorisationCodec}.
 *
 * @param requestId the answered request's id; 0 only for a {@link ResultCode#MALFORMED} answer to a
 *     request whose id could not be read
 * @param result never null
 * @param holdId the hold concerned, positive when {@code result} is {@link ResultCode#APPROVED}; 0 or
 *     the hold's id otherwise
 * @param detail why, for people and logs; 0..{@value #DETAIL_BYTES_MAX} UTF-8 bytes without control
 *     characters; never null
 */
public record AuthorisationResponse(long requestId, ResultCode result, long holdId, String detail) {
  /** Longest detail, UTF-8 bytes. */
  public static final int DETAIL_BYTES_MAX = 256;

  /** @throws ProtocolException naming the first field out of its bound */
  public AuthorisationResponse {
    if (result == null) {
      throw new ProtocolException("authorisation response " + requestId + ": result is missing");
    }
    if (requestId < 0 || (requestId == 0 && result != ResultCode.MALFORMED)) {
      throw new ProtocolException("authorisation response: requestId " + requestId + " must be positive (0 only when MALFORMED)");
    }
    if (holdId < 0 || (holdId == 0 && result == ResultCode.APPROVED)) {
      throw new ProtocolException("authorisation response " + requestId + ": holdId " + holdId + " must be positive when approved, else ≥ 0");
    }
    Fields.text("authorisation response " + requestId, "detail", detail, DETAIL_BYTES_MAX);
  }

  /** An approval of request {@code requestId} concerning hold {@code holdId} (positive). */
  public static AuthorisationResponse approved(long requestId, long holdId) {
    return new AuthorisationResponse(requestId, ResultCode.APPROVED, holdId, "");
  }

  /**
   * A refusal; {@code detail} is clipped to {@value #DETAIL_BYTES_MAX} UTF-8 bytes and its control
   * characters replaced, so any message text can be passed.
   *
   * @param detail never null
   * @throws ProtocolException when {@code result} is APPROVED or the ids are out of bound
   */
  public static AuthorisationResponse refused(long requestId, ResultCode result, long holdId, String detail) {
    if (result == ResultCode.APPROVED) {
      throw new ProtocolException("authorisation response " + requestId + ": a refusal cannot be APPROVED");
    }
    return new AuthorisationResponse(requestId, result, holdId, Fields.clip(detail, DETAIL_BYTES_MAX));
  }
}
