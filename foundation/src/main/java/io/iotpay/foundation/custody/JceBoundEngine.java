package io.iotpay.foundation.custody;

import io.iotpay.foundation.custody.KeyCustodyException.Reason;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.Provider;
import javax.crypto.Cipher;
import org.bouncycastle.crypto.BlockCipher;
import org.bouncycastle.crypto.CipherParameters;

/**
 * A BouncyCastle block cipher whose key is a JCE key object that never leaves its provider (a
 * PKCS#11 token's key): every block is one ECB call into the token, and {@code init}'s parameters
 * are ignored (see {@link KeyMaterial#boundEngine}).
 */
final class JceBoundEngine implements BlockCipher {
  private final Cipher cipher;
  private final Key key;
  private final int blockSizeBytes;

  JceBoundEngine(Provider provider, String algorithm, Key key, int blockSizeBytes) {
    try {
      this.cipher = Cipher.getInstance(algorithm + "/ECB/NoPadding", provider);
    } catch (GeneralSecurityException e) {
      throw new KeyCustodyException(Reason.UNSUPPORTED, "the token has no " + algorithm + "-ECB", e);
    }
    this.key = key;
    this.blockSizeBytes = blockSizeBytes;
  }

  @Override
  public void init(boolean forEncryption, CipherParameters ignored) {
    try {
      cipher.init(forEncryption ? Cipher.ENCRYPT_MODE : Cipher.DECRYPT_MODE, key);
    } catch (GeneralSecurityException e) {
      throw new KeyCustodyException(Reason.UNSUPPORTED, "the token refused the key for " + cipher.getAlgorithm(), e);
    }
  }

  @Override
  public String getAlgorithmName() {
    return cipher.getAlgorithm();
  }

  @Override
  public int getBlockSize() {
    return blockSizeBytes;
  }

  @Override
  public int processBlock(byte[] in, int inOff, byte[] out, int outOff) {
    try {
      return cipher.doFinal(in, inOff, blockSizeBytes, out, outOff);
    } catch (GeneralSecurityException e) {
      throw new KeyCustodyException(Reason.IO, "the token failed a block operation", e);
    }
  }

  @Override
  public void reset() {
    // ECB keeps no state between blocks.
  }
}
