package io.iotpay.foundation.crypto.oda;

/**
 * Why offline data authentication refused a card: one row per check of EMV Book 2 sections 5.3,
 * 6.3 and 6.5 (and their SM2 counterparts), so a terminal can log, count and act on the reason
 * (a gate declines the tap; a POS kernel sets the TVR bit {@link #tvrBit()} names).
 */
public enum OdaReason {
  DATA_MISSING("ODA data missing (CA index, certificate, exponent or PAN)", "ICC data missing"),
  DATA_TOO_LONG("ODA data longer than its bound", "DDA failed"),
  CA_KEY_UNKNOWN("CA public key unknown to the terminal (RID, index, suite)", "DDA failed"),
  ISSUER_CERT_LENGTH("issuer certificate length differs from the CA modulus, or does not recover", "DDA failed"),
  ISSUER_CERT_TRAILER("issuer certificate recovered data trailer is not BC", "DDA failed"),
  ISSUER_CERT_HEADER("issuer certificate recovered data header is not 6A", "DDA failed"),
  ISSUER_CERT_FORMAT("issuer certificate format is not the issuer format of the suite", "DDA failed"),
  ISSUER_CERT_SIGNATURE("issuer certificate hash or signature does not verify under the CA key", "DDA failed"),
  ISSUER_CERT_ALGORITHM("issuer certificate names an unknown hash or public key algorithm", "DDA failed"),
  ISSUER_ID_MISMATCH("issuer identifier is not the leftmost digits of the PAN", "DDA failed"),
  ISSUER_CERT_EXPIRED("issuer certificate expired (or its date is not a date)", "DDA failed"),
  ISSUER_CERT_REVOKED("issuer certificate is on the CA revocation list", "DDA failed"),
  ISSUER_KEY_BAD("issuer public key malformed (lengths, remainder, exponent or point)", "DDA failed"),
  ICC_CERT_LENGTH("ICC certificate length differs from the issuer modulus, or does not recover", "DDA failed"),
  ICC_CERT_TRAILER("ICC certificate recovered data trailer is not BC", "DDA failed"),
  ICC_CERT_HEADER("ICC certificate recovered data header is not 6A", "DDA failed"),
  ICC_CERT_FORMAT("ICC certificate format is not the ICC format of the suite", "DDA failed"),
  STATIC_DATA_ALTERED("ICC certificate hash or signature does not verify: the certificate or the static data was altered", "DDA failed"),
  ICC_CERT_ALGORITHM("ICC certificate names an unknown hash or public key algorithm", "DDA failed"),
  ICC_PAN_MISMATCH("ICC certificate PAN differs from the card's PAN (5A)", "DDA failed"),
  ICC_CERT_EXPIRED("ICC certificate expired (or its date is not a date)", "DDA failed"),
  ICC_KEY_BAD("ICC public key malformed (lengths, remainder, exponent or point)", "DDA failed"),
  DYNAMIC_DATA_LENGTH("signed dynamic application data length differs from the ICC key's", "DDA failed"),
  DYNAMIC_DATA_FORMAT("signed dynamic application data recovered, but its format, hash algorithm or lengths are wrong", "DDA failed"),
  DYNAMIC_SIGNATURE_INVALID("dynamic signature does not verify over the terminal's data (recovery, trailer, header or hash):"
      + " not this card's key, or replayed", "DDA failed");

  private final String description;
  private final String tvrBit;

  OdaReason(String description, String tvrBit) {
    this.description = description;
    this.tvrBit = tvrBit;
  }

  /** One line for logs and reports. */
  public String description() {
    return description;
  }

  /** The EMV Book 3 Annex C5 TVR byte 1 bit a kernel sets for this reason. */
  public String tvrBit() {
    return tvrBit;
  }
}
