package io.iotpay.foundation.crypto;

/**
 * Card key derivation of both suites.
 *
 * <p><b>Card master key, INTERNATIONAL</b> — EMV 4.3 Book 2 Annex A1.4.1 (option A): Y is the
 * rightmost 16 digits of PAN || PAN sequence number (left-padded with zeros when shorter), packed
 * as 8 bytes of BCD; the card key is 3DES(IMK)[Y] || 3DES(IMK)[Y xor FF..FF] with DES odd parity
 * set on every byte.
 *
 * <p><b>Card master key, NATIONAL</b> — the PBOC 3.0 SM4 equivalent: the same 8-byte Y, and the
 * card key is SM4(IMK)[Y || (Y xor FF..FF)], one 16-byte block, no parity (SM4 keys have none).
 *
 * <p><b>ATC session key, INTERNATIONAL</b> — EMV 4.3 Book 2 Annex A1.3.1 (common session key
 * derivation) with R = ATC || 00 00 00 00 00 00: SK = 3DES(MK)[ATC || F0 || 00..] || 3DES(MK)[ATC
 * || 0F || 00..], odd parity set.
 *
 * <p><b>ATC session key, NATIONAL</b> — the PBOC ATC method with SM4: SK = SM4(MK)[00 00 00 00 00 00
 * || ATC || 00 00 00 00 00 00 || (ATC xor FFFF)], the two 8-byte halves of PBOC 2.0's 3DES
 * process-key derivation joined into one SM4 block. See docs/crypto.md for sources and caveats.
 */
public final class EmvKeyDerivation {
  /** Largest application transaction counter (two bytes). */
  public static final int ATC_MAX = 0xFFFF;

  private EmvKeyDerivation() {}

  /**
   * The card (ICC) master key derived from the issuer master key, option A.
   *
   * @param pan the primary account number, 12 to 19 decimal digits
   * @param panSequenceNumber one or two decimal digits; null or empty means {@code 00}
   * @throws CryptoException for a wrong key length or a malformed PAN / sequence number (the
   *     message never repeats the PAN)
   */
  public static SecretKeyBytes cardMasterKey(
      AlgorithmSuite suite, SecretKeyBytes issuerMasterKey, String pan, String panSequenceNumber) {
    BlockCipherAlgorithm cipher = suite.cardBlockCipher();
    return optionA(cipher, cipher.newEngine(issuerMasterKey, true), optionAInput(pan, panSequenceNumber));
  }

  /**
   * A wallet card's key (docs/wallet-apdus.md §3.3), option A's cipher step with Y = the card's
   * 8-byte id instead of the PAN's digits: E_IMK(id ‖ ~id) (parity set for DES). Wallet card ids
   * are binary, not decimal, so they cannot pass as a PAN.
   *
   * @throws CryptoException for a wrong key length or an id that is not 8 bytes
   */
  public static SecretKeyBytes walletCardKey(AlgorithmSuite suite, SecretKeyBytes issuerMasterKey, byte[] cardId) {
    BlockCipherAlgorithm cipher = suite.cardBlockCipher();
    return optionA(cipher, cipher.newEngine(issuerMasterKey, true), walletY(cardId));
  }

  private static byte[] walletY(byte[] cardId) {
    if (cardId == null || cardId.length != 8) {
      throw new CryptoException("wallet card id: expected 8 bytes");
    }
    return cardId.clone();
  }

  /** Option A's cipher step: E_IMK(Y ‖ ~Y) in ECB with an engine keyed with the IMK, parity set for DES. */
  private static SecretKeyBytes optionA(BlockCipherAlgorithm cipher, org.bouncycastle.crypto.BlockCipher engine,
      byte[] y) {
    byte[] block = new byte[16];
    for (int i = 0; i < 8; i++) {
      block[i] = y[i];
      block[8 + i] = (byte) ~y[i];
    }
    for (int offset = 0; offset < block.length; offset += cipher.blockSizeBytes()) {
      engine.processBlock(block, offset, block, offset);
    }
    return finish(cipher, block);
  }

  /**
   * Option A for many cards with one issuer master key, scheduled once (clearing derives a key for
   * every card of the day). Same result as {@link #cardMasterKey}. Not thread-safe: one per thread.
   */
  public static final class CardKeys {
    private final BlockCipherAlgorithm cipher;
    private final org.bouncycastle.crypto.BlockCipher engine;

    public CardKeys(AlgorithmSuite suite, SecretKeyBytes issuerMasterKey) {
      this.cipher = suite.cardBlockCipher();
      this.engine = cipher.newEngine(issuerMasterKey, true);
    }

    /**
     * Option A with an engine the caller already initialised for encryption under the issuer master
     * key, e.g. one whose key lives in an HSM (io.iotpay.foundation.custody): the IMK bytes never
     * reach this class.
     */
    public CardKeys(AlgorithmSuite suite, org.bouncycastle.crypto.BlockCipher issuerMasterKeyEngine) {
      this.cipher = suite.cardBlockCipher();
      this.engine = issuerMasterKeyEngine;
    }

    /**
     * @param panSequence 0..99
     * @throws CryptoException for a malformed PAN or a sequence out of range
     */
    public SecretKeyBytes cardMasterKey(String pan, int panSequence) {
      if (panSequence < 0 || panSequence > 99) {
        throw new CryptoException("PAN sequence number " + panSequence + " is outside 0..99");
      }
      char[] psn = {(char) ('0' + panSequence / 10), (char) ('0' + panSequence % 10)};
      return optionA(cipher, engine, optionAInput(pan, new String(psn)));
    }

    /**
     * As {@link EmvKeyDerivation#walletCardKey}, with this engine.
     *
     * @throws CryptoException for an id that is not 8 bytes
     */
    public SecretKeyBytes walletCardKey(byte[] cardId) {
      return optionA(cipher, engine, walletY(cardId));
    }
  }

  /**
   * The session key for one ATC value.
   *
   * @throws CryptoException for a wrong key length or an ATC outside 0..65535
   */
  public static SecretKeyBytes sessionKey(AlgorithmSuite suite, SecretKeyBytes cardMasterKey, int atc) {
    if (atc < 0 || atc > ATC_MAX) {
      throw new CryptoException("ATC " + atc + " is outside 0.." + ATC_MAX);
    }
    byte high = (byte) (atc >>> 8);
    byte low = (byte) atc;
    byte[] input = new byte[16];
    switch (suite) {
      case INTERNATIONAL -> {
        return commonSessionKey(cardMasterKey, new byte[] {high, low, 0, 0, 0, 0, 0, 0});
      }
      case NATIONAL -> {
        input[6] = high;
        input[7] = low;
        input[14] = (byte) ~high;
        input[15] = (byte) ~low;
      }
    }
    BlockCipherAlgorithm cipher = suite.cardBlockCipher();
    return finish(cipher, cipher.encrypt(CipherMode.ECB, cardMasterKey, null, input));
  }

  /**
   * EMV common session key derivation (Book 2 A1.3.1) with any 8-byte diversification value R
   * (e.g. ATC || 00 || 00 || UN, or an ARQC for secure messaging keys): 3DES(MK)[R with byte 3 =
   * F0] || 3DES(MK)[R with byte 3 = 0F], odd parity set. INTERNATIONAL suite only.
   *
   * @throws CryptoException for a wrong key length or an R that is not 8 bytes
   */
  public static SecretKeyBytes commonSessionKey(SecretKeyBytes cardMasterKey, byte[] r) {
    if (r == null || r.length != 8) {
      throw new CryptoException("common session key: R must be 8 bytes");
    }
    byte[] input = new byte[16];
    System.arraycopy(r, 0, input, 0, 8);
    System.arraycopy(r, 0, input, 8, 8);
    input[2] = (byte) 0xF0;
    input[10] = (byte) 0x0F;
    return finish(BlockCipherAlgorithm.TDES, BlockCipherAlgorithm.TDES.encrypt(CipherMode.ECB, cardMasterKey, null, input));
  }

  /**
   * Y of option A: the rightmost 16 digits of PAN || PSN, zero-padded on the left, as 8 BCD bytes.
   *
   * @throws CryptoException for a malformed PAN or PSN
   */
  static byte[] optionAInput(String pan, String panSequenceNumber) {
    checkDigits(pan, "PAN", 12, 19);
    String psn = panSequenceNumber == null || panSequenceNumber.isEmpty() ? "00" : panSequenceNumber;
    checkDigits(psn, "PAN sequence number", 1, 2);
    String digits = pan + (psn.length() == 1 ? "0" + psn : psn);
    String rightmost16 =
        digits.length() >= 16 ? digits.substring(digits.length() - 16) : "0".repeat(16 - digits.length()) + digits;
    byte[] out = new byte[8];
    for (int i = 0; i < 8; i++) {
      out[i] = (byte) (((rightmost16.charAt(2 * i) - '0') << 4) | (rightmost16.charAt(2 * i + 1) - '0'));
    }
    return out;
  }

  private static void checkDigits(String value, String what, int lengthMin, int lengthMax) {
    if (value == null) {
      throw new CryptoException(what + " is missing");
    }
    if (value.length() < lengthMin || value.length() > lengthMax) {
      throw new CryptoException(
          what + ": " + value.length() + " digits, expected " + lengthMin + " to " + lengthMax);
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < '0' || c > '9') {
        // Position only: the value may be a PAN, which must not travel in messages or logs.
        throw new CryptoException(what + ": character at position " + i + " is not a decimal digit");
      }
    }
  }

  private static SecretKeyBytes finish(BlockCipherAlgorithm cipher, byte[] key) {
    return switch (cipher) {
      case TDES -> new SecretKeyBytes(withOddParity(key));
      case AES, SM4 -> new SecretKeyBytes(key);
    };
  }

  /** Sets the low bit of each byte so that every byte has an odd number of one bits (DES parity). */
  static byte[] withOddParity(byte[] key) {
    byte[] out = key.clone();
    for (int i = 0; i < out.length; i++) {
      int high7 = out[i] & 0xFE;
      out[i] = (byte) (Integer.bitCount(high7) % 2 == 0 ? high7 | 1 : high7);
    }
    return out;
  }
}
