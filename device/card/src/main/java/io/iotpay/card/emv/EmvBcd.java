package io.iotpay.card.emv;

/**
 * Arithmetic on 6-byte n12 BCD amounts (9F02, the cumulative offline amount and its limits), digit
 * by digit, so the card needs neither int nor long.
 */
final class EmvBcd {

  static final short LENGTH = 6;

  private EmvBcd() {}

  /** @return true if every nibble is a decimal digit */
  static boolean isValid(byte[] a, short off) {
    for (short i = 0; i < LENGTH; i++) {
      short b = (short) (a[(short) (off + i)] & 0xFF);
      if ((short) (b >> 4) > 9 || (short) (b & 0x0F) > 9) {
        return false;
      }
    }
    return true;
  }

  /** @return -1, 0 or 1 as a is less than, equal to or greater than b */
  static short compare(byte[] a, short aOff, byte[] b, short bOff) {
    for (short i = 0; i < LENGTH; i++) {
      short x = (short) (a[(short) (aOff + i)] & 0xFF);
      short y = (short) (b[(short) (bOff + i)] & 0xFF);
      if (x != y) {
        return x < y ? (short) -1 : (short) 1;
      }
    }
    return 0;
  }

  /** out = a + b; out may be a or b. @return true on a carry out of 12 digits */
  static boolean add(byte[] a, short aOff, byte[] b, short bOff, byte[] out, short outOff) {
    short carry = 0;
    for (short i = (short) (LENGTH - 1); i >= 0; i--) {
      short x = (short) (a[(short) (aOff + i)] & 0xFF);
      short y = (short) (b[(short) (bOff + i)] & 0xFF);
      short lo = (short) ((short) (x & 0x0F) + (short) (y & 0x0F) + carry);
      carry = lo > 9 ? (short) 1 : (short) 0;
      lo = (short) (lo - (short) (carry * 10));
      short hi = (short) ((short) (x >> 4) + (short) (y >> 4) + carry);
      carry = hi > 9 ? (short) 1 : (short) 0;
      hi = (short) (hi - (short) (carry * 10));
      out[(short) (outOff + i)] = (byte) ((short) (hi << 4) | lo);
    }
    return carry != 0;
  }
}
