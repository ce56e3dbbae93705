package io.iotpay.terminal.pos;

import io.iotpay.foundation.codec.Hex;

/** The issuer's answer to an {@link AuthorisationRequest}, or its absence. */
public sealed interface AuthorisationResponse {

  /**
   * The issuer answered.
   *
   * @param approved the issuer's decision (ISO 8583 field 39 "00" and its equivalents)
   * @param arc the authorisation response code, 2 bytes (8A, the field 39 characters in ASCII)
   * @param issuerData the issuer's chip data as BER-TLV (response field 55): 91 issuer
   *     authentication data (ARPC ‖ ARC for ARPC method 1), 71 / 72 issuer script templates of 86
   *     commands; may be empty
   */
  record Answered(boolean approved, byte[] arc, byte[] issuerData) implements AuthorisationResponse {
    /** @throws PosException when the ARC is not 2 bytes */
    public Answered {
      if (arc == null || arc.length != 2 || issuerData == null) {
        throw new PosException("issuer answer: ARC must be 2 bytes and issuer data present");
      }
      arc = arc.clone();
      issuerData = issuerData.clone();
    }

    @Override
    public byte[] arc() {
      return arc.clone();
    }

    @Override
    public byte[] issuerData() {
      return issuerData.clone();
    }

    @Override
    public String toString() {
      return "Answered[approved=" + approved + ", arc=" + Hex.encode(arc) + ", issuerData=" + issuerData.length + " bytes]";
    }
  }

  /** No answer in time, or the link failed; {@code detail} says which. */
  record NoAnswer(String detail) implements AuthorisationResponse {}
}
