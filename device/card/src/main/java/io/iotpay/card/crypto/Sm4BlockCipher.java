package io.iotpay.card.crypto;

import javacard.framework.JCSystem;
import javacard.framework.Util;

/**
 * SM4 (GB/T 32907-2016, formerly GM/T 0004-2012) in byte and short arithmetic only, because the
 * Java Card API has no SM algorithm. A 32-bit word is four bytes, big-endian; rotations are a byte
 * rotation plus a bit shift across neighbouring bytes. Round keys and the state live in transient
 * (clear-on-deselect) memory allocated once in the constructor.
 *
 * <p>Speed is not the goal (a real SE has a hardware SM4); exactness and converter compatibility are.
 */
public final class Sm4BlockCipher implements BlockCipher16 {

  private static final short BLOCK = 16;
  private static final short ROUNDS = 32;

  /** The S-box of GB/T 32907-2016 section 6.2 (a published constant table). */
  private static final byte[] SBOX = {
      (byte) 0xD6, (byte) 0x90, (byte) 0xE9, (byte) 0xFE, (byte) 0xCC, (byte) 0xE1, (byte) 0x3D, (byte) 0xB7,
      (byte) 0x16, (byte) 0xB6, (byte) 0x14, (byte) 0xC2, (byte) 0x28, (byte) 0xFB, (byte) 0x2C, (byte) 0x05,
      (byte) 0x2B, (byte) 0x67, (byte) 0x9A, (byte) 0x76, (byte) 0x2A, (byte) 0xBE, (byte) 0x04, (byte) 0xC3,
      (byte) 0xAA, (byte) 0x44, (byte) 0x13, (byte) 0x26, (byte) 0x49, (byte) 0x86, (byte) 0x06, (byte) 0x99,
      (byte) 0x9C, (byte) 0x42, (byte) 0x50, (byte) 0xF4, (byte) 0x91, (byte) 0xEF, (byte) 0x98, (byte) 0x7A,
      (byte) 0x33, (byte) 0x54, (byte) 0x0B, (byte) 0x43, (byte) 0xED, (byte) 0xCF, (byte) 0xAC, (byte) 0x62,
      (byte) 0xE4, (byte) 0xB3, (byte) 0x1C, (byte) 0xA9, (byte) 0xC9, (byte) 0x08, (byte) 0xE8, (byte) 0x95,
      (byte) 0x80, (byte) 0xDF, (byte) 0x94, (byte) 0xFA, (byte) 0x75, (byte) 0x8F, (byte) 0x3F, (byte) 0xA6,
      (byte) 0x47, (byte) 0x07, (byte) 0xA7, (byte) 0xFC, (byte) 0xF3, (byte) 0x73, (byte) 0x17, (byte) 0xBA,
      (byte) 0x83, (byte) 0x59, (byte) 0x3C, (byte) 0x19, (byte) 0xE6, (byte) 0x85, (byte) 0x4F, (byte) 0xA8,
      (byte) 0x68, (byte) 0x6B, (byte) 0x81, (byte) 0xB2, (byte) 0x71, (byte) 0x64, (byte) 0xDA, (byte) 0x8B,
      (byte) 0xF8, (byte) 0xEB, (byte) 0x0F, (byte) 0x4B, (byte) 0x70, (byte) 0x56, (byte) 0x9D, (byte) 0x35,
      (byte) 0x1E, (byte) 0x24, (byte) 0x0E, (byte) 0x5E, (byte) 0x63, (byte) 0x58, (byte) 0xD1, (byte) 0xA2,
      (byte) 0x25, (byte) 0x22, (byte) 0x7C, (byte) 0x3B, (byte) 0x01, (byte) 0x21, (byte) 0x78, (byte) 0x87,
      (byte) 0xD4, (byte) 0x00, (byte) 0x46, (byte) 0x57, (byte) 0x9F, (byte) 0xD3, (byte) 0x27, (byte) 0x52,
      (byte) 0x4C, (byte) 0x36, (byte) 0x02, (byte) 0xE7, (byte) 0xA0, (byte) 0xC4, (byte) 0xC8, (byte) 0x9E,
      (byte) 0xEA, (byte) 0xBF, (byte) 0x8A, (byte) 0xD2, (byte) 0x40, (byte) 0xC7, (byte) 0x38, (byte) 0xB5,
      (byte) 0xA3, (byte) 0xF7, (byte) 0xF2, (byte) 0xCE, (byte) 0xF9, (byte) 0x61, (byte) 0x15, (byte) 0xA1,
      (byte) 0xE0, (byte) 0xAE, (byte) 0x5D, (byte) 0xA4, (byte) 0x9B, (byte) 0x34, (byte) 0x1A, (byte) 0x55,
      (byte) 0xAD, (byte) 0x93, (byte) 0x32, (byte) 0x30, (byte) 0xF5, (byte) 0x8C, (byte) 0xB1, (byte) 0xE3,
      (byte) 0x1D, (byte) 0xF6, (byte) 0xE2, (byte) 0x2E, (byte) 0x82, (byte) 0x66, (byte) 0xCA, (byte) 0x60,
      (byte) 0xC0, (byte) 0x29, (byte) 0x23, (byte) 0xAB, (byte) 0x0D, (byte) 0x53, (byte) 0x4E, (byte) 0x6F,
      (byte) 0xD5, (byte) 0xDB, (byte) 0x37, (byte) 0x45, (byte) 0xDE, (byte) 0xFD, (byte) 0x8E, (byte) 0x2F,
      (byte) 0x03, (byte) 0xFF, (byte) 0x6A, (byte) 0x72, (byte) 0x6D, (byte) 0x6C, (byte) 0x5B, (byte) 0x51,
      (byte) 0x8D, (byte) 0x1B, (byte) 0xAF, (byte) 0x92, (byte) 0xBB, (byte) 0xDD, (byte) 0xBC, (byte) 0x7F,
      (byte) 0x11, (byte) 0xD9, (byte) 0x5C, (byte) 0x41, (byte) 0x1F, (byte) 0x10, (byte) 0x5A, (byte) 0xD8,
      (byte) 0x0A, (byte) 0xC1, (byte) 0x31, (byte) 0x88, (byte) 0xA5, (byte) 0xCD, (byte) 0x7B, (byte) 0xBD,
      (byte) 0x2D, (byte) 0x74, (byte) 0xD0, (byte) 0x12, (byte) 0xB8, (byte) 0xE5, (byte) 0xB4, (byte) 0xB0,
      (byte) 0x89, (byte) 0x69, (byte) 0x97, (byte) 0x4A, (byte) 0x0C, (byte) 0x96, (byte) 0x77, (byte) 0x7E,
      (byte) 0x65, (byte) 0xB9, (byte) 0xF1, (byte) 0x09, (byte) 0xC5, (byte) 0x6E, (byte) 0xC6, (byte) 0x84,
      (byte) 0x18, (byte) 0xF0, (byte) 0x7D, (byte) 0xEC, (byte) 0x3A, (byte) 0xDC, (byte) 0x4D, (byte) 0x20,
      (byte) 0x79, (byte) 0xEE, (byte) 0x5F, (byte) 0x3E, (byte) 0xD7, (byte) 0xCB, (byte) 0x39, (byte) 0x48,
  };

  /** System parameter FK of GB/T 32907-2016 section 7.3. */
  private static final byte[] FK = {
      (byte) 0xA3, (byte) 0xB1, (byte) 0xBA, (byte) 0xC6, (byte) 0x56, (byte) 0xAA, (byte) 0x33, (byte) 0x50,
      (byte) 0x67, (byte) 0x7D, (byte) 0x91, (byte) 0x97, (byte) 0xB2, (byte) 0x70, (byte) 0x22, (byte) 0xDC
  };

  /** 32 round keys of 4 bytes. */
  private final byte[] roundKeys;
  /** State words X0..X3 as a ring of four 4-byte slots, then two 4-byte scratch words. */
  private final byte[] work;

  private static final short T = 16;
  private static final short U = 20;

  /** Allocates the transient round-key and state buffers; call once, at install. */
  public Sm4BlockCipher() {
    roundKeys = JCSystem.makeTransientByteArray((short) (ROUNDS * 4), JCSystem.CLEAR_ON_DESELECT);
    work = JCSystem.makeTransientByteArray((short) 24, JCSystem.CLEAR_ON_DESELECT);
  }

  public short blockLength() {
    return BLOCK;
  }

  public void setKey(byte[] key, short keyOff) {
    // K_i = MK_i xor FK_i, kept in the state ring; rk_i = K_(i+4).
    for (short j = 0; j < BLOCK; j++) {
      work[j] = (byte) (key[(short) (keyOff + j)] ^ FK[j]);
    }
    for (short i = 0; i < ROUNDS; i++) {
      short slot = (short) ((i & 3) * 4);
      for (short j = 0; j < 4; j++) {
        // CK_(i,j) = (4i + j) * 7 mod 256 (GB/T 32907-2016 section 7.3).
        byte ck = (byte) ((short) ((short) (i * 4) + j) * 7);
        work[(short) (T + j)] = (byte) (work[(short) (((i + 1) & 3) * 4 + j)]
            ^ work[(short) (((i + 2) & 3) * 4 + j)] ^ work[(short) (((i + 3) & 3) * 4 + j)] ^ ck);
      }
      substitute();
      linearKey();
      for (short j = 0; j < 4; j++) {
        byte k = (byte) (work[(short) (slot + j)] ^ work[(short) (U + j)]);
        work[(short) (slot + j)] = k;
        roundKeys[(short) (i * 4 + j)] = k;
      }
    }
    Util.arrayFillNonAtomic(work, (short) 0, (short) work.length, (byte) 0);
  }

  public void encryptBlock(byte[] in, short inOff, byte[] out, short outOff) {
    crypt(in, inOff, out, outOff, false);
  }

  public void decryptBlock(byte[] in, short inOff, byte[] out, short outOff) {
    crypt(in, inOff, out, outOff, true);
  }

  public void encryptBlockChaining(byte[] in, short inOff, byte[] out, short outOff) {
    crypt(in, inOff, out, outOff, false);
  }

  private void crypt(byte[] in, short inOff, byte[] out, short outOff, boolean decrypt) {
    Util.arrayCopyNonAtomic(in, inOff, work, (short) 0, BLOCK);
    for (short i = 0; i < ROUNDS; i++) {
      short rk = decrypt ? (short) ((ROUNDS - 1 - i) * 4) : (short) (i * 4);
      for (short j = 0; j < 4; j++) {
        work[(short) (T + j)] = (byte) (work[(short) (((i + 1) & 3) * 4 + j)]
            ^ work[(short) (((i + 2) & 3) * 4 + j)] ^ work[(short) (((i + 3) & 3) * 4 + j)]
            ^ roundKeys[(short) (rk + j)]);
      }
      substitute();
      linearRound();
      short slot = (short) ((i & 3) * 4);
      for (short j = 0; j < 4; j++) {
        work[(short) (slot + j)] = (byte) (work[(short) (slot + j)] ^ work[(short) (U + j)]);
      }
    }
    // After 32 rounds the ring holds X32..X35 in slots 0..3; the output is X35 X34 X33 X32.
    for (short s = 0; s < 4; s++) {
      Util.arrayCopyNonAtomic(work, (short) ((3 - s) * 4), out, (short) (outOff + s * 4), (short) 4);
    }
    Util.arrayFillNonAtomic(work, (short) 0, (short) work.length, (byte) 0);
  }

  /** tau: the S-box on each byte of the scratch word T. */
  private void substitute() {
    for (short j = 0; j < 4; j++) {
      work[(short) (T + j)] = SBOX[(short) (work[(short) (T + j)] & 0xFF)];
    }
  }

  /** U = L(T) = T ^ (T <<< 2) ^ (T <<< 10) ^ (T <<< 18) ^ (T <<< 24). */
  private void linearRound() {
    Util.arrayCopyNonAtomic(work, T, work, U, (short) 4);
    xorRotated((short) 2);
    xorRotated((short) 10);
    xorRotated((short) 18);
    xorRotated((short) 24);
  }

  /** U = L'(T) = T ^ (T <<< 13) ^ (T <<< 23), the key-schedule transform. */
  private void linearKey() {
    Util.arrayCopyNonAtomic(work, T, work, U, (short) 4);
    xorRotated((short) 13);
    xorRotated((short) 23);
  }

  /** U ^= T rotated left by {@code bits} (0 < bits < 32). */
  private void xorRotated(short bits) {
    short byteShift = (short) (bits >> 3);
    short bitShift = (short) (bits & 7);
    for (short j = 0; j < 4; j++) {
      short hi = (short) (work[(short) (T + ((j + byteShift) & 3))] & 0xFF);
      short lo = (short) (work[(short) (T + ((j + byteShift + 1) & 3))] & 0xFF);
      short v = (short) ((short) (hi << bitShift) | (short) (lo >> (short) (8 - bitShift)));
      work[(short) (U + j)] = (byte) (work[(short) (U + j)] ^ v);
    }
  }
}
