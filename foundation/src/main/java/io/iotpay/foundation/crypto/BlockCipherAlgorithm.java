package io.iotpay.foundation.crypto;

import java.util.Arrays;
import java.util.Locale;
import org.bouncycastle.crypto.BlockCipher;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * Block ciphers of the two suites: two-key triple DES (the card world's 3DES), AES and SM4
 * (GB/T 32907-2016). ECB and CBC without implicit padding: data that is not a whole number of
 * blocks is refused, because a silently padded cryptogram is a wrong cryptogram.
 */
public enum BlockCipherAlgorithm {
  /** Two-key TDEA (K1, K2, K1), 16-byte keys, 8-byte blocks. */
  TDES("3DES", 8),
  /** AES with 16-, 24- or 32-byte keys, 16-byte blocks. */
  AES("AES", 16),
  /** SM4 with 16-byte keys and 16-byte blocks. */
  SM4("SM4", 16);

  /** Data longer than this is refused by {@link #encrypt}/{@link #decrypt}: a bound on work per call. */
  public static final int DATA_BYTES_MAX = 1 << 20;

  private final String displayName;
  private final int blockSizeBytes;

  BlockCipherAlgorithm(String displayName, int blockSizeBytes) {
    this.displayName = displayName;
    this.blockSizeBytes = blockSizeBytes;
  }

  /** The name operators type: {@code 3DES}, {@code AES}, {@code SM4}. */
  public String displayName() {
    return displayName;
  }

  /** Block length in bytes (8 for 3DES, 16 for AES and SM4). */
  public int blockSizeBytes() {
    return blockSizeBytes;
  }

  /**
   * Checks that {@code key} fits this cipher.
   *
   * @throws CryptoException saying which lengths are accepted
   */
  public void checkKey(SecretKeyBytes key) {
    int length = key.lengthBytes();
    boolean fits =
        switch (this) {
          case TDES, SM4 -> length == 16;
          case AES -> length == 16 || length == 24 || length == 32;
        };
    if (!fits) {
      String expected =
          switch (this) {
            case TDES -> "16 bytes (two-key 3DES)";
            case AES -> "16, 24 or 32 bytes";
            case SM4 -> "16 bytes";
          };
      throw new CryptoException(displayName + ": key of " + length + " bytes, expected " + expected);
    }
  }

  /** A fresh engine (BouncyCastle's interface), not yet initialised; not thread-safe. */
  public BlockCipher newEngine() {
    return switch (this) {
      case TDES -> new FastDesedeEngine(); // BouncyCastle's engine, key schedule by table
      case AES -> AESEngine.newInstance();
      case SM4 -> new FastSm4Engine(); // same output as BouncyCastle's SM4Engine, by tables
    };
  }

  /**
   * An engine initialised with {@code key} for one direction.
   *
   * @throws CryptoException when the key length does not fit
   */
  public BlockCipher newEngine(SecretKeyBytes key, boolean forEncryption) {
    checkKey(key);
    BlockCipher engine = newEngine();
    engine.init(forEncryption, new KeyParameter(key.unsafeBytes()));
    return engine;
  }

  /**
   * Encrypts whole blocks.
   *
   * @param iv null or one block for CBC (null means zeros); must be null for ECB
   * @return the ciphertext, same length as {@code data}
   * @throws CryptoException for a wrong key length, a misplaced or wrong-length IV, or data that
   *     is not a multiple of the block size
   */
  public byte[] encrypt(CipherMode mode, SecretKeyBytes key, byte[] iv, byte[] data) {
    return run(mode, key, iv, data, true);
  }

  /**
   * Decrypts whole blocks; the inverse of {@link #encrypt}.
   *
   * @throws CryptoException as {@link #encrypt}
   */
  public byte[] decrypt(CipherMode mode, SecretKeyBytes key, byte[] iv, byte[] data) {
    return run(mode, key, iv, data, false);
  }

  /** Encrypts exactly one block in ECB. */
  public byte[] encryptBlock(SecretKeyBytes key, byte[] block) {
    return encrypt(CipherMode.ECB, key, null, block);
  }

  /**
   * Key check value: the first three bytes of the encryption of an all-zero block under the key
   * (the usual KCV of ANSI X9.24 / payment HSMs, applied to every cipher alike).
   *
   * @throws CryptoException for a wrong key length
   */
  public byte[] keyCheckValue(SecretKeyBytes key) {
    return Arrays.copyOf(encryptBlock(key, new byte[blockSizeBytes]), 3);
  }

  private byte[] run(CipherMode mode, SecretKeyBytes key, byte[] iv, byte[] data, boolean encrypt) {
    BlockCipher engine = newEngine(key, encrypt);
    byte[] chain = checkIv(mode, iv);
    checkData(data);
    byte[] out = new byte[data.length];
    byte[] block = new byte[blockSizeBytes];
    for (int offset = 0; offset < data.length; offset += blockSizeBytes) {
      switch (mode) {
        case ECB -> engine.processBlock(data, offset, out, offset);
        case CBC -> {
          if (encrypt) {
            xor(data, offset, chain, block);
            engine.processBlock(block, 0, out, offset);
            System.arraycopy(out, offset, chain, 0, blockSizeBytes);
          } else {
            engine.processBlock(data, offset, block, 0);
            xor(block, 0, chain, out, offset);
            System.arraycopy(data, offset, chain, 0, blockSizeBytes);
          }
        }
      }
    }
    return out;
  }

  private void checkData(byte[] data) {
    if (data == null) {
      throw new CryptoException(displayName + ": data is missing");
    }
    if (data.length > DATA_BYTES_MAX) {
      throw new CryptoException(displayName + ": data of " + data.length + " bytes exceeds " + DATA_BYTES_MAX);
    }
    if (data.length % blockSizeBytes != 0) {
      throw new CryptoException(
          displayName + ": data of " + data.length + " bytes is not a multiple of the "
              + blockSizeBytes + "-byte block (no implicit padding; pad before encrypting)");
    }
  }

  private byte[] checkIv(CipherMode mode, byte[] iv) {
    return switch (mode) {
      case ECB -> {
        if (iv != null) {
          throw new CryptoException(displayName + "/ECB: takes no IV");
        }
        yield null;
      }
      case CBC -> {
        if (iv == null) {
          yield new byte[blockSizeBytes];
        }
        if (iv.length != blockSizeBytes) {
          throw new CryptoException(
              displayName + "/CBC: IV of " + iv.length + " bytes, expected " + blockSizeBytes);
        }
        yield iv.clone();
      }
    };
  }

  private static void xor(byte[] data, int offset, byte[] chain, byte[] out) {
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) (data[offset + i] ^ chain[i]);
    }
  }

  private void xor(byte[] block, int blockOffset, byte[] chain, byte[] out, int outOffset) {
    for (int i = 0; i < blockSizeBytes; i++) {
      out[outOffset + i] = (byte) (block[blockOffset + i] ^ chain[i]);
    }
  }

  /**
   * Parses {@code 3DES}/{@code TDES}/{@code DESede}, {@code AES}, {@code SM4} (any case).
   *
   * @throws CryptoException naming the unknown algorithm and the accepted ones
   */
  public static BlockCipherAlgorithm byName(String name) {
    String normalised = name == null ? "" : name.trim().toUpperCase(Locale.ROOT);
    return switch (normalised) {
      case "3DES", "TDES", "DESEDE", "TDEA" -> TDES;
      case "AES" -> AES;
      case "SM4" -> SM4;
      default -> throw new CryptoException("unknown block cipher '" + name + "' (expected 3DES, AES or SM4)");
    };
  }
}
