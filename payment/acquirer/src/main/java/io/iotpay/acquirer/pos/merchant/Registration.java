package io.iotpay.acquirer.pos.merchant;

import java.util.regex.Pattern;

/**
 * What a merchant submits to register, validated and normalised. {@link #toString()} masks the
 * owner's identity number and the account number.
 *
 * @param legalName 1..{@value #NAME_CHARS_MAX} characters, no control or bidi characters
 * @param licenceNumber the business licence number, normalised ({@link Fields#number})
 * @param ownerIdNumber the owner's identity number, normalised; kept in memory only: the store
 *     keeps its keyed hash and masked form
 * @param mcc the ISO 18245 merchant category code, 4 digits
 * @param address 1..{@value #ADDRESS_CHARS_MAX} characters
 * @param settlementAccount never null
 */
public record Registration(
    String legalName, String licenceNumber, String ownerIdNumber, String mcc, String address, SettlementAccount settlementAccount) {
  /** Longest legal name, characters (a Chinese enterprise name rarely passes 50). */
  public static final int NAME_CHARS_MAX = 100;
  /** Longest address, characters. */
  public static final int ADDRESS_CHARS_MAX = 200;
  private static final Pattern MCC = Pattern.compile("[0-9]{4}");

  /** @throws OnboardingException INVALID_FIELD naming the first bad field */
  public Registration {
    legalName = Fields.text(legalName, "legal_name", NAME_CHARS_MAX);
    licenceNumber = Fields.number(licenceNumber, "business_licence_number");
    ownerIdNumber = Fields.number(ownerIdNumber, "owner_id_number");
    if (mcc == null || !MCC.matcher(mcc).matches()) {
      throw Fields.invalid("mcc", "must be 4 digits");
    }
    address = Fields.text(address, "address", ADDRESS_CHARS_MAX);
    if (settlementAccount == null) {
      throw Fields.invalid("settlement_account", "is missing");
    }
  }

  /** The owner's identity number masked. */
  public String ownerIdMasked() {
    return Fields.mask(ownerIdNumber);
  }

  @Override
  public String toString() {
    return "Registration[legalName=" + legalName + ", licenceNumber=" + licenceNumber + ", ownerIdNumber=" + ownerIdMasked()
        + ", mcc=" + mcc + ", address=" + address + ", settlementAccount=" + settlementAccount + "]";
  }
}
