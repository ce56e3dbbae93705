package io.iotpay.foundation.codec;

/** APDU bytes or fields that break ISO/IEC 7816-4 §5.1; the message names the byte or field. */
public final class ApduException extends CodecException {
  private static final long serialVersionUID = 1L;

  public ApduException(String message) {
    super("apdu: " + message);
  }
}
