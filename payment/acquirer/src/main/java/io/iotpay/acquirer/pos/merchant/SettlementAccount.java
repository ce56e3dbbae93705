package io.iotpay.acquirer.pos.merchant;

import java.util.regex.Pattern;

/**
 * Where the acquirer pays the merchant: the bank's institution id (1..11 digits, as ISO 8583 field
 * 32) and the account number, normalised ({@link Fields#number}). {@link #toString()} masks the
 * number, so the record can be logged.
 */
public record SettlementAccount(String bankId, String accountNumber) {
  private static final Pattern BANK_ID = Pattern.compile("[0-9]{1,11}");

  /** @throws OnboardingException INVALID_FIELD for a malformed bank id or account number */
  public SettlementAccount {
    if (bankId == null || !BANK_ID.matcher(bankId).matches()) {
      throw Fields.invalid("settlement_account.bank_id", "must be 1..11 digits");
    }
    accountNumber = Fields.number(accountNumber, "settlement_account.account_number");
  }

  static String normalise(String accountNumber) {
    return Fields.number(accountNumber, "account_number");
  }

  /** The account number with all but its last digits masked. */
  public String masked() {
    return Fields.mask(accountNumber);
  }

  @Override
  public String toString() {
    return "SettlementAccount[bankId=" + bankId + ", accountNumber=" + masked() + "]";
  }
}
