package io.iotpay.foundation.crypto;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Locale;
import org.bouncycastle.crypto.BlockCipher;
import org.bouncycastle.crypto.engines.DESEngine;
import org.bouncycastle.crypto.macs.CMac;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * Message authentication codes of the two suites.
 *
 * <ul>
 *   <li>{@link #ISO9797_1_M1}: ISO/IEC 9797-1 MAC algorithm 1 (plain CBC-MAC) with single DES
 *       (8-byte key) or two-key 3DES (16-byte key); 8-byte MAC.
 *   <li>{@link #ISO9797_1_M3}: ISO/IEC 9797-1 MAC algorithm 3, the "retail MAC": CBC with DES under
 *       K1, then the last block decrypted under K2 and encrypted under K1; 16-byte key, 8-byte MAC.
 *   <li>{@link #AES_CMAC}: NIST SP 800-38B / RFC 4493; 16-byte MAC.
 *   <li>{@link #SM4_CMAC}: the CMAC construction with SM4; 16-byte MAC.
 *   <li>{@link #PBOC_SM4}: the MAC PBOC 3.0 / JR/T 0025 cards compute with SM4: padding method 2
 *       ({@code 80 00..}) to 16-byte blocks, SM4-CBC from an initial value (zeros unless the
 *       protocol supplies one, e.g. a card challenge), the leftmost 4 bytes of the last block.
 * </ul>
 *
 * <p>Comparisons are constant-time ({@link MessageDigest#isEqual}).
 */
public enum MacAlgorithm {
  ISO9797_1_M1("ISO9797-1-M1"),
  ISO9797_1_M3("ISO9797-1-M3"),
  AES_CMAC("AES-CMAC"),
  SM4_CMAC("SM4-CMAC"),
  PBOC_SM4("PBOC-SM4");

  /** Bytes of the PBOC SM4 MAC carried in card commands. */
  public static final int PBOC_MAC_LENGTH_BYTES = 4;

  private final String displayName;

  MacAlgorithm(String displayName) {
    this.displayName = displayName;
  }

  /** The name operators type, e.g. {@code ISO9797-1-M3}. */
  public String displayName() {
    return displayName;
  }

  /** Length of the MAC this algorithm returns, in bytes. */
  public int macLengthBytes() {
    return switch (this) {
      case ISO9797_1_M1, ISO9797_1_M3 -> 8;
      case AES_CMAC, SM4_CMAC -> 16;
      case PBOC_SM4 -> PBOC_MAC_LENGTH_BYTES;
    };
  }

  /** True for the two ISO/IEC 9797-1 algorithms, the only ones that take a padding choice. */
  public boolean takesPadding() {
    return switch (this) {
      case ISO9797_1_M1, ISO9797_1_M3 -> true;
      case AES_CMAC, SM4_CMAC, PBOC_SM4 -> false;
    };
  }

  /**
   * A reusable MAC function bound to {@code key}: engines are initialised once.
   *
   * @param padding the ISO/IEC 9797-1 padding (null means method 2); must be null for the others
   * @throws CryptoException for a wrong key length or a padding where none applies
   */
  public MacFunction newFunction(SecretKeyBytes key, MacPadding padding) {
    if (padding != null && !takesPadding()) {
      throw new CryptoException(displayName + ": takes no padding choice (padding applies to ISO9797-1 MACs)");
    }
    MacPadding chosen = padding == null ? MacPadding.METHOD_2 : padding;
    return switch (this) {
      case ISO9797_1_M1 -> new CbcMac(algorithm1Engine(key), chosen, null, 8);
      case ISO9797_1_M3 -> new RetailMac(key, chosen);
      case AES_CMAC -> new CmacFunction(BlockCipherAlgorithm.AES, key);
      case SM4_CMAC -> new CmacFunction(BlockCipherAlgorithm.SM4, key);
      case PBOC_SM4 ->
          new CbcMac(BlockCipherAlgorithm.SM4.newEngine(key, true), MacPadding.METHOD_2, null, PBOC_MAC_LENGTH_BYTES);
    };
  }

  /**
   * The MAC of {@code data}.
   *
   * @throws CryptoException for a wrong key length or misplaced padding
   */
  public byte[] mac(SecretKeyBytes key, byte[] data, MacPadding padding) {
    return newFunction(key, padding).mac(data);
  }

  /**
   * True when {@code mac} is the MAC of {@code data}; compared in constant time.
   *
   * @throws CryptoException for a wrong key length or misplaced padding
   */
  public boolean verify(SecretKeyBytes key, byte[] data, byte[] mac, MacPadding padding) {
    return MessageDigest.isEqual(mac(key, data, padding), mac);
  }

  /**
   * The PBOC SM4 MAC with an explicit initial value (e.g. a card challenge right-padded with
   * zeros), and the full 16-byte last block; callers truncate as their protocol says.
   *
   * @throws CryptoException for a wrong key or IV length
   */
  public static byte[] pbocSm4Block(SecretKeyBytes key, byte[] initialValue, byte[] data) {
    if (initialValue != null && initialValue.length != 16) {
      throw new CryptoException("PBOC-SM4: initial value of " + initialValue.length + " bytes, expected 16");
    }
    BlockCipher engine = BlockCipherAlgorithm.SM4.newEngine(key, true);
    return new CbcMac(engine, MacPadding.METHOD_2, initialValue, 16).mac(data);
  }

  /**
   * ISO/IEC 9797-1 MAC algorithm 3 (DES) over {@code data} padded with {@code padding}, starting
   * from {@code initialValue} (8 bytes) instead of zeros: the form GlobalPlatform SCP02 C-MAC
   * chaining needs.
   *
   * @throws CryptoException for a wrong key or initial value length
   */
  public static byte[] retailMac(SecretKeyBytes key, byte[] initialValue, byte[] data, MacPadding padding) {
    if (initialValue == null || initialValue.length != 8) {
      throw new CryptoException("ISO9797-1-M3: initial value must be 8 bytes");
    }
    return new RetailMac(key, padding).mac(data, initialValue);
  }

  private static BlockCipher algorithm1Engine(SecretKeyBytes key) {
    return switch (key.lengthBytes()) {
      case 8 -> {
        DESEngine des = new FastDesEngine();
        des.init(true, new KeyParameter(key.unsafeBytes()));
        yield des;
      }
      case 16 -> BlockCipherAlgorithm.TDES.newEngine(key, true);
      default ->
          throw new CryptoException(
              "ISO9797-1-M1: key of " + key.lengthBytes() + " bytes, expected 8 (DES) or 16 (3DES)");
    };
  }

  /**
   * Parses an operator's name ({@code ISO9797-1-M1}, {@code ISO9797-1-M3}, {@code AES-CMAC},
   * {@code SM4-CMAC}, {@code PBOC-SM4}; any case, {@code _} for {@code -}).
   *
   * @throws CryptoException naming the unknown algorithm and the accepted ones
   */
  public static MacAlgorithm byName(String name) {
    String normalised = name == null ? "" : name.trim().toUpperCase(Locale.ROOT).replace('_', '-');
    for (MacAlgorithm algorithm : values()) {
      if (algorithm.displayName.equals(normalised)) {
        return algorithm;
      }
    }
    throw new CryptoException(
        "unknown MAC algorithm '" + name + "' (expected ISO9797-1-M1, ISO9797-1-M3, AES-CMAC, SM4-CMAC or PBOC-SM4)");
  }

  /** A MAC bound to one key; reusable, not thread-safe. */
  public sealed interface MacFunction permits CbcMac, RetailMac, CmacFunction {
    /** The MAC of {@code data}; never null. */
    byte[] mac(byte[] data);

    /**
     * Overwrites the key schedule this function holds, where its engine allows it: the single-DES
     * engines of {@link #ISO9797_1_M1} (8-byte key) and {@link #ISO9797_1_M3}. BouncyCastle's other
     * engines (3DES, AES, SM4) keep theirs private until they are collected. The function is
     * unusable afterwards.
     */
    void wipe();
  }

  /** ISO/IEC 9797-1 algorithm 1: CBC over the padded data, output the leading bytes of the last block. */
  static final class CbcMac implements MacFunction {
    private final BlockCipher engine;
    private final MacPadding padding;
    private final byte[] initialValue;
    private final int outputBytes;

    CbcMac(BlockCipher engine, MacPadding padding, byte[] initialValue, int outputBytes) {
      this.engine = engine;
      this.padding = padding;
      int blockSize = engine.getBlockSize();
      this.initialValue = initialValue == null ? new byte[blockSize] : initialValue.clone();
      this.outputBytes = outputBytes;
    }

    @Override
    public byte[] mac(byte[] data) {
      byte[] chain = chain(engine, padding.pad(data, engine.getBlockSize()), initialValue);
      return Arrays.copyOf(chain, outputBytes);
    }

    @Override
    public void wipe() {
      if (engine instanceof FastDesEngine des) {
        des.wipe();
      }
    }
  }

  /** ISO/IEC 9797-1 algorithm 3 with DES: CBC under K1, then D(K2) and E(K1) on the last block. */
  static final class RetailMac implements MacFunction {
    // Re-keyed for every session key: the table key schedule makes that cheap.
    private final FastDesEngine encryptK1 = new FastDesEngine();
    private final FastDesEngine decryptK2 = new FastDesEngine();
    private final MacPadding padding;

    RetailMac(SecretKeyBytes key, MacPadding padding) {
      if (key.lengthBytes() != 16) {
        throw new CryptoException("ISO9797-1-M3: key of " + key.lengthBytes() + " bytes, expected 16 (K1 || K2)");
      }
      encryptK1.init(true, new KeyParameter(key.unsafeBytes(), 0, 8));
      decryptK2.init(false, new KeyParameter(key.unsafeBytes(), 8, 8));
      this.padding = padding;
    }

    @Override
    public byte[] mac(byte[] data) {
      return mac(data, new byte[8]);
    }

    byte[] mac(byte[] data, byte[] initialValue) {
      byte[] last = chain(encryptK1, padding.pad(data, 8), initialValue);
      decryptK2.processBlock(last, 0, last, 0);
      encryptK1.processBlock(last, 0, last, 0);
      return last;
    }

    @Override
    public void wipe() {
      encryptK1.wipe();
      decryptK2.wipe();
    }
  }

  /** CMAC (NIST SP 800-38B) over AES or SM4, with BouncyCastle's implementation. */
  static final class CmacFunction implements MacFunction {
    private final CMac cmac;

    CmacFunction(BlockCipherAlgorithm cipher, SecretKeyBytes key) {
      cipher.checkKey(key);
      cmac = new CMac(cipher.newEngine());
      cmac.init(new KeyParameter(key.unsafeBytes()));
    }

    @Override
    public byte[] mac(byte[] data) {
      cmac.update(data, 0, data.length);
      byte[] out = new byte[cmac.getMacSize()];
      cmac.doFinal(out, 0);
      return out;
    }

    @Override
    public void wipe() {
      // BouncyCastle's AES and SM4 engines keep their round keys private: nothing to overwrite here.
    }
  }

  /** CBC-encrypts padded data from {@code initialValue} and returns the last ciphertext block. */
  static byte[] chain(BlockCipher engine, byte[] padded, byte[] initialValue) {
    int blockSize = engine.getBlockSize();
    byte[] state = initialValue.clone();
    for (int offset = 0; offset < padded.length; offset += blockSize) {
      for (int i = 0; i < blockSize; i++) {
        state[i] ^= padded[offset + i];
      }
      engine.processBlock(state, 0, state, 0);
    }
    return state;
  }
}
