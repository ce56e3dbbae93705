package io.iotpay.issuer.wallet;

import io.iotpay.foundation.crypto.AlgorithmSuite;

/**
 * The wallet issuer's card-level key (the one the card trusts for LOAD and WRITE BACK) signing a
 * WRITE BACK input {@code 41 ‖ card id ‖ pending counter ‖ pending amount ‖ outcome}.
 */
@FunctionalInterface
public interface WriteBackSigner {
  byte[] sign(AlgorithmSuite suite, byte[] writeBackInput);
}
