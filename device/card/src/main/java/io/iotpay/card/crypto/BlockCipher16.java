package io.iotpay.card.crypto;

/**
 * A block cipher keyed with a 16-byte key, as the card needs it: 2-key triple DES (8-byte blocks)
 * or SM4 (16-byte blocks). One small interface so every MAC, key derivation and cryptogram in the
 * applet is written once for both suites.
 *
 * <p>Implementations keep their key in transient memory and never return it. All arrays are
 * caller-owned; input and output may overlap only if they are the same block.
 */
public interface BlockCipher16 {

  /** Length in bytes of every key this cipher takes. */
  short KEY_LENGTH = 16;

  /** @return the block length in bytes: 8 for triple DES, 16 for SM4 */
  short blockLength();

  /**
   * Loads a key; it stays in use until the next call.
   *
   * @param key array holding the 16 key bytes, not null
   * @param keyOff offset of the key in {@code key}
   */
  void setKey(byte[] key, short keyOff);

  /** Encrypts one block with the full cipher (3DES-EDE2 or SM4). */
  void encryptBlock(byte[] in, short inOff, byte[] out, short outOff);

  /** Decrypts one block with the full cipher. */
  void decryptBlock(byte[] in, short inOff, byte[] out, short outOff);

  /**
   * Encrypts one block with the cipher used for the inner chaining steps of a retail MAC: single
   * DES under the left key half for triple DES (ISO/IEC 9797-1 MAC algorithm 3), the full cipher for
   * SM4 (which uses MAC algorithm 1). SCP02 also uses it to encrypt the C-MAC chaining value.
   */
  void encryptBlockChaining(byte[] in, short inOff, byte[] out, short outOff);
}
