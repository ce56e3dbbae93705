package io.iotpay.card.chip;

import javacard.framework.JCSystem;
import javacard.framework.Util;
import javacard.security.CryptoException;

/**
 * SM3 (GB/T 32905-2016) in byte and short arithmetic only, because the Java Card API has no SM3.
 * A 32-bit word is four bytes, big-endian, in one transient work array; additions carry byte by
 * byte and rotations move whole bytes then bits across neighbours. Incremental: {@link #reset},
 * {@link #update}, {@link #doFinal}. Messages are limited to {@link #MESSAGE_BYTES_MAX} bytes so
 * the bit length fits the short arithmetic the converter allows (the applet hashes at most a few
 * hundred bytes).
 *
 * <p>Speed is not the goal (a real SE has a hardware SM3); exactness and converter compatibility are.
 */
public final class Sm3Digest {

  /** Digest length in bytes. */
  public static final short LENGTH = 32;
  /** Longest message this implementation hashes, in bytes (bit length must fit 16 bits). */
  public static final short MESSAGE_BYTES_MAX = 4095;

  private static final short BLOCK = 64;

  /** Initial value IV of GB/T 32905-2016 section 4.1. */
  private static final byte[] IV = {
      (byte) 0x73, (byte) 0x80, (byte) 0x16, (byte) 0x6F, (byte) 0x49, (byte) 0x14, (byte) 0xB2, (byte) 0xB9,
      (byte) 0x17, (byte) 0x24, (byte) 0x42, (byte) 0xD7, (byte) 0xDA, (byte) 0x8A, (byte) 0x06, (byte) 0x00,
      (byte) 0xA9, (byte) 0x6F, (byte) 0x30, (byte) 0xBC, (byte) 0x16, (byte) 0x31, (byte) 0x38, (byte) 0xAA,
      (byte) 0xE3, (byte) 0x8D, (byte) 0xEE, (byte) 0x4D, (byte) 0xB0, (byte) 0xFB, (byte) 0x0E, (byte) 0x4E,
  };
  /** Constants T_j of section 4.2: 79CC4519 for rounds 0..15, 7A879D8A for 16..63. */
  private static final byte[] T_CONSTANTS = {
      (byte) 0x79, (byte) 0xCC, (byte) 0x45, (byte) 0x19, (byte) 0x7A, (byte) 0x87, (byte) 0x9D, (byte) 0x8A,
  };

  // Layout of the work array: 68 expanded words, the eight registers, then scratch words.
  private static final short W = 0;
  private static final short A = 272;
  private static final short B = 276;
  private static final short C = 280;
  private static final short D = 284;
  private static final short E = 288;
  private static final short F = 292;
  private static final short G = 296;
  private static final short H = 300;
  private static final short SS1 = 304;
  private static final short SS2 = 308;
  private static final short TT1 = 312;
  private static final short TT2 = 316;
  private static final short X = 320;
  private static final short Y = 324;
  private static final short WORK_LENGTH = 328;

  private final byte[] v;
  private final byte[] block;
  private final byte[] work;
  /** [0] bytes waiting in {@code block}; [1] total message bytes so far. */
  private final short[] counts;

  /** Allocates the transient buffers; call once, at install. */
  public Sm3Digest() {
    v = JCSystem.makeTransientByteArray(LENGTH, JCSystem.CLEAR_ON_DESELECT);
    block = JCSystem.makeTransientByteArray(BLOCK, JCSystem.CLEAR_ON_DESELECT);
    work = JCSystem.makeTransientByteArray(WORK_LENGTH, JCSystem.CLEAR_ON_DESELECT);
    counts = JCSystem.makeTransientShortArray((short) 2, JCSystem.CLEAR_ON_DESELECT);
    reset();
  }

  /** Starts a new message. */
  public void reset() {
    Util.arrayCopyNonAtomic(IV, (short) 0, v, (short) 0, LENGTH);
    counts[0] = 0;
    counts[1] = 0;
  }

  /**
   * Hashes {@code len} more message bytes.
   *
   * @throws CryptoException ILLEGAL_USE when the message would exceed {@link #MESSAGE_BYTES_MAX}
   */
  public void update(byte[] in, short off, short len) {
    if (len < 0 || len > (short) (MESSAGE_BYTES_MAX - counts[1])) {
      CryptoException.throwIt(CryptoException.ILLEGAL_USE);
    }
    counts[1] = (short) (counts[1] + len);
    short p = off;
    short end = (short) (off + len);
    while (p < end) {
      short take = (short) (BLOCK - counts[0]);
      if (take > (short) (end - p)) {
        take = (short) (end - p);
      }
      Util.arrayCopyNonAtomic(in, p, block, counts[0], take);
      counts[0] = (short) (counts[0] + take);
      p = (short) (p + take);
      if (counts[0] == BLOCK) {
        compress();
        counts[0] = 0;
      }
    }
  }

  /**
   * Hashes the last bytes, writes the 32-byte digest and resets for a new message.
   *
   * @return {@link #LENGTH}
   */
  public short doFinal(byte[] in, short off, short len, byte[] out, short outOff) {
    update(in, off, len);
    short total = counts[1];
    // Padding of section 5.2: one 1 bit, zeros, then the 64-bit big-endian bit length.
    block[counts[0]] = (byte) 0x80;
    counts[0]++;
    if (counts[0] > (short) (BLOCK - 8)) {
      if (counts[0] < BLOCK) {
        Util.arrayFillNonAtomic(block, counts[0], (short) (BLOCK - counts[0]), (byte) 0);
      }
      compress();
      counts[0] = 0;
    }
    Util.arrayFillNonAtomic(block, counts[0], (short) (BLOCK - counts[0]), (byte) 0);
    block[(short) (BLOCK - 2)] = (byte) ((total >> 5) & 0xFF);
    block[(short) (BLOCK - 1)] = (byte) (total << 3);
    compress();
    Util.arrayCopyNonAtomic(v, (short) 0, out, outOff, LENGTH);
    Util.arrayFillNonAtomic(work, (short) 0, WORK_LENGTH, (byte) 0);
    reset();
    return LENGTH;
  }

  /** The compression function CF of section 5.3.3 on {@code block}. */
  private void compress() {
    expand();
    Util.arrayCopyNonAtomic(v, (short) 0, work, A, LENGTH);
    for (short j = 0; j < 64; j++) {
      round(j);
    }
    for (short i = 0; i < LENGTH; i++) {
      v[i] = (byte) (v[i] ^ work[(short) (A + i)]);
    }
  }

  /** Message expansion of section 5.3.2: W0..W67 (W'j is formed on the fly in {@link #round}). */
  private void expand() {
    Util.arrayCopyNonAtomic(block, (short) 0, work, W, BLOCK);
    for (short j = 16; j < 68; j++) {
      short wj = (short) (W + j * 4);
      // X = W(j-16) ^ W(j-9) ^ (W(j-3) <<< 15); then W(j) = P1(X) ^ (W(j-13) <<< 7) ^ W(j-6).
      rotl(X, (short) (wj - 12), (short) 15);
      xorInto(X, (short) (wj - 64));
      xorInto(X, (short) (wj - 36));
      permute(wj, X, (short) 15, (short) 23);
      rotl(Y, (short) (wj - 52), (short) 7);
      xorInto(wj, Y);
      xorInto(wj, (short) (wj - 24));
    }
  }

  private void round(short j) {
    // SS1 = ((A <<< 12) + E + (Tj <<< (j mod 32))) <<< 7; SS2 = SS1 ^ (A <<< 12)
    Util.arrayCopyNonAtomic(T_CONSTANTS, j < 16 ? (short) 0 : (short) 4, work, Y, (short) 4);
    rotl(X, Y, (short) (j & 31));
    rotl(Y, A, (short) 12);
    add(X, Y);
    add(X, E);
    rotl(SS1, X, (short) 7);
    Util.arrayCopyNonAtomic(work, SS1, work, SS2, (short) 4);
    xorInto(SS2, Y);
    // TT1 = FF(A,B,C) + D + SS2 + W'j with W'j = Wj ^ W(j+4)
    booleanFunction(TT1, A, B, C, j < 16, true);
    add(TT1, D);
    add(TT1, SS2);
    short wj = (short) (W + j * 4);
    Util.arrayCopyNonAtomic(work, wj, work, X, (short) 4);
    xorInto(X, (short) (wj + 16));
    add(TT1, X);
    // TT2 = GG(E,F,G) + H + SS1 + Wj
    booleanFunction(TT2, E, F, G, j < 16, false);
    add(TT2, H);
    add(TT2, SS1);
    add(TT2, wj);
    // D = C; C = B <<< 9; B = A; A = TT1; H = G; G = F <<< 19; F = E; E = P0(TT2)
    Util.arrayCopyNonAtomic(work, C, work, D, (short) 4);
    rotl(C, B, (short) 9);
    Util.arrayCopyNonAtomic(work, A, work, B, (short) 4);
    Util.arrayCopyNonAtomic(work, TT1, work, A, (short) 4);
    Util.arrayCopyNonAtomic(work, G, work, H, (short) 4);
    rotl(G, F, (short) 19);
    Util.arrayCopyNonAtomic(work, E, work, F, (short) 4);
    permute(E, TT2, (short) 9, (short) 17);
  }

  /**
   * FF_j or GG_j: x ^ y ^ z in rounds 0..15; afterwards majority (FF) or choose (GG).
   */
  private void booleanFunction(short out, short x, short y, short z, boolean early, boolean ff) {
    for (short i = 0; i < 4; i++) {
      short a = work[(short) (x + i)];
      short b = work[(short) (y + i)];
      short c = work[(short) (z + i)];
      short r;
      if (early) {
        r = (short) (a ^ b ^ c);
      } else if (ff) {
        r = (short) ((a & b) | (a & c) | (b & c));
      } else {
        r = (short) ((a & b) | (~a & c));
      }
      work[(short) (out + i)] = (byte) r;
    }
  }

  /** out = in ^ (in <<< r1) ^ (in <<< r2): P0 is (9, 17), P1 is (15, 23). out may not be Y. */
  private void permute(short out, short in, short r1, short r2) {
    rotl(Y, in, r1);
    Util.arrayCopyNonAtomic(work, in, work, out, (short) 4);
    xorInto(out, Y);
    rotl(Y, in, r2);
    xorInto(out, Y);
  }

  /** out = in rotated left by {@code bits} (0..31); out and in must not overlap. */
  private void rotl(short out, short in, short bits) {
    short byteShift = (short) (bits >> 3);
    short bitShift = (short) (bits & 7);
    for (short i = 0; i < 4; i++) {
      short hi = (short) (work[(short) (in + ((i + byteShift) & 3))] & 0xFF);
      short lo = (short) (work[(short) (in + ((i + byteShift + 1) & 3))] & 0xFF);
      work[(short) (out + i)] = (byte) ((short) (hi << bitShift) | (short) (lo >> (short) (8 - bitShift)));
    }
  }

  private void xorInto(short out, short in) {
    for (short i = 0; i < 4; i++) {
      work[(short) (out + i)] = (byte) (work[(short) (out + i)] ^ work[(short) (in + i)]);
    }
  }

  /** out = out + in mod 2^32. */
  private void add(short out, short in) {
    short carry = 0;
    for (short i = 3; i >= 0; i--) {
      short sum = (short) ((short) (work[(short) (out + i)] & 0xFF)
          + (short) (work[(short) (in + i)] & 0xFF) + carry);
      work[(short) (out + i)] = (byte) sum;
      carry = (short) (sum >> 8);
    }
  }
}
