package io.iotpay.protocol.iso8583;

import static io.iotpay.protocol.iso8583.Iso8583Exception.Reason.FIELD_INVALID;

import java.security.MessageDigest;

/**
 * Field 52: an encrypted ISO 9564 PIN block (8 bytes). Opaque here: only the issuer's HSM opens it.
 * {@link #toString()} shows nothing of it.
 *
 * @param value the 8 bytes (copied in and out)
 */
public record PinBlock(byte[] value) {
  /** @throws Iso8583Exception FIELD_INVALID when not exactly 8 bytes */
  public PinBlock {
    if (value == null || value.length != Iso8583Limits.PIN_BLOCK_BYTES) {
      throw new Iso8583Exception(FIELD_INVALID, "field 52 PIN block must be " + Iso8583Limits.PIN_BLOCK_BYTES + " bytes");
    }
    value = value.clone();
  }

  @Override
  public byte[] value() {
    return value.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof PinBlock that && MessageDigest.isEqual(value, that.value);
  }

  @Override
  public int hashCode() {
    return 52; // a hash of PIN data would be a partial disclosure
  }

  @Override
  public String toString() {
    return "PinBlock[8 bytes]";
  }
}
