package io.iotpay.protocol.pki;

import io.iotpay.foundation.Assert;

/**
 * What a party needs to take part in signed file exchange: its signer (its key in its custody and
 * its certificate) and its verifier (the scheme CA's certificate and its own party id).
 *
 * @param signer signs the files this party sends
 * @param verifier checks the files this party receives
 */
public record FileTrust(FileSigner signer, SignedFileVerifier verifier) {
  public FileTrust {
    Assert.notNull(signer, "signer");
    Assert.notNull(verifier, "verifier");
    Assert.that(signer.certificate().party().equals(verifier.self()), "signer {} and verifier {} are not the same party",
        signer.certificate().party(), verifier.self());
  }
}
