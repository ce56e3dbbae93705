package io.iotpay.protocol.iso8583;

import io.iotpay.protocol.ProtocolException;

/**
 * An ISO 8583 message, frame or key that breaks the iotpay contract. Every malformed input the
 * codec, the MAC check or the link sees ends in this one type, whatever the library underneath
 * threw; {@link #reason()} says which kind of fault it was and {@link #responseCode()} what the
 * receiver answers when it can still answer.
 */
public final class Iso8583Exception extends ProtocolException {
  private static final long serialVersionUID = 1L;

  /** The kinds of fault, each with the response code a receiver answers with (data, not ifs). */
  public enum Reason {
    /** Bytes that are not a message of our packager (bitmap, lengths, trailing bytes, encoding). */
    MALFORMED(ResponseCode.FORMAT_ERROR),
    /** A message longer than {@link Iso8583Limits#MESSAGE_BYTES_MAX}. */
    TOO_LONG(ResponseCode.FORMAT_ERROR),
    /** An MTI outside the table in {@link Mti}. */
    UNKNOWN_MTI(ResponseCode.INVALID_TRANSACTION),
    /** A field missing that its message type requires. */
    FIELD_MISSING(ResponseCode.FORMAT_ERROR),
    /** A field present but out of its format or bound. */
    FIELD_INVALID(ResponseCode.FORMAT_ERROR),
    /** Field 128 absent on a link that requires MACs. */
    MAC_MISSING(ResponseCode.MAC_FAILURE),
    /** Field 128 does not verify under the zone authentication key. */
    MAC_INVALID(ResponseCode.MAC_FAILURE),
    /** A key exchange whose key does not decrypt to its check value, or a key of the wrong size. */
    KEY_INVALID(ResponseCode.MAC_FAILURE);

    private final ResponseCode responseCode;

    Reason(ResponseCode responseCode) {
      this.responseCode = responseCode;
    }

    /** The response code a receiver answers a request refused for this reason with. */
    public ResponseCode responseCode() {
      return responseCode;
    }
  }

  private final Reason reason;
  private final String detail;

  /**
   * @param reason the kind of fault; never null
   * @param detail what was wrong, naming the field; never holds a PAN, PIN or key
   */
  public Iso8583Exception(Reason reason, String detail) {
    this(reason, detail, null);
  }

  /** As {@link #Iso8583Exception(Reason, String)}, keeping the library's exception as the cause. */
  public Iso8583Exception(Reason reason, String detail, Throwable cause) {
    super(reason + ": " + detail, cause);
    this.reason = reason;
    this.detail = detail;
  }

  public Reason reason() {
    return reason;
  }

  public String detail() {
    return detail;
  }

  /** The response code for {@link #reason()}. */
  public ResponseCode responseCode() {
    return reason.responseCode();
  }
}
