package io.iotpay.terminal.wallet;

import io.iotpay.foundation.codec.Hex;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The card's answer to WRITE RATING as the POS reports it to the issuer (docs/wallet-apdus.md
 * §3.8): the 21-byte input {@code 71 ‖ card id ‖ version ‖ band ‖ allowance ‖ kinds ‖ currency}
 * and the card's 8-byte confirmation MAC over it. Only the card's key (derived from the issuer's
 * wallet IMK, which only the issuer holds besides the card) can make one, under a session key no
 * issuer MAC or TAC uses, so the issuer takes it as proof that the card holds the rating. The POS
 * cannot check it. Byte arrays are copied in and out.
 *
 * @throws IllegalArgumentException when the input is not a confirmation or the MAC is not 8 bytes
 */
public record RatingConfirmation(byte[] input, byte[] cardMac) {
  /** Length of the confirmation's input. */
  public static final int INPUT_LENGTH = 21;
  /** Domain-separation byte of the confirmation. */
  public static final byte INPUT_TAG = 0x71;
  /** Length of the card's confirmation MAC. */
  public static final int MAC_LENGTH = 8;
  /** The rating as the card answers it: version, band, allowance, kinds. */
  private static final int RATING_LENGTH = 10;

  public RatingConfirmation {
    if (input == null || input.length != INPUT_LENGTH || input[0] != INPUT_TAG) {
      throw new IllegalArgumentException("not a 21-byte rating confirmation input");
    }
    if (cardMac == null || cardMac.length != MAC_LENGTH) {
      throw new IllegalArgumentException("confirmation MAC is not " + MAC_LENGTH + " bytes");
    }
    input = input.clone();
    cardMac = cardMac.clone();
  }

  /** From the card's WRITE RATING answer (rating 10 bytes ‖ MAC 8) and what the POS knows of the card. */
  static RatingConfirmation fromAnswer(byte[] cardId, int currencyNumeric, byte[] answer) {
    if (answer.length != RATING_LENGTH + MAC_LENGTH) {
      throw new WalletException(WalletException.Device.WALLET, "WRITE RATING answer of " + answer.length + " bytes");
    }
    byte[] input = ByteBuffer.allocate(INPUT_LENGTH).put(INPUT_TAG).put(cardId).put(answer, 0, RATING_LENGTH)
        .putShort((short) currencyNumeric).array();
    return new RatingConfirmation(input, Arrays.copyOfRange(answer, RATING_LENGTH, answer.length));
  }

  public byte[] cardId() {
    return Arrays.copyOfRange(input, 1, 9);
  }

  public String cardIdHex() {
    return Hex.encode(cardId());
  }

  public long version() {
    return ByteBuffer.wrap(input, 9, 4).getInt() & 0xFFFF_FFFFL;
  }

  public int band() {
    return input[13] & 0xFF;
  }

  public long allowanceMinor() {
    return ByteBuffer.wrap(input, 14, 4).getInt() & 0xFFFF_FFFFL;
  }

  public int splitKinds() {
    return input[18] & 0xFF;
  }

  @Override
  public byte[] input() {
    return input.clone();
  }

  @Override
  public byte[] cardMac() {
    return cardMac.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof RatingConfirmation c && Arrays.equals(input, c.input) && Arrays.equals(cardMac, c.cardMac);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(input);
  }

  @Override
  public String toString() {
    return "RatingConfirmation[card=****" + cardIdHex().substring(12) + ", version=" + version() + "]";
  }
}
