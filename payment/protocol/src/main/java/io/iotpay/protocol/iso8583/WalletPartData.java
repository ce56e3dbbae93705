package io.iotpay.protocol.iso8583;

import static io.iotpay.protocol.iso8583.Iso8583Exception.Reason.FIELD_INVALID;

import io.iotpay.protocol.Pan;
import java.util.Arrays;

/**
 * Field 62 of an 0200: a wallet online part as the card signed it (the signature input and the
 * card's signature, as {@code issuer.wallet.SignedOnlinePart#encode()} writes them), at most
 * {@link Iso8583Limits#WALLET_PART_BYTES_MAX} bytes. Its presence is what marks an 0200 as a wallet
 * online part pushed by the POS as the cardholder's agent; only the issuer reads inside it.
 *
 * @param value the card-signed bytes (copied in and out)
 */
public record WalletPartData(byte[] value) {
  /** The wallet cards' range at the switch: field 2 of a wallet part's 0200 starts with it. */
  public static final String RANGE_PREFIX = "629900";
  private static final long ID_DIGITS_MOD = 1_000_000_000_000L;

  /** @throws Iso8583Exception FIELD_INVALID when empty or over the bound */
  public WalletPartData {
    if (value == null || value.length == 0 || value.length > Iso8583Limits.WALLET_PART_BYTES_MAX) {
      throw new Iso8583Exception(FIELD_INVALID,
          "field 62 must be 1.." + Iso8583Limits.WALLET_PART_BYTES_MAX + " bytes");
    }
    value = value.clone();
  }

  /**
   * Field 2 of a wallet card's 0200: {@link #RANGE_PREFIX}, the low 12 decimal digits of the card id
   * (read as an unsigned number) and the Luhn digit. It only routes (the switch by range); the
   * issuer checks it against the card id inside the signed part, which is what identifies the card.
   */
  public static Pan panOf(byte[] cardId) {
    long id = 0;
    for (byte b : cardId) {
      id = (id << 8) | (b & 0xFF);
    }
    return Pan.withCheckDigit(RANGE_PREFIX + String.format("%012d", Long.remainderUnsigned(id, ID_DIGITS_MOD)));
  }

  @Override
  public byte[] value() {
    return value.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof WalletPartData that && Arrays.equals(value, that.value);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(value);
  }

  @Override
  public String toString() {
    return "WalletPartData[" + value.length + " bytes]";
  }
}
