package io.iotpay.card.crypto;

import javacard.framework.JCSystem;
import javacard.framework.Util;

/**
 * MACs, key derivations and block-mode helpers over one {@link BlockCipher16}, so each formula in
 * {@code docs/card-apdus.md} exists once for both suites. All padding is ISO/IEC 9797-1 method 2
 * ({@code 80 00 ..}, always at least one byte). Work buffers are transient and allocated once.
 */
public final class CardMac {

  private static final short BUF = 16;

  private final BlockCipher16 cipher;
  private final byte[] chain;
  private final byte[] block;

  /**
   * @param cipher the suite's block cipher, not null
   */
  public CardMac(BlockCipher16 cipher) {
    this.cipher = cipher;
    chain = JCSystem.makeTransientByteArray(BUF, JCSystem.CLEAR_ON_DESELECT);
    block = JCSystem.makeTransientByteArray(BUF, JCSystem.CLEAR_ON_DESELECT);
  }

  /** @return the cipher this MAC runs on */
  public BlockCipher16 cipher() {
    return cipher;
  }

  /** @return the block (and full MAC) length in bytes */
  public short blockLength() {
    return cipher.blockLength();
  }

  /**
   * CBC-MAC with padding method 2. With {@code retail} the inner blocks use
   * {@link BlockCipher16#encryptBlockChaining} and the last the full cipher (MAC algorithm 3 for
   * triple DES); without it every block uses the full cipher (MAC algorithm 1). For SM4 both are
   * algorithm 1.
   *
   * @param icv initial chaining value of one block, or null for zeros
   * @return the number of MAC bytes written to {@code out}: one block
   */
  public short mac(byte[] key, short keyOff, byte[] icv, short icvOff, byte[] data, short off,
      short len, boolean retail, byte[] out, short outOff) {
    short n = cipher.blockLength();
    cipher.setKey(key, keyOff);
    if (icv == null) {
      Util.arrayFillNonAtomic(chain, (short) 0, n, (byte) 0);
    } else {
      Util.arrayCopyNonAtomic(icv, icvOff, chain, (short) 0, n);
    }
    short blocks = (short) ((short) (len / n) + 1);
    for (short b = 0; b < blocks; b++) {
      fillPadded(data, off, len, (short) (b * n), n);
      for (short j = 0; j < n; j++) {
        chain[j] = (byte) (chain[j] ^ block[j]);
      }
      if (retail && b < (short) (blocks - 1)) {
        cipher.encryptBlockChaining(chain, (short) 0, chain, (short) 0);
      } else {
        cipher.encryptBlock(chain, (short) 0, chain, (short) 0);
      }
    }
    Util.arrayCopyNonAtomic(chain, (short) 0, out, outOff, n);
    return n;
  }

  private void fillPadded(byte[] data, short off, short len, short start, short n) {
    for (short j = 0; j < n; j++) {
      short pos = (short) (start + j);
      if (pos < len) {
        block[j] = data[(short) (off + pos)];
      } else if (pos == len) {
        block[j] = (byte) 0x80;
      } else {
        block[j] = 0;
      }
    }
  }

  /**
   * EMV common session key derivation (EMV Book 2 A1.3) from a 2-byte counter: for 8-byte blocks
   * SK = E(MK)[C || F0 || 00..] || E(MK)[C || 0F || 00..]; for 16-byte blocks SK = E(MK)[C || F0 || 00..].
   *
   * @param counter array holding the 2-byte counter (ATC or Push ATC) at {@code counterOff}
   * @param out receives the 16-byte session key
   */
  public void deriveCounterKey(byte[] masterKey, short masterOff, byte[] counter, short counterOff,
      byte[] out, short outOff) {
    short n = cipher.blockLength();
    cipher.setKey(masterKey, masterOff);
    Util.arrayFillNonAtomic(block, (short) 0, BUF, (byte) 0);
    block[0] = counter[counterOff];
    block[1] = counter[(short) (counterOff + 1)];
    block[2] = (byte) 0xF0;
    cipher.encryptBlock(block, (short) 0, out, outOff);
    if (n == 8) {
      block[2] = (byte) 0x0F;
      cipher.encryptBlock(block, (short) 0, out, (short) (outOff + 8));
    }
  }

  /**
   * A session key of one domain from a 4-byte value (the wallet rating's version, docs/wallet-apdus.md
   * §3.8): for 8-byte blocks SK = E(MK)[V || D || F0 || 00 00] || E(MK)[V || D || 0F || 00 00]; for
   * 16-byte blocks SK = E(MK)[V || D || F0 || 00..]. With D never 00 no such block is one of
   * {@link #deriveCounterKey}'s, whose byte 4 is always 00: a domain key is never a counter key.
   *
   * @param value array holding the 4-byte value at {@code valueOff}
   * @param domain the domain byte D, not 00
   * @param out receives the 16-byte session key
   */
  public void deriveDomainKey(byte[] masterKey, short masterOff, byte[] value, short valueOff, byte domain,
      byte[] out, short outOff) {
    short n = cipher.blockLength();
    cipher.setKey(masterKey, masterOff);
    Util.arrayFillNonAtomic(block, (short) 0, BUF, (byte) 0);
    Util.arrayCopyNonAtomic(value, valueOff, block, (short) 0, (short) 4);
    block[4] = domain;
    block[5] = (byte) 0xF0;
    cipher.encryptBlock(block, (short) 0, out, outOff);
    if (n == 8) {
      block[5] = (byte) 0x0F;
      cipher.encryptBlock(block, (short) 0, out, (short) (outOff + 8));
    }
  }

  /**
   * CBC encryption with a zero ICV of {@code len} bytes (a multiple of the block length); SCP02
   * session keys are this over their 16-byte derivation data.
   */
  public void cbcEncrypt(byte[] key, short keyOff, byte[] in, short inOff, short len, byte[] out,
      short outOff) {
    short n = cipher.blockLength();
    cipher.setKey(key, keyOff);
    Util.arrayFillNonAtomic(chain, (short) 0, BUF, (byte) 0);
    for (short p = 0; p < len; p = (short) (p + n)) {
      for (short j = 0; j < n; j++) {
        chain[j] = (byte) (chain[j] ^ in[(short) (inOff + p + j)]);
      }
      cipher.encryptBlock(chain, (short) 0, chain, (short) 0);
      Util.arrayCopyNonAtomic(chain, (short) 0, out, (short) (outOff + p), n);
    }
  }

  /** ECB decryption of {@code len} bytes (a multiple of the block length), in place allowed. */
  public void ecbDecrypt(byte[] key, short keyOff, byte[] in, short inOff, short len, byte[] out,
      short outOff) {
    short n = cipher.blockLength();
    cipher.setKey(key, keyOff);
    for (short p = 0; p < len; p = (short) (p + n)) {
      cipher.decryptBlock(in, (short) (inOff + p), out, (short) (outOff + p));
    }
  }

  /** Encrypts one block in place with the chaining cipher (SCP02 ICV encryption). */
  public void encryptChainingValue(byte[] key, short keyOff, byte[] buf, short off) {
    cipher.setKey(key, keyOff);
    cipher.encryptBlockChaining(buf, off, buf, off);
  }

  /**
   * Compares without an early exit, so the time taken does not reveal how many leading MAC bytes
   * an attacker got right.
   */
  public static boolean equalsConstantTime(byte[] a, short aOff, byte[] b, short bOff, short len) {
    byte diff = 0;
    for (short i = 0; i < len; i++) {
      diff = (byte) (diff | (a[(short) (aOff + i)] ^ b[(short) (bOff + i)]));
    }
    return diff == 0;
  }
}
