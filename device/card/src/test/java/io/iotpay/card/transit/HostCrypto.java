package io.iotpay.card.transit;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import java.util.Arrays;
import org.bouncycastle.crypto.BlockCipher;
import org.bouncycastle.crypto.Mac;
import org.bouncycastle.crypto.engines.DESEngine;
import org.bouncycastle.crypto.engines.DESedeEngine;
import org.bouncycastle.crypto.engines.SM4Engine;
import org.bouncycastle.crypto.macs.CBCBlockCipherMac;
import org.bouncycastle.crypto.macs.ISO9797Alg3Mac;
import org.bouncycastle.crypto.paddings.ISO7816d4Padding;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;

/**
 * The host side of every formula in docs/card-apdus.md, written with BouncyCastle's engines and
 * MACs only (never the card's code), so the tests check the card against an independent
 * implementation of the documented formulas.
 */
final class HostCrypto {

  private HostCrypto() {}

  static int blockLength(AlgorithmSuite suite) {
    return suite == AlgorithmSuite.INTERNATIONAL ? 8 : 16;
  }

  private static BlockCipher fullCipher(AlgorithmSuite suite) {
    return switch (suite) {
      case INTERNATIONAL -> new DESedeEngine();
      case NATIONAL -> new SM4Engine();
    };
  }

  /** ISO 9797-1 padding method 2, MAC algorithm 3 (DES) or 1 (SM4), full block out. */
  static byte[] retailMac(AlgorithmSuite suite, byte[] key, byte[] icv, byte[] data) {
    Mac mac = switch (suite) {
      case INTERNATIONAL -> new ISO9797Alg3Mac(new DESEngine(), new ISO7816d4Padding());
      case NATIONAL -> new CBCBlockCipherMac(new SM4Engine(), 128, new ISO7816d4Padding());
    };
    return runMac(mac, key, icv, data);
  }

  /** ISO 9797-1 padding method 2, MAC algorithm 1 with the full cipher. */
  static byte[] fullMac(AlgorithmSuite suite, byte[] key, byte[] data) {
    Mac mac = new CBCBlockCipherMac(fullCipher(suite), blockLength(suite) * 8,
        new ISO7816d4Padding());
    return runMac(mac, key, null, data);
  }

  private static byte[] runMac(Mac mac, byte[] key, byte[] icv, byte[] data) {
    KeyParameter keyParameter = new KeyParameter(key);
    mac.init(icv == null ? keyParameter : new ParametersWithIV(keyParameter, icv));
    mac.update(data, 0, data.length);
    byte[] out = new byte[mac.getMacSize()];
    mac.doFinal(out, 0);
    return out;
  }

  static byte[] ecbEncrypt(AlgorithmSuite suite, byte[] key, byte[] data) {
    BlockCipher cipher = fullCipher(suite);
    cipher.init(true, new KeyParameter(key));
    byte[] out = new byte[data.length];
    for (int p = 0; p < data.length; p += cipher.getBlockSize()) {
      cipher.processBlock(data, p, out, p);
    }
    return out;
  }

  /** CBC with a zero ICV (SCP02 session keys). */
  static byte[] cbcEncrypt(AlgorithmSuite suite, byte[] key, byte[] data) {
    BlockCipher cipher = fullCipher(suite);
    cipher.init(true, new KeyParameter(key));
    int n = cipher.getBlockSize();
    byte[] chain = new byte[n];
    byte[] out = new byte[data.length];
    for (int p = 0; p < data.length; p += n) {
      for (int j = 0; j < n; j++) {
        chain[j] ^= data[p + j];
      }
      cipher.processBlock(chain, 0, chain, 0);
      System.arraycopy(chain, 0, out, p, n);
    }
    return out;
  }

  /** EMV Book 2 A1.3 common session key from a 2-byte counter. */
  static byte[] counterKey(AlgorithmSuite suite, byte[] masterKey, int counter) {
    int n = blockLength(suite);
    byte[] r = new byte[n];
    r[0] = (byte) (counter >> 8);
    r[1] = (byte) counter;
    r[2] = (byte) 0xF0;
    byte[] left = ecbEncrypt(suite, masterKey, r);
    if (n == 16) {
      return left;
    }
    r[2] = 0x0F;
    byte[] right = ecbEncrypt(suite, masterKey, r);
    return concat(left, right);
  }

  /** SCP02 session key: CBC(static key, 0) over constant || sequence counter || 00 * 12. */
  static byte[] scp02SessionKey(AlgorithmSuite suite, byte[] staticKey, int constant, int sequence) {
    byte[] derivation = new byte[16];
    derivation[0] = (byte) (constant >> 8);
    derivation[1] = (byte) constant;
    derivation[2] = (byte) (sequence >> 8);
    derivation[3] = (byte) sequence;
    return cbcEncrypt(suite, staticKey, derivation);
  }

  /** SCP02 ICV for the next command: single DES (left key half) or SM4 of the last C-MAC. */
  static byte[] encryptIcv(AlgorithmSuite suite, byte[] macKey, byte[] lastCMac) {
    byte[] block = Arrays.copyOf(lastCMac, blockLength(suite));
    BlockCipher cipher = switch (suite) {
      case INTERNATIONAL -> new DESEngine();
      case NATIONAL -> new SM4Engine();
    };
    byte[] key = suite == AlgorithmSuite.INTERNATIONAL ? Arrays.copyOf(macKey, 8) : macKey;
    cipher.init(true, new KeyParameter(key));
    cipher.processBlock(block, 0, block, 0);
    return block;
  }

  static byte[] concat(byte[]... parts) {
    int length = 0;
    for (byte[] part : parts) {
      length += part.length;
    }
    byte[] out = new byte[length];
    int p = 0;
    for (byte[] part : parts) {
      System.arraycopy(part, 0, out, p, part.length);
      p += part.length;
    }
    return out;
  }
}
