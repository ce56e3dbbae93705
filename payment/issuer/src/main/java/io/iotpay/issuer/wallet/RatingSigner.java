package io.iotpay.issuer.wallet;

import io.iotpay.foundation.crypto.AlgorithmSuite;

/**
 * The wallet issuer's card-level key (the one the card trusts for LOAD, WRITE BACK and WRITE
 * RATING) signing a rating input {@code 61 ‖ card id ‖ version ‖ band ‖ allowance ‖ kinds ‖ currency}.
 */
@FunctionalInterface
public interface RatingSigner {
  byte[] sign(AlgorithmSuite suite, byte[] ratingInput);
}
