package io.iotpay.terminal.wallet;

import io.iotpay.foundation.codec.Hex;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * One debit exactly as the wallet signed it (docs/wallet-apdus.md §3.4): the card's signature and
 * its TAC (§3.3, the issuer's symmetric proof) are over {@link #signatureInput()}. Byte arrays are
 * copied in and out.
 *
 * @param cardId 8 bytes
 * @param counter the card counter after this debit
 * @param posId 8 bytes, from the POS certificate
 * @param posChallenge the PSAM's 16-byte challenge this debit answers
 * @param tac the card's 8-byte TAC over the signature input, under its key derived by the issuer
 * @param cardSignature DER ECDSA or SM2 signature
 */
public record CardDebit(byte[] cardId, long counter, long offlineMinor, long onlineMinor, long balanceAfterMinor,
    int currencyNumeric, byte[] posId, byte[] posChallenge, byte[] tac, byte[] cardSignature) {
  /** Length of the DEBIT signature input. */
  public static final int INPUT_LENGTH = 51;
  static final byte INPUT_DEBIT = 0x21;
  /** Bytes of the card's TAC. */
  public static final int TAC_LENGTH = 8;

  public CardDebit {
    cardId = cardId.clone();
    posId = posId.clone();
    posChallenge = posChallenge.clone();
    if (tac.length != TAC_LENGTH) {
      throw new IllegalArgumentException("TAC of " + tac.length + " bytes");
    }
    tac = tac.clone();
    cardSignature = cardSignature.clone();
  }

  /** 21 || card id || counter || offline || online || balance after || currency || POS id || POS challenge. */
  public byte[] signatureInput() {
    return ByteBuffer.allocate(INPUT_LENGTH).put(INPUT_DEBIT).put(cardId).putInt((int) counter)
        .putInt((int) offlineMinor).putInt((int) onlineMinor).putInt((int) balanceAfterMinor)
        .putShort((short) currencyNumeric).put(posId).put(posChallenge).array();
  }

  @Override
  public byte[] cardId() {
    return cardId.clone();
  }

  @Override
  public byte[] posId() {
    return posId.clone();
  }

  @Override
  public byte[] posChallenge() {
    return posChallenge.clone();
  }

  @Override
  public byte[] tac() {
    return tac.clone();
  }

  @Override
  public byte[] cardSignature() {
    return cardSignature.clone();
  }

  public String cardIdHex() {
    return Hex.encode(cardId);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof CardDebit d && Arrays.equals(signatureInput(), d.signatureInput()) && Arrays.equals(tac, d.tac)
        && Arrays.equals(cardSignature, d.cardSignature);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(signatureInput());
  }

  @Override
  public String toString() {
    return "CardDebit[card=" + cardIdHex() + ", counter=" + counter + ", offlineMinor=" + offlineMinor
        + ", onlineMinor=" + onlineMinor + ", balanceAfterMinor=" + balanceAfterMinor + "]";
  }
}
