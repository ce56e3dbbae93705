package io.iotpay.foundation.crypto;

import io.iotpay.foundation.codec.Bytes;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * GlobalPlatform Secure Channel Protocol '02' (GP Card Specification v2.2, Appendix E), and its
 * SM4 analogue for the NATIONAL suite.
 *
 * <p><b>INTERNATIONAL (GP SCP02, two-key 3DES)</b>
 *
 * <ul>
 *   <li>Session key (E.4.1): 3DES-CBC with zero ICV under the static key of derivation data
 *       {@code constant(2) || sequence counter(2) || 00 × 12}; constants C-MAC {@code 0101}, R-MAC
 *       {@code 0102}, S-ENC {@code 0182}, DEK {@code 0181}. C-MAC/R-MAC come from the static MAC
 *       key, S-ENC from ENC, DEK from DEK.
 *   <li>Card cryptogram (E.4.2.1): full 3DES CBC-MAC (ISO/IEC 9797-1 algorithm 1, padding method
 *       2, zero ICV) under S-ENC over {@code host challenge(8) || sequence counter(2) || card
 *       challenge(6)}; host cryptogram over {@code sequence counter || card challenge || host
 *       challenge}.
 *   <li>C-MAC (E.4.4): ISO/IEC 9797-1 algorithm 3 (retail MAC, padding method 2) under the C-MAC
 *       session key over the header with the secure-messaging bit ({@code CLA | 04}) and {@code
 *       Lc + 8}, then the data. The first ICV is zero; each next ICV is the previous C-MAC
 *       encrypted with single DES under the left half of the C-MAC key ("ICV encryption", i = 55).
 * </ul>
 *
 * <p><b>NATIONAL (SCP02 structure with SM4, defined by iotpay)</b>: the same derivation data is one
 * SM4 block, so a session key is SM4(static key)[derivation data]; cryptograms are the leftmost 8
 * bytes of the PBOC SM4 CBC-MAC (padding method 2, zero ICV) over the same inputs; the C-MAC is
 * the leftmost 8 bytes of the SM4 CBC-MAC over the same header and data, from an ICV that is zero
 * for the first command and SM4(C-MAC key)[previous C-MAC || 00 × 8] after that.
 */
public final class Scp02 {
  /** Largest sequence counter (two bytes). */
  public static final int SEQUENCE_COUNTER_MAX = 0xFFFF;

  /** Bytes of a host challenge, card challenge, and cryptogram. */
  public static final int HOST_CHALLENGE_BYTES = 8;

  public static final int CARD_CHALLENGE_BYTES = 6;
  public static final int CRYPTOGRAM_BYTES = 8;
  public static final int C_MAC_BYTES = 8;

  /** Longest command data a C-MAC covers: Lc + 8 must still fit one byte. */
  public static final int COMMAND_DATA_BYTES_MAX = 255 - C_MAC_BYTES;

  private Scp02() {}

  /** Which session key; each has its derivation constant. */
  public enum KeyUsage {
    C_MAC(0x0101),
    R_MAC(0x0102),
    S_ENC(0x0182),
    DEK(0x0181);

    private final int constant;

    KeyUsage(int constant) {
      this.constant = constant;
    }

    /** The two-byte derivation constant of GP 2.2 Table E-1. */
    public int constant() {
      return constant;
    }
  }

  /** The card's three static keys. */
  public record StaticKeys(SecretKeyBytes enc, SecretKeyBytes mac, SecretKeyBytes dek) {}

  /** The four session keys of one secure channel session. */
  public record SessionKeys(SecretKeyBytes sEnc, SecretKeyBytes cMac, SecretKeyBytes rMac, SecretKeyBytes dek) {}

  /**
   * One session key.
   *
   * @throws CryptoException for a wrong key length or a counter outside 0..65535
   */
  public static SecretKeyBytes sessionKey(
      AlgorithmSuite suite, SecretKeyBytes staticKey, KeyUsage usage, int sequenceCounter) {
    checkCounter(sequenceCounter);
    byte[] data = new byte[16];
    data[0] = (byte) (usage.constant() >>> 8);
    data[1] = (byte) usage.constant();
    data[2] = (byte) (sequenceCounter >>> 8);
    data[3] = (byte) sequenceCounter;
    BlockCipherAlgorithm cipher = suite.cardBlockCipher();
    // CBC with a zero ICV; for SM4 the data is a single block, so this is SM4-ECB of it.
    return new SecretKeyBytes(cipher.encrypt(CipherMode.CBC, staticKey, null, data));
  }

  /** All four session keys for {@code sequenceCounter}. */
  public static SessionKeys sessionKeys(AlgorithmSuite suite, StaticKeys keys, int sequenceCounter) {
    return new SessionKeys(
        sessionKey(suite, keys.enc(), KeyUsage.S_ENC, sequenceCounter),
        sessionKey(suite, keys.mac(), KeyUsage.C_MAC, sequenceCounter),
        sessionKey(suite, keys.mac(), KeyUsage.R_MAC, sequenceCounter),
        sessionKey(suite, keys.dek(), KeyUsage.DEK, sequenceCounter));
  }

  /**
   * The card cryptogram the card returns in INITIALIZE UPDATE.
   *
   * @throws CryptoException for wrong challenge lengths or key length
   */
  public static byte[] cardCryptogram(
      AlgorithmSuite suite, SecretKeyBytes sEnc, byte[] hostChallenge, int sequenceCounter, byte[] cardChallenge) {
    checkChallenges(hostChallenge, cardChallenge);
    checkCounter(sequenceCounter);
    return cryptogram(suite, sEnc, Bytes.concat(hostChallenge, counter(sequenceCounter), cardChallenge));
  }

  /**
   * The host cryptogram the host sends in EXTERNAL AUTHENTICATE.
   *
   * @throws CryptoException for wrong challenge lengths or key length
   */
  public static byte[] hostCryptogram(
      AlgorithmSuite suite, SecretKeyBytes sEnc, byte[] hostChallenge, int sequenceCounter, byte[] cardChallenge) {
    checkChallenges(hostChallenge, cardChallenge);
    checkCounter(sequenceCounter);
    return cryptogram(suite, sEnc, Bytes.concat(counter(sequenceCounter), cardChallenge, hostChallenge));
  }

  /** True when {@code received} is the expected card cryptogram; constant-time. */
  public static boolean isCardCryptogramValid(
      AlgorithmSuite suite, SecretKeyBytes sEnc, byte[] hostChallenge, int sequenceCounter, byte[] cardChallenge,
      byte[] received) {
    return MessageDigest.isEqual(cardCryptogram(suite, sEnc, hostChallenge, sequenceCounter, cardChallenge), received);
  }

  /** True when {@code received} is the expected host cryptogram; constant-time. */
  public static boolean isHostCryptogramValid(
      AlgorithmSuite suite, SecretKeyBytes sEnc, byte[] hostChallenge, int sequenceCounter, byte[] cardChallenge,
      byte[] received) {
    return MessageDigest.isEqual(hostCryptogram(suite, sEnc, hostChallenge, sequenceCounter, cardChallenge), received);
  }

  private static byte[] cryptogram(AlgorithmSuite suite, SecretKeyBytes sEnc, byte[] data) {
    return switch (suite) {
      case INTERNATIONAL -> MacAlgorithm.ISO9797_1_M1.mac(checkTdes(sEnc), data, MacPadding.METHOD_2);
      case NATIONAL -> Arrays.copyOf(MacAlgorithm.pbocSm4Block(sEnc, null, data), CRYPTOGRAM_BYTES);
    };
  }

  /**
   * The C-MAC chain of one session: each call MACs one command and moves the ICV on. Not
   * thread-safe; one per session.
   */
  public static final class CommandMac {
    private final AlgorithmSuite suite;
    private final SecretKeyBytes cMacKey;
    private byte[] lastMac;

    /** @throws CryptoException for a C-MAC key that does not fit the suite */
    public CommandMac(AlgorithmSuite suite, SecretKeyBytes cMacKey) {
      suite.cardBlockCipher().checkKey(cMacKey);
      this.suite = suite;
      this.cMacKey = cMacKey;
    }

    /**
     * The C-MAC of one command (header without Lc, and its data), then the chain advances.
     *
     * @param header CLA INS P1 P2 as sent before secure messaging
     * @throws CryptoException for a header that is not 4 bytes or data longer than {@link
     *     #COMMAND_DATA_BYTES_MAX}
     */
    public byte[] next(byte[] header, byte[] data) {
      if (header == null || header.length != 4) {
        throw new CryptoException("SCP02 C-MAC: header must be 4 bytes (CLA INS P1 P2)");
      }
      if (data == null || data.length > COMMAND_DATA_BYTES_MAX) {
        throw new CryptoException("SCP02 C-MAC: command data must be 0.." + COMMAND_DATA_BYTES_MAX + " bytes");
      }
      byte[] input = new byte[5 + data.length];
      input[0] = (byte) (header[0] | 0x04);
      System.arraycopy(header, 1, input, 1, 3);
      input[4] = (byte) (data.length + C_MAC_BYTES);
      System.arraycopy(data, 0, input, 5, data.length);
      byte[] mac =
          switch (suite) {
            case INTERNATIONAL -> MacAlgorithm.retailMac(cMacKey, icv(), input, MacPadding.METHOD_2);
            case NATIONAL -> Arrays.copyOf(MacAlgorithm.pbocSm4Block(cMacKey, icv(), input), C_MAC_BYTES);
          };
      lastMac = mac.clone();
      return mac;
    }

    /**
     * The wrapped command APDU: {@code CLA|04 INS P1 P2 Lc+8 data C-MAC}.
     *
     * @throws CryptoException as {@link #next}
     */
    public byte[] wrap(byte[] header, byte[] data) {
      byte[] mac = next(header, data);
      byte[] out = new byte[5 + data.length + C_MAC_BYTES];
      out[0] = (byte) (header[0] | 0x04);
      System.arraycopy(header, 1, out, 1, 3);
      out[4] = (byte) (data.length + C_MAC_BYTES);
      System.arraycopy(data, 0, out, 5, data.length);
      System.arraycopy(mac, 0, out, 5 + data.length, C_MAC_BYTES);
      return out;
    }

    private byte[] icv() {
      return switch (suite) {
        case INTERNATIONAL -> {
          if (lastMac == null) {
            yield new byte[8];
          }
          // i = 55: the ICV is the previous C-MAC encrypted with single DES, key = left half.
          org.bouncycastle.crypto.engines.DESEngine des = new org.bouncycastle.crypto.engines.DESEngine();
          des.init(true, new org.bouncycastle.crypto.params.KeyParameter(cMacKey.unsafeBytes(), 0, 8));
          byte[] icv = new byte[8];
          des.processBlock(lastMac, 0, icv, 0);
          yield icv;
        }
        case NATIONAL -> {
          if (lastMac == null) {
            yield new byte[16];
          }
          yield BlockCipherAlgorithm.SM4.encryptBlock(cMacKey, Arrays.copyOf(lastMac, 16));
        }
      };
    }
  }

  private static SecretKeyBytes checkTdes(SecretKeyBytes key) {
    BlockCipherAlgorithm.TDES.checkKey(key);
    return key;
  }

  private static void checkCounter(int sequenceCounter) {
    if (sequenceCounter < 0 || sequenceCounter > SEQUENCE_COUNTER_MAX) {
      throw new CryptoException("SCP02: sequence counter " + sequenceCounter + " is outside 0.." + SEQUENCE_COUNTER_MAX);
    }
  }

  private static void checkChallenges(byte[] hostChallenge, byte[] cardChallenge) {
    if (hostChallenge == null || hostChallenge.length != HOST_CHALLENGE_BYTES) {
      throw new CryptoException("SCP02: host challenge must be " + HOST_CHALLENGE_BYTES + " bytes");
    }
    if (cardChallenge == null || cardChallenge.length != CARD_CHALLENGE_BYTES) {
      throw new CryptoException("SCP02: card challenge must be " + CARD_CHALLENGE_BYTES + " bytes");
    }
  }

  private static byte[] counter(int sequenceCounter) {
    return new byte[] {(byte) (sequenceCounter >>> 8), (byte) sequenceCounter};
  }
}
