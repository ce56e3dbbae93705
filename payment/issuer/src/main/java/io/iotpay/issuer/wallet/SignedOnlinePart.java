package io.iotpay.issuer.wallet;

import io.iotpay.foundation.codec.Hex;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A card-signed DEBIT as the POS forwards it (docs/wallet-apdus.md §3.4): the 51-byte signature
 * input {@code 21 ‖ card id ‖ counter ‖ offline ‖ online ‖ balance after ‖ currency ‖ POS id ‖ POS
 * challenge} and the card's DER signature over it. The issuer reads every amount from the signed
 * bytes, so the POS cannot state an online amount the card did not sign.
 */
public record SignedOnlinePart(byte[] signedInput, byte[] cardSignature) {
  /** Length of the DEBIT signature input. */
  public static final int INPUT_BYTES = 51;
  /** Bound on a DER ECDSA/SM2 signature over a 256-bit curve. */
  public static final int SIGNATURE_BYTES_MAX = 72;

  /**
   * @throws IllegalArgumentException when the input is not a DEBIT input or the signature is out of bounds
   */
  public SignedOnlinePart {
    if (signedInput == null || signedInput.length != INPUT_BYTES || signedInput[0] != 0x21) {
      throw new IllegalArgumentException("not a 51-byte DEBIT signature input");
    }
    if (cardSignature == null || cardSignature.length < 8 || cardSignature.length > SIGNATURE_BYTES_MAX) {
      throw new IllegalArgumentException("card signature of bad length");
    }
    signedInput = signedInput.clone();
    cardSignature = cardSignature.clone();
  }

  /** The wire form: input (51) ‖ signature (8..72). */
  public static SignedOnlinePart decode(byte[] wire) {
    if (wire == null || wire.length <= INPUT_BYTES || wire.length > INPUT_BYTES + SIGNATURE_BYTES_MAX) {
      throw new IllegalArgumentException("signed online part of bad length");
    }
    return new SignedOnlinePart(Arrays.copyOf(wire, INPUT_BYTES), Arrays.copyOfRange(wire, INPUT_BYTES, wire.length));
  }

  public byte[] encode() {
    return ByteBuffer.allocate(signedInput.length + cardSignature.length).put(signedInput).put(cardSignature).array();
  }

  @Override
  public byte[] signedInput() {
    return signedInput.clone();
  }

  @Override
  public byte[] cardSignature() {
    return cardSignature.clone();
  }

  public String cardIdHex() {
    return Hex.encode(Arrays.copyOfRange(signedInput, 1, 9));
  }

  public long counter() {
    return field(9);
  }

  public long offlineMinor() {
    return field(13);
  }

  public long onlineMinor() {
    return field(17);
  }

  public long balanceAfterMinor() {
    return field(21);
  }

  public int currencyNumeric() {
    return ((signedInput[25] & 0xFF) << 8) | (signedInput[26] & 0xFF);
  }

  public String posIdHex() {
    return Hex.encode(Arrays.copyOfRange(signedInput, 27, 35));
  }

  private long field(int offset) {
    return ByteBuffer.wrap(signedInput, offset, 4).getInt() & 0xFFFF_FFFFL;
  }
}
