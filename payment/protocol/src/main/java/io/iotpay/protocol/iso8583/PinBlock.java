package io.iotpay.protocol.iso8583;

import static io.iotpay.protocol.iso8583.Iso8583Exception.Reason.FIELD_INVALID;

import java.security.MessageDigest;

/**
 * Field 52, an enciphered ISO 9564 format 4 PIN block (16 bytes), and field 53, the DUKPT key serial
 * number it was enciphered under when it comes from a terminal. Opaque here: only a key custody
 * opens it. After the acquirer's translation the block is under a zone PIN key and has no KSN.
 * {@link #toString()} shows nothing of it.
 *
 * @param value the 16 bytes of field 52 (copied in and out)
 * @param ksn the 12 bytes of field 53, or null when the block is under a zone PIN key (copied in and out)
 */
public record PinBlock(byte[] value, byte[] ksn) {
  /** @throws Iso8583Exception FIELD_INVALID when the block is not 16 bytes or the KSN not 12 */
  public PinBlock {
    if (value == null || value.length != Iso8583Limits.PIN_BLOCK_BYTES) {
      throw new Iso8583Exception(FIELD_INVALID, "field 52 PIN block must be " + Iso8583Limits.PIN_BLOCK_BYTES + " bytes");
    }
    if (ksn != null && ksn.length != Iso8583Limits.KSN_BYTES) {
      throw new Iso8583Exception(FIELD_INVALID, "field 53 KSN must be " + Iso8583Limits.KSN_BYTES + " bytes");
    }
    value = value.clone();
    ksn = ksn == null ? null : ksn.clone();
  }

  /** A block under a zone PIN key (no field 53). */
  public PinBlock(byte[] value) {
    this(value, null);
  }

  @Override
  public byte[] value() {
    return value.clone();
  }

  /** Field 53's KSN, or null: present only on the terminal's leg. */
  @Override
  public byte[] ksn() {
    return ksn == null ? null : ksn.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof PinBlock that && MessageDigest.isEqual(value, that.value)
        && (ksn == null ? that.ksn == null : that.ksn != null && MessageDigest.isEqual(ksn, that.ksn));
  }

  @Override
  public int hashCode() {
    return 52; // a hash of PIN data would be a partial disclosure
  }

  @Override
  public String toString() {
    return "PinBlock[" + value.length + " bytes" + (ksn == null ? "" : ", with KSN") + "]";
  }
}
