package io.iotpay.card.chip;

import javacard.framework.JCSystem;
import javacard.framework.Util;

/**
 * Arithmetic modulo a 256-bit odd prime (the curve order n, or the field prime p) on 32-byte big-endian numbers, in
 * byte and short arithmetic only: what SM2 signing needs beyond the card's EC point operations
 * (r = e + x1, s = (1 + d)^-1 (k - r d)). Multiplication is bit-serial (double, then add when the
 * multiplier bit is set), inversion is Fermat's little theorem; both take a fixed number of steps
 * for a given modulus. A real SE would use its bignum coprocessor; this is the portable fallback.
 *
 * <p>All operands must already be reduced (less than n) unless a method says otherwise. Output may
 * alias an input only where stated.
 */
public final class ModN {

  /** Length of every operand in bytes. */
  public static final short LENGTH = 32;

  private final byte[] modulus;
  /** acc (32) || multiplicand copy (32) || exponent n-2 (32) || base copy (32). */
  private final byte[] work;

  private static final short ACC = 0;
  private static final short MULTIPLICAND = 32;
  private static final short EXPONENT = 64;
  private static final short BASE = 96;

  /**
   * @param modulus array holding the 32-byte odd modulus at {@code off}; copied
   */
  public ModN(byte[] modulus, short off) {
    this.modulus = new byte[LENGTH];
    Util.arrayCopy(modulus, off, this.modulus, (short) 0, LENGTH);
    work = JCSystem.makeTransientByteArray((short) 128, JCSystem.CLEAR_ON_DESELECT);
  }

  /** @return true when the 32-byte number at {@code off} is zero */
  public static boolean isZero(byte[] a, short off) {
    byte any = 0;
    for (short i = 0; i < LENGTH; i++) {
      any = (byte) (any | a[(short) (off + i)]);
    }
    return any == 0;
  }

  /** @return true when the number at {@code off} is at least n (unreduced) */
  public boolean notReduced(byte[] a, short off) {
    return compare(a, off, modulus, (short) 0) >= 0;
  }

  /** out = (a + b) mod n; out may alias a or b. */
  public void add(byte[] a, short aOff, byte[] b, short bOff, byte[] out, short outOff) {
    short carry = addRaw(a, aOff, b, bOff, out, outOff);
    if (carry != 0 || compare(out, outOff, modulus, (short) 0) >= 0) {
      subtractRaw(out, outOff, modulus, (short) 0, out, outOff);
    }
  }

  /** out = (a - b) mod n; out may alias a or b. */
  public void subtract(byte[] a, short aOff, byte[] b, short bOff, byte[] out, short outOff) {
    short borrow = subtractRaw(a, aOff, b, bOff, out, outOff);
    if (borrow != 0) {
      addRaw(out, outOff, modulus, (short) 0, out, outOff);
    }
  }

  /**
   * Reduces a number that may be up to 2n - 1 or carry one extra bit ({@code carry} = 1 means
   * 2^256 + value) into [0, n). For x1 of a curve point (x1 &lt; p &lt; 2n on both curves).
   */
  public void reduceOnce(byte[] a, short off, short carry) {
    if (carry != 0 || compare(a, off, modulus, (short) 0) >= 0) {
      subtractRaw(a, off, modulus, (short) 0, a, off);
    }
  }

  /** out = (a * b) mod n; out may alias a or b. */
  public void multiply(byte[] a, short aOff, byte[] b, short bOff, byte[] out, short outOff) {
    Util.arrayCopyNonAtomic(b, bOff, work, MULTIPLICAND, LENGTH);
    Util.arrayCopyNonAtomic(a, aOff, work, BASE, LENGTH);
    Util.arrayFillNonAtomic(work, ACC, LENGTH, (byte) 0);
    for (short i = 0; i < LENGTH; i++) {
      short bits = (short) (work[(short) (BASE + i)] & 0xFF);
      for (short bit = 7; bit >= 0; bit--) {
        add(work, ACC, work, ACC, work, ACC);
        if ((short) ((bits >> bit) & 1) != 0) {
          add(work, ACC, work, MULTIPLICAND, work, ACC);
        }
      }
    }
    Util.arrayCopyNonAtomic(work, ACC, out, outOff, LENGTH);
  }

  /**
   * out = a^-1 mod n by Fermat (a^(n-2)), valid because n is prime. a must not be zero.
   * out may alias a.
   */
  public void invert(byte[] a, short aOff, byte[] out, short outOff, byte[] tmp, short tmpOff) {
    // tmp holds the running result; work[EXPONENT] holds n - 2.
    Util.arrayCopyNonAtomic(modulus, (short) 0, work, EXPONENT, LENGTH);
    decrementByTwo(work, EXPONENT);
    Util.arrayCopyNonAtomic(a, aOff, out, outOff, LENGTH);
    Util.arrayFillNonAtomic(tmp, tmpOff, LENGTH, (byte) 0);
    tmp[(short) (tmpOff + LENGTH - 1)] = 1;
    for (short i = 0; i < LENGTH; i++) {
      short bits = (short) (work[(short) (EXPONENT + i)] & 0xFF);
      for (short bit = 7; bit >= 0; bit--) {
        multiply(tmp, tmpOff, tmp, tmpOff, tmp, tmpOff);
        if ((short) ((bits >> bit) & 1) != 0) {
          multiply(tmp, tmpOff, out, outOff, tmp, tmpOff);
        }
      }
    }
    Util.arrayCopyNonAtomic(tmp, tmpOff, out, outOff, LENGTH);
    Util.arrayFillNonAtomic(tmp, tmpOff, LENGTH, (byte) 0);
  }

  private static void decrementByTwo(byte[] a, short off) {
    short borrow = 2;
    for (short i = (short) (LENGTH - 1); i >= 0 && borrow != 0; i--) {
      short d = (short) ((short) (a[(short) (off + i)] & 0xFF) - borrow);
      a[(short) (off + i)] = (byte) d;
      borrow = d < 0 ? (short) 1 : (short) 0;
    }
  }

  /** Unsigned comparison: negative, zero or positive as a is below, equal to or above b. */
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

  /** out = a + b over 256 bits; @return the carry out (0 or 1). out may alias a or b. */
  public static short addRaw(byte[] a, short aOff, byte[] b, short bOff, byte[] out, short outOff) {
    short carry = 0;
    for (short i = (short) (LENGTH - 1); i >= 0; i--) {
      short sum = (short) ((short) (a[(short) (aOff + i)] & 0xFF)
          + (short) (b[(short) (bOff + i)] & 0xFF) + carry);
      out[(short) (outOff + i)] = (byte) sum;
      carry = (short) (sum >> 8);
    }
    return carry;
  }

  /** out = a - b over 256 bits; @return the borrow out (0 or 1). out may alias a or b. */
  public static short subtractRaw(byte[] a, short aOff, byte[] b, short bOff, byte[] out,
      short outOff) {
    short borrow = 0;
    for (short i = (short) (LENGTH - 1); i >= 0; i--) {
      short d = (short) ((short) (a[(short) (aOff + i)] & 0xFF)
          - (short) (b[(short) (bOff + i)] & 0xFF) - borrow);
      out[(short) (outOff + i)] = (byte) d;
      borrow = d < 0 ? (short) 1 : (short) 0;
    }
    return borrow;
  }
}
