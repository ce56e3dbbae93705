package io.iotpay.card.gp;

import io.iotpay.card.crypto.BlockCipher16;
import javacard.framework.JCSystem;
import javacard.framework.Util;

/**
 * CMAC (NIST SP 800-38B) over a 16-byte-block {@link BlockCipher16}: AES-CMAC for INTERNATIONAL,
 * SM4-CMAC for NATIONAL. Streaming ({@link #begin}, {@link #update}, {@link #finish}) so a C-MAC
 * over chaining value, header and data needs no copy. Work buffers are transient.
 */
final class Cmac16 {

  static final short BLOCK = 16;

  private final BlockCipher16 cipher;
  private final byte[] state;
  private final byte[] pending;
  private final byte[] subkey;
  private short pendingLength;

  Cmac16(BlockCipher16 cipher) {
    this.cipher = cipher;
    state = JCSystem.makeTransientByteArray(BLOCK, JCSystem.CLEAR_ON_DESELECT);
    pending = JCSystem.makeTransientByteArray(BLOCK, JCSystem.CLEAR_ON_DESELECT);
    subkey = JCSystem.makeTransientByteArray(BLOCK, JCSystem.CLEAR_ON_DESELECT);
  }

  BlockCipher16 cipher() {
    return cipher;
  }

  /** Starts a MAC under the 16-byte key at {@code key[keyOff]}. */
  void begin(byte[] key, short keyOff) {
    cipher.setKey(key, keyOff);
    Util.arrayFillNonAtomic(state, (short) 0, BLOCK, (byte) 0);
    pendingLength = 0;
  }

  void update(byte[] data, short off, short len) {
    for (short i = 0; i < len; i++) {
      if (pendingLength == BLOCK) {
        absorb(pending);
        pendingLength = 0;
      }
      pending[pendingLength] = data[(short) (off + i)];
      pendingLength++;
    }
  }

  /** Writes the full 16-byte MAC to {@code out}. */
  void finish(byte[] out, short outOff) {
    boolean complete = pendingLength == BLOCK;
    if (!complete) {
      pending[pendingLength] = (byte) 0x80;
      Util.arrayFillNonAtomic(pending, (short) (pendingLength + 1), (short) (BLOCK - pendingLength - 1), (byte) 0);
    }
    Util.arrayFillNonAtomic(subkey, (short) 0, BLOCK, (byte) 0);
    cipher.encryptBlock(subkey, (short) 0, subkey, (short) 0);
    doubleInPlace();
    if (!complete) {
      doubleInPlace();
    }
    for (short j = 0; j < BLOCK; j++) {
      pending[j] = (byte) (pending[j] ^ subkey[j]);
    }
    absorb(pending);
    Util.arrayCopyNonAtomic(state, (short) 0, out, outOff, BLOCK);
  }

  private void absorb(byte[] block) {
    for (short j = 0; j < BLOCK; j++) {
      state[j] = (byte) (state[j] ^ block[j]);
    }
    cipher.encryptBlock(state, (short) 0, state, (short) 0);
  }

  /** Multiplication by x in GF(2^128), polynomial 0x87. */
  private void doubleInPlace() {
    boolean carry = (subkey[0] & 0x80) != 0;
    for (short j = 0; j < (short) (BLOCK - 1); j++) {
      subkey[j] = (byte) ((subkey[j] << 1) | ((subkey[(short) (j + 1)] >> 7) & 1));
    }
    subkey[(short) (BLOCK - 1)] = (byte) (subkey[(short) (BLOCK - 1)] << 1);
    if (carry) {
      subkey[(short) (BLOCK - 1)] = (byte) (subkey[(short) (BLOCK - 1)] ^ 0x87);
    }
  }
}
