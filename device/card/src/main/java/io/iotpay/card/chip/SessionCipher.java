package io.iotpay.card.chip;

import io.iotpay.card.crypto.BlockCipher16;
import javacard.framework.JCSystem;
import javacard.framework.Util;

/**
 * Block modes the chip's secure session uses over one 16-byte-block {@link BlockCipher16} (AES or
 * SM4): CBC with an explicit IV and ISO/IEC 9797-1 padding method 2, and CMAC (NIST SP 800-38B,
 * RFC 4493 for AES; the same construction over SM4). Work buffers are transient, allocated once.
 */
public final class SessionCipher {

  /** Block length in bytes (both ciphers). */
  public static final short BLOCK = 16;

  private final BlockCipher16 cipher;
  private final byte[] chain;
  private final byte[] subkey;

  /** @param cipher a cipher with 16-byte blocks, not null */
  public SessionCipher(BlockCipher16 cipher) {
    this.cipher = cipher;
    chain = JCSystem.makeTransientByteArray(BLOCK, JCSystem.CLEAR_ON_DESELECT);
    subkey = JCSystem.makeTransientByteArray(BLOCK, JCSystem.CLEAR_ON_DESELECT);
  }

  /** out = E(key, in) for one block (IV derivation). */
  public void encryptBlock(byte[] key, short keyOff, byte[] in, short inOff, byte[] out,
      short outOff) {
    cipher.setKey(key, keyOff);
    cipher.encryptBlock(in, inOff, out, outOff);
  }

  /**
   * Pads {@code len} bytes with 80 00.. (always at least one byte) and CBC-encrypts them.
   *
   * @return the ciphertext length: len rounded up to the next multiple of 16 above it
   */
  public short encryptCbc(byte[] key, short keyOff, byte[] iv, short ivOff, byte[] in, short inOff,
      short len, byte[] out, short outOff) {
    cipher.setKey(key, keyOff);
    Util.arrayCopyNonAtomic(iv, ivOff, chain, (short) 0, BLOCK);
    short total = (short) ((short) (len / BLOCK + 1) * BLOCK);
    for (short p = 0; p < total; p = (short) (p + BLOCK)) {
      for (short j = 0; j < BLOCK; j++) {
        short pos = (short) (p + j);
        byte b = 0;
        if (pos < len) {
          b = in[(short) (inOff + pos)];
        } else if (pos == len) {
          b = (byte) 0x80;
        }
        chain[j] = (byte) (chain[j] ^ b);
      }
      cipher.encryptBlock(chain, (short) 0, chain, (short) 0);
      Util.arrayCopyNonAtomic(chain, (short) 0, out, (short) (outOff + p), BLOCK);
    }
    return total;
  }

  /**
   * CBC-decrypts {@code len} bytes (a positive multiple of 16) and removes padding method 2.
   * {@code out} must not overlap {@code in}.
   *
   * @return the plaintext length, or -1 when the padding is malformed
   */
  public short decryptCbc(byte[] key, short keyOff, byte[] iv, short ivOff, byte[] in, short inOff,
      short len, byte[] out, short outOff) {
    cipher.setKey(key, keyOff);
    Util.arrayCopyNonAtomic(iv, ivOff, chain, (short) 0, BLOCK);
    for (short p = 0; p < len; p = (short) (p + BLOCK)) {
      cipher.decryptBlock(in, (short) (inOff + p), out, (short) (outOff + p));
      for (short j = 0; j < BLOCK; j++) {
        out[(short) (outOff + p + j)] = (byte) (out[(short) (outOff + p + j)] ^ chain[j]);
      }
      Util.arrayCopyNonAtomic(in, (short) (inOff + p), chain, (short) 0, BLOCK);
    }
    // Padding lies in the last block only: skip zeros backwards, then expect 80.
    short last = (short) (len - 1);
    short floor = (short) (len - BLOCK);
    while (last >= floor && out[(short) (outOff + last)] == 0) {
      last--;
    }
    if (last < floor || out[(short) (outOff + last)] != (byte) 0x80) {
      return -1;
    }
    return last;
  }

  /**
   * CMAC of {@code len} bytes (SP 800-38B section 6.2), the first {@code macLength} bytes of it
   * written to {@code out}.
   */
  public void cmac(byte[] key, short keyOff, byte[] in, short inOff, short len, byte[] out,
      short outOff, short macLength) {
    cipher.setKey(key, keyOff);
    // Subkeys: L = E(0); K1 = dbl(L); K2 = dbl(K1) (SP 800-38B section 6.1, Rb = 0x87).
    Util.arrayFillNonAtomic(subkey, (short) 0, BLOCK, (byte) 0);
    cipher.encryptBlock(subkey, (short) 0, subkey, (short) 0);
    doubleBlock();
    boolean complete = len > 0 && (short) (len % BLOCK) == 0;
    if (!complete) {
      doubleBlock();
    }
    short blocks = complete ? (short) (len / BLOCK) : (short) (len / BLOCK + 1);
    Util.arrayFillNonAtomic(chain, (short) 0, BLOCK, (byte) 0);
    for (short b = 0; b < blocks; b++) {
      short start = (short) (b * BLOCK);
      boolean lastBlock = b == (short) (blocks - 1);
      for (short j = 0; j < BLOCK; j++) {
        short pos = (short) (start + j);
        byte m = 0;
        if (pos < len) {
          m = in[(short) (inOff + pos)];
        } else if (pos == len) {
          m = (byte) 0x80;
        }
        if (lastBlock) {
          m = (byte) (m ^ subkey[j]);
        }
        chain[j] = (byte) (chain[j] ^ m);
      }
      cipher.encryptBlock(chain, (short) 0, chain, (short) 0);
    }
    Util.arrayCopyNonAtomic(chain, (short) 0, out, outOff, macLength);
    Util.arrayFillNonAtomic(subkey, (short) 0, BLOCK, (byte) 0);
  }

  /** subkey = subkey * x in GF(2^128): shift left one bit, fold the carry in with 0x87. */
  private void doubleBlock() {
    short carry = (short) ((subkey[0] >> 7) & 1);
    for (short j = 0; j < (short) (BLOCK - 1); j++) {
      subkey[j] = (byte) ((short) (subkey[j] << 1) | (short) ((subkey[(short) (j + 1)] >> 7) & 1));
    }
    subkey[(short) (BLOCK - 1)] = (byte) (subkey[(short) (BLOCK - 1)] << 1);
    if (carry != 0) {
      subkey[(short) (BLOCK - 1)] = (byte) (subkey[(short) (BLOCK - 1)] ^ (byte) 0x87);
    }
  }
}
