package io.iotpay.foundation.crypto;

import java.security.MessageDigest;
import java.util.Arrays;

/**
 * The host side of an EMV/PBOC card's cryptograms, for the issuer host (ARQC verification, ARPC,
 * scripts) and the POS kernel; {@code docs/emv-card-apdus.md} §8 gives the formulas and the card
 * ({@code io.iotpay.card.emv.EmvApplet}) computes the same.
 *
 * <ul>
 *   <li><b>Session keys</b> from the card's master keys (MK_AC, MK_SMI, MK_SMC, each option A
 *       from the issuer's keys with {@link EmvKeyDerivation#cardMasterKey}) and the ATC: {@link
 *       EmvKeyDerivation#sessionKey} — INTERNATIONAL the EMV Book 2 A1.3.1 common session key with
 *       R = ATC ‖ 00×6, NATIONAL the PBOC SM4 ATC method.
 *   <li><b>Application cryptogram</b> (ARQC, TC, AAC; EMV Book 2 §8.1 / Annex A1.2): the
 *       leftmost 8 bytes of a CBC-MAC with padding method 2 ({@code 80 00..}) under SK_AC —
 *       ISO/IEC 9797-1 MAC algorithm 3 with 3DES, algorithm 1 with SM4.
 *   <li><b>ARPC method 1</b> (EMV Book 2 §8.2.1): E_K(ARQC ⊕ (ARC ‖ 00×6)) — 3DES on the 8-byte
 *       block; SM4 on that block followed by eight zero bytes, leftmost 8 bytes kept.
 *   <li><b>ARPC method 2</b> (EMV Book 2 §8.2.2): the leftmost 4 bytes of the MAC above over ARQC
 *       ‖ CSU ‖ proprietary authentication data.
 *   <li><b>Script MAC</b> (EMV Book 2 §9.2.1): the same MAC (8 bytes) under SK_SMI over the
 *       command header with Lc counting the MAC, ATC, ARQC and the command data.
 *   <li><b>PIN change data</b> (EMV Book 2 §9.3, data padded with method 2): CBC encryption with a
 *       zero ICV under SK_SMC of the ISO 9564 format 2 PIN block followed by {@code 80 00×7}, 16
 *       bytes in both suites (one SM4 block, two 3DES blocks).
 * </ul>
 *
 * <p>Stateless and thread-safe. Every verification compares in constant time.
 */
public final class EmvCryptograms {
  /** Bytes of an application cryptogram (9F26) and of an ARPC method 1. */
  public static final int CRYPTOGRAM_LENGTH_BYTES = 8;
  /** Bytes of the authorisation response code (8A). */
  public static final int ARC_LENGTH_BYTES = 2;
  /** Bytes of the card status update of ARPC method 2. */
  public static final int CSU_LENGTH_BYTES = 4;
  /** Bytes of an ARPC method 2. */
  public static final int ARPC_METHOD_2_LENGTH_BYTES = 4;
  /** Bytes of a script command MAC. */
  public static final int SCRIPT_MAC_LENGTH_BYTES = 8;
  /** Most proprietary authentication data ARPC method 2 carries (EMV Book 2 §8.2.2). */
  public static final int PROPRIETARY_DATA_BYTES_MAX = 8;
  /** Most bytes a cryptogram or script MAC input may have (a bound, well above any CDOL). */
  public static final int MAC_INPUT_BYTES_MAX = 1024;

  private EmvCryptograms() {}

  /**
   * The session key for one ATC: {@link EmvKeyDerivation#sessionKey}, named here so the issuer
   * host finds every EMV formula in one class.
   *
   * @throws CryptoException for a wrong key length or an ATC outside 0..65535
   */
  public static SecretKeyBytes sessionKey(AlgorithmSuite suite, SecretKeyBytes cardMasterKey, int atc) {
    return EmvKeyDerivation.sessionKey(suite, cardMasterKey, atc);
  }

  /**
   * The cryptogram input the card MACs: CDOL data ‖ AIP ‖ ATC ‖ IAD.
   *
   * @param cdolData the CDOL1 (or CDOL2) data the terminal sent, not null
   * @param aip the 2-byte application interchange profile
   * @param atc 0..65535
   * @param issuerApplicationData the IAD (9F10) value the card returned, not null
   * @throws CryptoException for a wrong AIP length, an ATC out of range or an input over {@link
   *     #MAC_INPUT_BYTES_MAX}
   */
  public static byte[] cryptogramInput(byte[] cdolData, byte[] aip, int atc, byte[] issuerApplicationData) {
    requireLength("AIP", aip, 2);
    if (atc < 0 || atc > EmvKeyDerivation.ATC_MAX) {
      throw new CryptoException("ATC " + atc + " is outside 0.." + EmvKeyDerivation.ATC_MAX);
    }
    byte[] input = concat(cdolData, aip, new byte[] {(byte) (atc >>> 8), (byte) atc}, issuerApplicationData);
    requireBounded(input);
    return input;
  }

  /**
   * An application cryptogram (ARQC, TC or AAC) over {@code input} under the session key.
   *
   * @throws CryptoException for a wrong key length or an input over {@link #MAC_INPUT_BYTES_MAX}
   */
  public static byte[] applicationCryptogram(AlgorithmSuite suite, SecretKeyBytes sessionKey, byte[] input) {
    requireBounded(input);
    return Arrays.copyOf(cardMac(suite, sessionKey, input), CRYPTOGRAM_LENGTH_BYTES);
  }

  /**
   * True when {@code cryptogram} is the application cryptogram of {@code input}; constant time.
   *
   * @throws CryptoException for a wrong key length or an input over {@link #MAC_INPUT_BYTES_MAX}
   */
  public static boolean isCryptogramValid(
      AlgorithmSuite suite, SecretKeyBytes sessionKey, byte[] input, byte[] cryptogram) {
    return MessageDigest.isEqual(applicationCryptogram(suite, sessionKey, input), cryptogram);
  }

  /**
   * ARPC method 1: E_K(ARQC ⊕ (ARC ‖ 00×6)). The card and this project use K = SK_AC; some
   * schemes use the card master key (pyemv's published example does).
   *
   * @throws CryptoException for a wrong key, ARQC or ARC length
   */
  public static byte[] arpcMethod1(AlgorithmSuite suite, SecretKeyBytes key, byte[] arqc, byte[] arc) {
    requireLength("ARQC", arqc, CRYPTOGRAM_LENGTH_BYTES);
    requireLength("ARC", arc, ARC_LENGTH_BYTES);
    BlockCipherAlgorithm cipher = suite.cardBlockCipher();
    byte[] block = new byte[cipher.blockSizeBytes()];
    System.arraycopy(arqc, 0, block, 0, CRYPTOGRAM_LENGTH_BYTES);
    block[0] ^= arc[0];
    block[1] ^= arc[1];
    return Arrays.copyOf(cipher.encryptBlock(key, block), CRYPTOGRAM_LENGTH_BYTES);
  }

  /**
   * ARPC method 2: the leftmost 4 bytes of the card MAC over ARQC ‖ CSU ‖ proprietary data.
   *
   * @param proprietaryData 0 to {@link #PROPRIETARY_DATA_BYTES_MAX} bytes, not null
   * @throws CryptoException for a wrong key, ARQC, CSU or proprietary data length
   */
  public static byte[] arpcMethod2(
      AlgorithmSuite suite, SecretKeyBytes sessionKey, byte[] arqc, byte[] csu, byte[] proprietaryData) {
    requireLength("ARQC", arqc, CRYPTOGRAM_LENGTH_BYTES);
    requireLength("CSU", csu, CSU_LENGTH_BYTES);
    if (proprietaryData == null || proprietaryData.length > PROPRIETARY_DATA_BYTES_MAX) {
      throw new CryptoException("proprietary authentication data: expected 0 to "
          + PROPRIETARY_DATA_BYTES_MAX + " bytes");
    }
    return Arrays.copyOf(cardMac(suite, sessionKey, concat(arqc, csu, proprietaryData)), ARPC_METHOD_2_LENGTH_BYTES);
  }

  /**
   * True when {@code arpc} is the method 1 ARPC of {@code arqc} and {@code arc}; constant time.
   *
   * @throws CryptoException for a wrong key, ARQC or ARC length
   */
  public static boolean isArpcMethod1Valid(
      AlgorithmSuite suite, SecretKeyBytes key, byte[] arqc, byte[] arc, byte[] arpc) {
    return MessageDigest.isEqual(arpcMethod1(suite, key, arqc, arc), arpc);
  }

  /**
   * The secure-messaging MAC of one issuer script command: card MAC under SK_SMI over CLA INS P1
   * P2 Lc ‖ ATC ‖ ARQC ‖ data, where Lc already counts the 8 MAC bytes.
   *
   * @param header CLA INS P1 P2, 4 bytes
   * @param data the command data without the MAC, 0..247 bytes
   * @throws CryptoException for a wrong key, header, ATC, ARQC or data length
   */
  public static byte[] scriptMac(AlgorithmSuite suite, SecretKeyBytes smiSessionKey, byte[] header, int atc,
      byte[] arqc, byte[] data) {
    requireLength("script header", header, 4);
    requireLength("ARQC", arqc, CRYPTOGRAM_LENGTH_BYTES);
    if (data == null || data.length > 255 - SCRIPT_MAC_LENGTH_BYTES) {
      throw new CryptoException("script data: expected 0 to " + (255 - SCRIPT_MAC_LENGTH_BYTES) + " bytes");
    }
    if (atc < 0 || atc > EmvKeyDerivation.ATC_MAX) {
      throw new CryptoException("ATC " + atc + " is outside 0.." + EmvKeyDerivation.ATC_MAX);
    }
    byte[] lc = {(byte) (data.length + SCRIPT_MAC_LENGTH_BYTES)};
    byte[] input = concat(header, lc, new byte[] {(byte) (atc >>> 8), (byte) atc}, arqc, data);
    return Arrays.copyOf(cardMac(suite, smiSessionKey, input), SCRIPT_MAC_LENGTH_BYTES);
  }

  /**
   * A whole script command as the issuer sends it: header ‖ Lc ‖ data ‖ MAC (no Le).
   *
   * @throws CryptoException as {@link #scriptMac}
   */
  public static byte[] scriptCommand(AlgorithmSuite suite, SecretKeyBytes smiSessionKey, byte[] header, int atc,
      byte[] arqc, byte[] data) {
    byte[] mac = scriptMac(suite, smiSessionKey, header, atc, arqc, data);
    return concat(header, new byte[] {(byte) (data.length + SCRIPT_MAC_LENGTH_BYTES)}, data, mac);
  }

  /** Bytes of an ISO 9564 format 2 PIN block. */
  public static final int PIN_BLOCK_LENGTH_BYTES = 8;
  /** Bytes of the enciphered data of a PIN CHANGE script. */
  public static final int PIN_CHANGE_DATA_LENGTH_BYTES = 16;

  /**
   * The ISO 9564 format 2 PIN block of an offline PIN: {@code 2 L P P .. F F}, L the number of
   * digits.
   *
   * @param pin 4 to 12 decimal digits, not null
   * @throws CryptoException for any other PIN (the message never repeats it)
   */
  public static byte[] pinBlockFormat2(char[] pin) {
    if (pin == null || pin.length < 4 || pin.length > 12) {
      throw new CryptoException("PIN: expected 4 to 12 digits");
    }
    byte[] nibbles = new byte[16];
    Arrays.fill(nibbles, (byte) 0x0F);
    nibbles[0] = 2;
    nibbles[1] = (byte) pin.length;
    for (int i = 0; i < pin.length; i++) {
      if (pin[i] < '0' || pin[i] > '9') {
        throw new CryptoException("PIN: character at position " + i + " is not a decimal digit");
      }
      nibbles[2 + i] = (byte) (pin[i] - '0');
    }
    byte[] block = new byte[PIN_BLOCK_LENGTH_BYTES];
    for (int i = 0; i < block.length; i++) {
      block[i] = (byte) ((nibbles[2 * i] << 4) | nibbles[2 * i + 1]);
    }
    return block;
  }

  /**
   * The enciphered data of a PIN CHANGE script ({@code 84 24 00 02}): CBC, zero ICV, under SK_SMC
   * of PIN block ‖ {@code 80 00 00 00 00 00 00 00}.
   *
   * @throws CryptoException for a wrong key or PIN block length
   */
  public static byte[] pinChangeData(AlgorithmSuite suite, SecretKeyBytes smcSessionKey, byte[] pinBlock) {
    requireLength("PIN block", pinBlock, PIN_BLOCK_LENGTH_BYTES);
    byte[] plain = new byte[PIN_CHANGE_DATA_LENGTH_BYTES];
    System.arraycopy(pinBlock, 0, plain, 0, PIN_BLOCK_LENGTH_BYTES);
    plain[PIN_BLOCK_LENGTH_BYTES] = (byte) 0x80;
    byte[] enciphered = suite.cardBlockCipher().encrypt(CipherMode.CBC, smcSessionKey, null, plain);
    Arrays.fill(plain, (byte) 0);
    return enciphered;
  }

  /** The suite's card MAC with padding method 2 and a zero ICV: one full block. */
  private static byte[] cardMac(AlgorithmSuite suite, SecretKeyBytes key, byte[] input) {
    return switch (suite) {
      case INTERNATIONAL -> MacAlgorithm.ISO9797_1_M3.mac(key, input, MacPadding.METHOD_2);
      case NATIONAL -> MacAlgorithm.pbocSm4Block(key, null, input);
    };
  }

  private static void requireLength(String what, byte[] value, int length) {
    if (value == null || value.length != length) {
      throw new CryptoException(what + ": expected " + length + " bytes");
    }
  }

  private static void requireBounded(byte[] input) {
    if (input == null || input.length > MAC_INPUT_BYTES_MAX) {
      throw new CryptoException("MAC input: expected at most " + MAC_INPUT_BYTES_MAX + " bytes");
    }
  }

  private static byte[] concat(byte[]... parts) {
    int length = 0;
    for (byte[] part : parts) {
      if (part == null) {
        throw new CryptoException("cryptogram input: a part is missing");
      }
      length += part.length;
    }
    byte[] out = new byte[length];
    int offset = 0;
    for (byte[] part : parts) {
      System.arraycopy(part, 0, out, offset, part.length);
      offset += part.length;
    }
    return out;
  }
}
