package io.iotpay.foundation.crypto.oda;

import io.iotpay.foundation.Assert;

/**
 * The data a card signs in fast DDA (EMV Book C-3 / Visa qVSDC fDDA version 01), in the order the
 * hash takes it: unpredictable number (9F37, 4 bytes), amount authorised (9F02, n12 in 6 bytes),
 * transaction currency code (5F2A, 2 bytes), then the card authentication related data (9F69):
 * fDDA version number (1 byte, 01), card unpredictable number (4 bytes), card transaction
 * qualifiers (2 bytes).
 */
public record FddaData(byte[] unpredictableNumber, byte[] amountAuthorised, byte[] currencyCode,
    byte[] cardAuthenticationData) {
  public static final int UNPREDICTABLE_NUMBER_BYTES = 4;
  public static final int AMOUNT_BYTES = 6;
  public static final int CURRENCY_BYTES = 2;
  public static final int CARD_AUTHENTICATION_DATA_BYTES = 7;
  /** fDDA version number 01, the first byte of 9F69. */
  public static final byte VERSION_01 = 0x01;
  /** Length of the terminal part (9F37 ‖ 9F02 ‖ 5F2A) a card receives. */
  public static final int TERMINAL_PART_BYTES = UNPREDICTABLE_NUMBER_BYTES + AMOUNT_BYTES + CURRENCY_BYTES;

  public FddaData {
    requireLength(unpredictableNumber, UNPREDICTABLE_NUMBER_BYTES, "9F37 unpredictable number");
    requireLength(amountAuthorised, AMOUNT_BYTES, "9F02 amount authorised");
    requireLength(currencyCode, CURRENCY_BYTES, "5F2A currency code");
    requireLength(cardAuthenticationData, CARD_AUTHENTICATION_DATA_BYTES, "9F69 card authentication related data");
    unpredictableNumber = unpredictableNumber.clone();
    amountAuthorised = amountAuthorised.clone();
    currencyCode = currencyCode.clone();
    cardAuthenticationData = cardAuthenticationData.clone();
  }

  private static void requireLength(byte[] value, int length, String what) {
    if (value == null || value.length != length) {
      throw new OdaException(what + " must be " + length + " bytes, got " + (value == null ? "none" : value.length));
    }
  }

  /** 9F37 ‖ 9F02 ‖ 5F2A ‖ 9F69: the terminal dynamic data the signature covers. */
  public byte[] signedData() {
    byte[] out = OdaBytes.concat(unpredictableNumber, amountAuthorised, currencyCode, cardAuthenticationData);
    Assert.that(out.length == TERMINAL_PART_BYTES + CARD_AUTHENTICATION_DATA_BYTES, "fDDA data length");
    return out;
  }

  @Override
  public byte[] unpredictableNumber() {
    return unpredictableNumber.clone();
  }

  @Override
  public byte[] amountAuthorised() {
    return amountAuthorised.clone();
  }

  @Override
  public byte[] currencyCode() {
    return currencyCode.clone();
  }

  @Override
  public byte[] cardAuthenticationData() {
    return cardAuthenticationData.clone();
  }
}
