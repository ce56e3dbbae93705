package io.iotpay.card.chip;

import io.iotpay.card.crypto.BlockCipher16;
import javacard.security.AESKey;
import javacard.security.KeyBuilder;
import javacardx.crypto.Cipher;

/**
 * AES-128 from the Java Card API behind the project's {@link BlockCipher16} interface, so the chip's
 * session encryption and CMAC are written once for AES (INTERNATIONAL) and SM4 (NATIONAL). ECB,
 * one block per call; the key lives in a transient (clear-on-deselect) key object.
 */
public final class AesBlockCipher implements BlockCipher16 {

  private static final short BLOCK = 16;

  private final AESKey key;
  private final Cipher encrypt;
  private final Cipher decrypt;

  /** Allocates the key object and ciphers; call once, at install. */
  public AesBlockCipher() {
    key = (AESKey) KeyBuilder.buildKey(KeyBuilder.TYPE_AES_TRANSIENT_DESELECT,
        KeyBuilder.LENGTH_AES_128, false);
    encrypt = Cipher.getInstance(Cipher.ALG_AES_BLOCK_128_ECB_NOPAD, false);
    decrypt = Cipher.getInstance(Cipher.ALG_AES_BLOCK_128_ECB_NOPAD, false);
  }

  public short blockLength() {
    return BLOCK;
  }

  public void setKey(byte[] keyBytes, short keyOff) {
    key.setKey(keyBytes, keyOff);
    encrypt.init(key, Cipher.MODE_ENCRYPT);
    decrypt.init(key, Cipher.MODE_DECRYPT);
  }

  public void encryptBlock(byte[] in, short inOff, byte[] out, short outOff) {
    encrypt.doFinal(in, inOff, BLOCK, out, outOff);
  }

  public void decryptBlock(byte[] in, short inOff, byte[] out, short outOff) {
    decrypt.doFinal(in, inOff, BLOCK, out, outOff);
  }

  /** AES has no retail-MAC variant: the chaining cipher is the full cipher. */
  public void encryptBlockChaining(byte[] in, short inOff, byte[] out, short outOff) {
    encrypt.doFinal(in, inOff, BLOCK, out, outOff);
  }
}
