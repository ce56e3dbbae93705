package io.iotpay.card.wallet;

/**
 * 31-bit unsigned amounts and counters as 4 big-endian bytes, in short arithmetic only (a classic
 * card has no int): every value is at most 7FFFFFFF, so sums of two never wrap.
 */
public final class Amount4 {

  /** Length of every value in bytes. */
  public static final short LENGTH = 4;

  private Amount4() {}

  /** @return true when the value's top bit is clear (it is at most 7FFFFFFF) */
  public static boolean valid(byte[] a, short off) {
    return a[off] >= 0;
  }

  /** @return true when the value is zero */
  public static boolean isZero(byte[] a, short off) {
    return (byte) (a[off] | a[(short) (off + 1)] | a[(short) (off + 2)] | a[(short) (off + 3)]) == 0;
  }

  /** @return negative, zero or positive as a is below, equal to or above b (unsigned) */
  public static short compare(byte[] a, short aOff, byte[] b, short bOff) {
    for (short i = 0; i < LENGTH; i++) {
      short x = (short) (a[(short) (aOff + i)] & 0xFF);
      short y = (short) (b[(short) (bOff + i)] & 0xFF);
      if (x != y) {
        return (short) (x - y);
      }
    }
    return 0;
  }

  /** out = a + b (both valid, so no overflow beyond 32 bits); out may alias a or b. */
  public static void add(byte[] a, short aOff, byte[] b, short bOff, byte[] out, short outOff) {
    short carry = 0;
    for (short i = (short) (LENGTH - 1); i >= 0; i--) {
      short sum = (short) ((short) (a[(short) (aOff + i)] & 0xFF)
          + (short) (b[(short) (bOff + i)] & 0xFF) + carry);
      out[(short) (outOff + i)] = (byte) sum;
      carry = (short) (sum >> 8);
    }
  }

  /** out = a - b, a at least b; out may alias a or b. */
  public static void subtract(byte[] a, short aOff, byte[] b, short bOff, byte[] out, short outOff) {
    short borrow = 0;
    for (short i = (short) (LENGTH - 1); i >= 0; i--) {
      short diff = (short) ((short) (a[(short) (aOff + i)] & 0xFF)
          - (short) (b[(short) (bOff + i)] & 0xFF) - borrow);
      out[(short) (outOff + i)] = (byte) diff;
      borrow = (short) (diff < 0 ? 1 : 0);
    }
  }

  /** a = a + 1; @return false (a unchanged) when a is already 7FFFFFFF */
  public static boolean increment(byte[] a, short off) {
    if (a[off] == (byte) 0x7F && a[(short) (off + 1)] == (byte) 0xFF
        && a[(short) (off + 2)] == (byte) 0xFF && a[(short) (off + 3)] == (byte) 0xFF) {
      return false;
    }
    for (short i = (short) (LENGTH - 1); i >= 0; i--) {
      a[(short) (off + i)]++;
      if (a[(short) (off + i)] != 0) {
        return true;
      }
    }
    return true;
  }
}
