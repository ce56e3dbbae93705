package io.iotpay.terminal.wallet;

import io.iotpay.foundation.codec.Hex;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The card's answer to WRITE RATING as the POS reports it to the issuer (docs/wallet-apdus.md
 * §3.8): the 21-byte input the card signed, {@code 71 ‖ card id ‖ version ‖ band ‖ allowance ‖
 * kinds ‖ currency}, and the card's DER signature over it. Only the card key can make one, so the
 * issuer takes it as proof that the card holds the rating. Byte arrays are copied in and out.
 *
 * @throws IllegalArgumentException when the input is not a confirmation or the signature is out of bounds
 */
public record RatingConfirmation(byte[] signedInput, byte[] cardSignature) {
  /** Length of the confirmation's signature input. */
  public static final int INPUT_LENGTH = 21;
  /** Domain-separation byte of the confirmation. */
  public static final byte INPUT_TAG = 0x71;
  static final int SIGNATURE_MAX = 72;

  public RatingConfirmation {
    if (signedInput == null || signedInput.length != INPUT_LENGTH || signedInput[0] != INPUT_TAG) {
      throw new IllegalArgumentException("not a 21-byte rating confirmation input");
    }
    if (cardSignature == null || cardSignature.length < 8 || cardSignature.length > SIGNATURE_MAX) {
      throw new IllegalArgumentException("confirmation signature of bad length");
    }
    signedInput = signedInput.clone();
    cardSignature = cardSignature.clone();
  }

  /** From the card's WRITE RATING answer (rating 10 bytes ‖ signature) and what the POS knows of the card. */
  static RatingConfirmation fromAnswer(byte[] cardId, int currencyNumeric, byte[] answer) {
    if (answer.length < 10 + 8 || answer.length > 10 + SIGNATURE_MAX) {
      throw new WalletException(WalletException.Device.WALLET, "WRITE RATING answer of " + answer.length + " bytes");
    }
    byte[] input = ByteBuffer.allocate(INPUT_LENGTH).put(INPUT_TAG).put(cardId).put(answer, 0, 10)
        .putShort((short) currencyNumeric).array();
    return new RatingConfirmation(input, Arrays.copyOfRange(answer, 10, answer.length));
  }

  public byte[] cardId() {
    return Arrays.copyOfRange(signedInput, 1, 9);
  }

  public String cardIdHex() {
    return Hex.encode(cardId());
  }

  public long version() {
    return ByteBuffer.wrap(signedInput, 9, 4).getInt() & 0xFFFF_FFFFL;
  }

  public int band() {
    return signedInput[13] & 0xFF;
  }

  public long allowanceMinor() {
    return ByteBuffer.wrap(signedInput, 14, 4).getInt() & 0xFFFF_FFFFL;
  }

  public int splitKinds() {
    return signedInput[18] & 0xFF;
  }

  @Override
  public byte[] signedInput() {
    return signedInput.clone();
  }

  @Override
  public byte[] cardSignature() {
    return cardSignature.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof RatingConfirmation c && Arrays.equals(signedInput, c.signedInput)
        && Arrays.equals(cardSignature, c.cardSignature);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(signedInput);
  }

  @Override
  public String toString() {
    return "RatingConfirmation[card=****" + cardIdHex().substring(12) + ", version=" + version() + "]";
  }
}
