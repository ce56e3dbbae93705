package io.iotpay.foundation.custody;

/**
 * What a caller asks a key to do. {@link KeyUsage} says which operations each kind of key permits;
 * {@link #producesProtection()} marks the operations that make new cryptograms, MACs, signatures or
 * ciphertexts, which only a label's current version may do (older versions keep verifying and
 * deciphering what was made under them until they are retired).
 */
public enum KeyOperation {
  VERIFY_CARD_CRYPTOGRAM(false),
  // An ARPC answers a card personalised under whatever IMK version it holds: not "new protection".
  GENERATE_ARPC(false),
  // A MAC a card checks under the key it was personalised with (an issuer script's, a wallet
  // rating's): that card holds whatever IMK version it was made under, so not "new protection".
  GENERATE_CARD_MAC(false),
  MAC_GENERATE(true),
  MAC_VERIFY(false),
  SIGN(true),
  EXPORT_PUBLIC_KEY(false),
  PIN_DECIPHER(false),
  PIN_ENCIPHER(true),
  // A reference PIN made under an older PIN verification key version still verifies.
  PIN_VERIFY(false),
  DUKPT_DERIVE(false),
  WRAP_KEY(true),
  UNWRAP_KEY(false),
  EXPORT_WRAPPED(false);

  private final boolean producesProtection;

  KeyOperation(boolean producesProtection) {
    this.producesProtection = producesProtection;
  }

  /** True when only the current version of a label may perform this operation. */
  public boolean producesProtection() {
    return producesProtection;
  }
}
