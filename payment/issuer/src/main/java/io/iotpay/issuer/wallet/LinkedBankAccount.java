package io.iotpay.issuer.wallet;

import io.iotpay.issuer.IssuerInputException;
import io.iotpay.protocol.iso8583.AccountVerificationRequest;
import java.util.regex.Pattern;

/**
 * A cardholder's bank account linked to a wallet card: the bank's institution id and the account's
 * number there. {@link #toString()} shows the number masked only.
 *
 * @param bankId the bank's institution id, 1..{@value #BANK_ID_DIGITS_MAX} digits (ISO 8583 field 32)
 * @param accountNumber {@value AccountVerificationRequest#ACCOUNT_CHARS_MIN}..{@value
 *     AccountVerificationRequest#ACCOUNT_CHARS_MAX} of [0-9A-Z], as the bank's deposit accounts are numbered
 * @throws IssuerInputException naming the part that is malformed (never its value)
 */
public record LinkedBankAccount(String bankId, String accountNumber) {
  /** An institution id has at most 11 digits (ISO 8583 field 32, n..11). */
  public static final int BANK_ID_DIGITS_MAX = 11;
  private static final Pattern BANK_ID = Pattern.compile("[0-9]{1," + BANK_ID_DIGITS_MAX + "}");
  private static final Pattern NUMBER = Pattern.compile("[0-9A-Z]{" + AccountVerificationRequest.ACCOUNT_CHARS_MIN
      + "," + AccountVerificationRequest.ACCOUNT_CHARS_MAX + "}");

  public LinkedBankAccount {
    checkBankId(bankId);
    if (accountNumber == null || !NUMBER.matcher(accountNumber).matches()) {
      throw new IssuerInputException("linked account: number must be " + AccountVerificationRequest.ACCOUNT_CHARS_MIN
          + ".." + AccountVerificationRequest.ACCOUNT_CHARS_MAX + " of 0-9 A-Z");
    }
  }

  /** @throws IssuerInputException unless {@code bankId} is 1..{@value #BANK_ID_DIGITS_MAX} digits */
  static String checkBankId(String bankId) {
    if (bankId == null || !BANK_ID.matcher(bankId).matches()) {
      throw new IssuerInputException("bank id must be 1.." + BANK_ID_DIGITS_MAX + " digits");
    }
    return bankId;
  }

  /** The account number masked for logs: all but the last few characters hidden. */
  public String masked() {
    return AccountVerificationRequest.mask(accountNumber);
  }

  @Override
  public String toString() {
    return "LinkedBankAccount[bankId=" + bankId + ", accountNumber=" + masked() + "]";
  }
}
