package io.iotpay.issuer.authorisation.card;

import io.iotpay.foundation.Assert;
import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.EmvCryptograms;
import io.iotpay.foundation.crypto.EmvKeyDerivation;
import io.iotpay.foundation.crypto.SecretKeyBytes;

/**
 * Makes the MACed script command for one card and transaction. {@code KeyCustody} has no
 * script-MAC operation yet, so this is the host's own small piece: a software signer holding the
 * IMK-SMI; a custody-backed one replaces it once the custody offers the operation.
 */
@FunctionalInterface
public interface ScriptSigner {
  /**
   * The command: header ‖ Lc ‖ data ‖ MAC(SK_SMI(ATC), header ‖ Lc ‖ ATC ‖ ARQC ‖ data).
   *
   * @param panSequence two digits
   */
  byte[] command(String pan, String panSequence, int atc, byte[] arqc, IssuerScript script);

  /** A signer over a clear IMK-SMI: option A card key, session key for the ATC, {@link EmvCryptograms#scriptCommand}. */
  static ScriptSigner software(AlgorithmSuite suite, SecretKeyBytes imkSmi) {
    Assert.notNull(suite, "suite");
    Assert.notNull(imkSmi, "imkSmi");
    return (pan, psn, atc, arqc, script) -> {
      SecretKeyBytes cardKey = EmvKeyDerivation.cardMasterKey(suite, imkSmi, pan, psn);
      return EmvCryptograms.scriptCommand(suite, EmvCryptograms.sessionKey(suite, cardKey, atc),
          Hex.decode(script.headerHex()), atc, arqc, script.data());
    };
  }
}
