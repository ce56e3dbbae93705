package io.iotpay.foundation.custody;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.SecretKeyBytes;

/**
 * The transit card's TAC formula, handed to a custody when it is built (the issuer supplies its
 * {@code CardCrypto.tac}; foundation cannot depend on the issuer and must not copy the formula).
 * It runs inside the custody on the card key the custody derived; it is configuration, not part of
 * {@link KeyCustody}, so no caller of the interface ever receives a key through it.
 */
@FunctionalInterface
public interface TacFormula {
  /** A formula for custodies that verify no TAC: every call is refused as UNSUPPORTED. */
  TacFormula NONE = (suite, cardKey, atc, input) -> {
    throw new KeyCustodyException(KeyCustodyException.Reason.UNSUPPORTED, "no TAC formula configured");
  };

  /**
   * The 8-byte TAC the card computes over {@code cryptogramInput} for {@code atc} with its key.
   *
   * @param cardKey the card's key, option A from the issuer master key
   */
  byte[] tac(AlgorithmSuite suite, SecretKeyBytes cardKey, int atc, byte[] cryptogramInput);
}
