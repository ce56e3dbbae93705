package io.iotpay.foundation.crypto;

import java.util.Arrays;

/**
 * The symmetric MACs that carry a wallet card's credit rating (docs/wallet-apdus.md §3.8): the
 * issuer's MAC over {@code 61 ‖ card id ‖ version ‖ band ‖ allowance ‖ kinds ‖ currency} and the
 * card's confirmation MAC over the same fields behind {@code 71}, both under the card's wallet key
 * (the TAC key, {@link EmvKeyDerivation#walletCardKey}), the way EMV issuer scripts are MACed under
 * card keys instead of signed: a card verifies and makes them in about 10 ms each where an
 * ECDSA/SM2 verification and signature cost about 145 ms (docs/wallet-apdus.md §10).
 *
 * <p>Each direction has its own session key, derived from the card key over the rating's version and
 * the input's tag byte {@code D} (61 issuer → card, 71 card → issuer): 3DES {@code SK = E_K(V ‖ D ‖
 * F0 ‖ 00 00) ‖ E_K(V ‖ D ‖ 0F ‖ 00 00)}, SM4 {@code SK = E_K(V ‖ D ‖ F0 ‖ 00×10)}, V the 4-byte
 * version. The TAC's session-key blocks ({@code C ‖ F0|0F ‖ 00…}) have byte 4 zero and these never,
 * so no rating key is ever a TAC key, and the two directions' blocks differ in that byte. The MAC
 * is the TAC's: ISO 9797-1 algorithm 3 (3DES) or SM4 CBC-MAC, padding method 2, zero ICV, first 8
 * bytes. The card's copy is {@code card.crypto.CardMac.deriveDomainKey} and {@code CardMac.mac}.
 */
public final class WalletRatingMac {
  /** Bytes of a rating or confirmation input. */
  public static final int INPUT_BYTES = 21;
  /** Bytes of the MAC. */
  public static final int MAC_BYTES = 8;
  /** Tag (and session-key domain) of the issuer's rating. */
  public static final byte TAG_RATING = 0x61;
  /** Tag (and session-key domain) of the card's confirmation. */
  public static final byte TAG_CONFIRMATION = 0x71;
  private static final int CARD_ID_AT = 1;
  private static final int VERSION_AT = 9;

  private WalletRatingMac() {}

  /**
   * The MAC over {@code input} under the session key of its tag and version.
   *
   * @param cardKey the card's wallet key (16 bytes)
   * @throws CryptoException when the input is not 21 bytes with tag 61 or 71, or the key is not 16 bytes
   */
  public static byte[] mac(AlgorithmSuite suite, SecretKeyBytes cardKey, byte[] input) {
    checkInput(input);
    SecretKeyBytes sessionKey = sessionKey(suite, cardKey, input[0], Arrays.copyOfRange(input, VERSION_AT,
        VERSION_AT + 4));
    return switch (suite) {
      case INTERNATIONAL -> MacAlgorithm.ISO9797_1_M3.mac(sessionKey, input, MacPadding.METHOD_2);
      case NATIONAL -> Arrays.copyOf(MacAlgorithm.pbocSm4Block(sessionKey, null, input), MAC_BYTES);
    };
  }

  /**
   * The 8-byte card id an input names.
   *
   * @throws CryptoException when the input is not a rating or confirmation input
   */
  public static byte[] cardId(byte[] input) {
    checkInput(input);
    return Arrays.copyOfRange(input, CARD_ID_AT, CARD_ID_AT + 8);
  }

  /**
   * The direction's session key (see the class comment).
   *
   * @param tag {@link #TAG_RATING} or {@link #TAG_CONFIRMATION}
   * @param version the rating's 4-byte version
   * @throws CryptoException for another tag, a version that is not 4 bytes or a key that is not 16 bytes
   */
  public static SecretKeyBytes sessionKey(AlgorithmSuite suite, SecretKeyBytes cardKey, byte tag, byte[] version) {
    if (tag != TAG_RATING && tag != TAG_CONFIRMATION) {
      throw new CryptoException("wallet rating MAC: domain " + Integer.toHexString(tag & 0xFF) + " is not 61 or 71");
    }
    if (version == null || version.length != 4) {
      throw new CryptoException("wallet rating MAC: the version must be 4 bytes");
    }
    if (cardKey.lengthBytes() != 16) {
      throw new CryptoException("wallet rating MAC: the card key must be 16 bytes");
    }
    BlockCipherAlgorithm cipher = suite.cardBlockCipher();
    byte[] block = new byte[cipher.blockSizeBytes()];
    System.arraycopy(version, 0, block, 0, 4);
    block[4] = tag;
    block[5] = (byte) 0xF0;
    return switch (suite) {
      case INTERNATIONAL -> {
        byte[] key = new byte[16];
        System.arraycopy(cipher.encryptBlock(cardKey, block), 0, key, 0, 8);
        block[5] = 0x0F;
        System.arraycopy(cipher.encryptBlock(cardKey, block), 0, key, 8, 8);
        yield new SecretKeyBytes(key);
      }
      case NATIONAL -> new SecretKeyBytes(cipher.encryptBlock(cardKey, block));
    };
  }

  private static void checkInput(byte[] input) {
    if (input == null || input.length != INPUT_BYTES || (input[0] != TAG_RATING && input[0] != TAG_CONFIRMATION)) {
      throw new CryptoException("wallet rating MAC: not a 21-byte rating (61) or confirmation (71) input");
    }
  }
}
