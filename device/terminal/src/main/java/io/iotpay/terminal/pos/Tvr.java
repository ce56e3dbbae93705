package io.iotpay.terminal.pos;

import io.iotpay.foundation.codec.Hex;

/**
 * Terminal verification results (tag 95, EMV Book 3 Annex C5): the bits this kernel sets, as a
 * table. Mutable, one per transaction; the kernel is its only writer.
 */
public final class Tvr {
  public static final int LENGTH_BYTES = 5;

  /** The TVR bits the kernel sets: byte (0-based) and mask, EMV Book 3 Annex C5. */
  public enum Bit {
    ODA_NOT_PERFORMED(0, 0x80),
    SDA_FAILED(0, 0x40),
    ICC_DATA_MISSING(0, 0x20),
    CARD_ON_EXCEPTION_FILE(0, 0x10),
    DDA_FAILED(0, 0x08),
    CDA_FAILED(0, 0x04),
    EXPIRED_APPLICATION(1, 0x40),
    APPLICATION_NOT_YET_EFFECTIVE(1, 0x20),
    SERVICE_NOT_ALLOWED(1, 0x10),
    CVM_NOT_SUCCESSFUL(2, 0x80),
    UNRECOGNISED_CVM(2, 0x40),
    PIN_PAD_NOT_PRESENT(2, 0x10),
    PIN_NOT_ENTERED(2, 0x08),
    ONLINE_PIN_ENTERED(2, 0x04),
    EXCEEDS_FLOOR_LIMIT(3, 0x80),
    SELECTED_RANDOMLY(3, 0x10),
    ISSUER_AUTHENTICATION_FAILED(4, 0x40),
    SCRIPT_FAILED_BEFORE_FINAL_AC(4, 0x20),
    SCRIPT_FAILED_AFTER_FINAL_AC(4, 0x10);

    final int index;
    final int mask;

    Bit(int index, int mask) {
      this.index = index;
      this.mask = mask;
    }
  }

  private final byte[] bits = new byte[LENGTH_BYTES];

  void set(Bit bit) {
    bits[bit.index] |= (byte) bit.mask;
  }

  public boolean has(Bit bit) {
    return (bits[bit.index] & bit.mask) != 0;
  }

  /** True when any bit set here is set in {@code actionCode} or {@code issuerActionCode} (5 bytes each). */
  boolean matchesEither(byte[] actionCode, byte[] issuerActionCode) {
    for (int i = 0; i < LENGTH_BYTES; i++) {
      if ((bits[i] & (actionCode[i] | issuerActionCode[i])) != 0) {
        return true;
      }
    }
    return false;
  }

  public byte[] bytes() {
    return bits.clone();
  }

  @Override
  public String toString() {
    return Hex.encode(bits).toUpperCase();
  }
}
