package io.iotpay.card.crypto;

import javacard.security.DESKey;
import javacard.security.KeyBuilder;
import javacardx.crypto.Cipher;

/**
 * Two-key triple DES from the Java Card API: ECB without padding, one block per call. The single
 * DES cipher under the left key half serves the inner steps of ISO/IEC 9797-1 MAC algorithm 3.
 * Keys live in transient (clear-on-deselect) key objects.
 */
public final class DesBlockCipher implements BlockCipher16 {

  private static final short BLOCK = 8;

  private final DESKey tripleKey;
  private final DESKey singleKey;
  private final Cipher tripleEncrypt;
  private final Cipher tripleDecrypt;
  private final Cipher singleEncrypt;

  /** Allocates the key objects and ciphers; call once, at install. */
  public DesBlockCipher() {
    tripleKey = (DESKey) KeyBuilder.buildKey(KeyBuilder.TYPE_DES_TRANSIENT_DESELECT,
        KeyBuilder.LENGTH_DES3_2KEY, false);
    singleKey = (DESKey) KeyBuilder.buildKey(KeyBuilder.TYPE_DES_TRANSIENT_DESELECT,
        KeyBuilder.LENGTH_DES, false);
    tripleEncrypt = Cipher.getInstance(Cipher.ALG_DES_ECB_NOPAD, false);
    tripleDecrypt = Cipher.getInstance(Cipher.ALG_DES_ECB_NOPAD, false);
    singleEncrypt = Cipher.getInstance(Cipher.ALG_DES_ECB_NOPAD, false);
  }

  public short blockLength() {
    return BLOCK;
  }

  public void setKey(byte[] key, short keyOff) {
    tripleKey.setKey(key, keyOff);
    singleKey.setKey(key, keyOff);
    tripleEncrypt.init(tripleKey, Cipher.MODE_ENCRYPT);
    tripleDecrypt.init(tripleKey, Cipher.MODE_DECRYPT);
    singleEncrypt.init(singleKey, Cipher.MODE_ENCRYPT);
  }

  public void encryptBlock(byte[] in, short inOff, byte[] out, short outOff) {
    tripleEncrypt.doFinal(in, inOff, BLOCK, out, outOff);
  }

  public void decryptBlock(byte[] in, short inOff, byte[] out, short outOff) {
    tripleDecrypt.doFinal(in, inOff, BLOCK, out, outOff);
  }

  public void encryptBlockChaining(byte[] in, short inOff, byte[] out, short outOff) {
    singleEncrypt.doFinal(in, inOff, BLOCK, out, outOff);
  }
}
