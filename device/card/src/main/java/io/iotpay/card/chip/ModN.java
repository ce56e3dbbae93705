package io.iotpay.card.chip;

import javacard.framework.JCSystem;
import javacard.framework.Util;
import javacard.security.CryptoException;

/**
 * Arithmetic modulo a 256-bit odd prime (the curve order n, or the field prime p) on 32-byte
 * big-endian numbers, in byte and short arithmetic only: what ECDSA and SM2 signing need beyond the
 * card's EC point operations, and the on-curve check of a peer's point. Multiplication is
 * bit-serial (double, then add when the multiplier bit is set); inversion is the binary extended
 * Euclidean algorithm. Neither is constant-time: a real SE would use its bignum coprocessor; this
 * is the portable fallback.
 *
 * <p>All operands must already be reduced (less than n) unless a method says otherwise. Output may
 * alias an input only where stated.
 */
public final class ModN {

  /** Length of every operand in bytes. */
  public static final short LENGTH = 32;

  private final byte[] modulus;
  /**
   * Multiplication: acc || multiplicand copy || multiplier copy; inversion: u, v, x1, x2 (32 bytes
   * each), apart from the first three so inversion may call {@link #subtract}.
   */
  private final byte[] work;

  private static final short ACC = 0;
  private static final short MULTIPLICAND = 32;
  private static final short BASE = 64;
  private static final short U = 96;
  private static final short V = 128;
  private static final short X1 = 160;
  private static final short X2 = 192;
  private static final short WORK_LENGTH = 224;
  private static final short INVERT_PASSES_MAX = 1100;

  /**
   * @param modulus array holding the 32-byte odd modulus at {@code off}; copied
   */
  public ModN(byte[] modulus, short off) {
    this.modulus = new byte[LENGTH];
    Util.arrayCopy(modulus, off, this.modulus, (short) 0, LENGTH);
    work = JCSystem.makeTransientByteArray(WORK_LENGTH, JCSystem.CLEAR_ON_DESELECT);
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
   * out = a^-1 mod n by the binary extended Euclidean algorithm (invariants x1·a = u and
   * x2·a = v mod n; halve whichever of u, v is even, else subtract the smaller from the larger).
   * Far cheaper than Fermat's a^(n-2) in this bit-serial arithmetic. a must be in [1, n); n prime.
   * out may alias a.
   *
   * @throws CryptoException ILLEGAL_VALUE if a is zero (no inverse; the loop bound is reached)
   */
  public void invert(byte[] a, short aOff, byte[] out, short outOff) {
    Util.arrayCopyNonAtomic(a, aOff, work, U, LENGTH);
    Util.arrayCopyNonAtomic(modulus, (short) 0, work, V, LENGTH);
    Util.arrayFillNonAtomic(work, X1, LENGTH, (byte) 0);
    work[(short) (X1 + LENGTH - 1)] = 1;
    Util.arrayFillNonAtomic(work, X2, LENGTH, (byte) 0);
    // Each pass removes at least one bit from u or v, so 2 x 256 passes (plus slack) bound it.
    for (short pass = 0; pass < INVERT_PASSES_MAX; pass++) {
      if (isOne(work, U)) {
        Util.arrayCopyNonAtomic(work, X1, out, outOff, LENGTH);
        return;
      }
      if (isOne(work, V)) {
        Util.arrayCopyNonAtomic(work, X2, out, outOff, LENGTH);
        return;
      }
      if ((work[(short) (U + LENGTH - 1)] & 1) == 0) {
        halve(U, X1);
      } else if ((work[(short) (V + LENGTH - 1)] & 1) == 0) {
        halve(V, X2);
      } else if (compare(work, U, work, V) >= 0) {
        subtractRaw(work, U, work, V, work, U);
        subtract(work, X1, work, X2, work, X1);
      } else {
        subtractRaw(work, V, work, U, work, V);
        subtract(work, X2, work, X1, work, X2);
      }
    }
    CryptoException.throwIt(CryptoException.ILLEGAL_VALUE);
  }

  /** value /= 2 (it is even); coefficient = coefficient / 2 mod n. */
  private void halve(short value, short coefficient) {
    shiftRight(work, value, (short) 0);
    short carry = 0;
    if ((work[(short) (coefficient + LENGTH - 1)] & 1) != 0) {
      carry = addRaw(work, coefficient, modulus, (short) 0, work, coefficient);
    }
    shiftRight(work, coefficient, carry);
  }

  /** a = (topBit · 2^256 + a) / 2. */
  private static void shiftRight(byte[] a, short off, short topBit) {
    short carry = topBit;
    for (short i = 0; i < LENGTH; i++) {
      short b = (short) (a[(short) (off + i)] & 0xFF);
      a[(short) (off + i)] = (byte) ((short) (b >> 1) | (short) (carry << 7));
      carry = (short) (b & 1);
    }
  }

  private static boolean isOne(byte[] a, short off) {
    byte high = 0;
    for (short i = 0; i < (short) (LENGTH - 1); i++) {
      high = (byte) (high | a[(short) (off + i)]);
    }
    return high == 0 && a[(short) (off + LENGTH - 1)] == 1;
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
