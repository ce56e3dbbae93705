package io.iotpay.issuer.wallet;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.custody.KeyCustody;
import io.iotpay.foundation.custody.KeyRef;
import io.iotpay.issuer.IssuerInputException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The wallet rating's MACs (docs/wallet-apdus.md §3.8) through the issuer's {@link KeyCustody}:
 * the custody derives the card's key from the wallet IMK over the card id the input names, the
 * direction's session key (issuer → card for a rating, card → issuer for a confirmation) and the
 * MAC; it MACs only rating inputs and checks only confirmation inputs, so nothing it makes passes
 * as a card's confirmation. This class holds key refs only, never a key. Thread-safe (the custody is).
 *
 * <p>Versions: a confirmation is tried under each live IMK version of its suite, current first (as
 * {@link WalletTacVerifier}); a rating is MACed under the current version, so a card personalised
 * under an older version refuses it (6988) until it is re-issued: the issuer does not record which
 * version each card holds (docs/wallet.md §7).
 */
public final class WalletRatingMacs {
  /** Bytes of a rating or confirmation MAC. */
  public static final int MAC_BYTES = 8;

  private final KeyCustody custody;
  private final Map<AlgorithmSuite, List<KeyRef>> imks = new EnumMap<>(AlgorithmSuite.class);

  /**
   * @param imkVersions the live wallet IMK versions of each suite, current first (copied; a suite
   *     without one is refused)
   */
  public WalletRatingMacs(KeyCustody custody, Map<AlgorithmSuite, List<KeyRef>> imkVersions) {
    this.custody = custody;
    imkVersions.forEach((suite, refs) -> imks.put(suite, List.copyOf(refs)));
  }

  /**
   * The issuer's MAC over a 21-byte rating input (tag 61), under the suite's current IMK version.
   *
   * @throws IssuerInputException when the verifier has no IMK for {@code suite}
   * @throws io.iotpay.foundation.custody.KeyCustodyException BAD_INPUT when the input is not a rating input
   */
  public byte[] mac(AlgorithmSuite suite, byte[] ratingInput) {
    return custody.walletRatingMac(versions(suite).get(0), ratingInput);
  }

  /**
   * Whether {@code mac} is the card's confirmation MAC over {@code confirmationInput} (tag 71) under
   * one of the suite's live IMK versions.
   *
   * @throws IssuerInputException when the verifier has no IMK for {@code suite}
   * @throws io.iotpay.foundation.custody.KeyCustodyException BAD_INPUT when the input is not a confirmation input
   */
  public boolean verifyConfirmation(AlgorithmSuite suite, byte[] confirmationInput, byte[] mac) {
    if (mac == null || mac.length != MAC_BYTES) {
      return false;
    }
    for (KeyRef ref : versions(suite)) {
      if (custody.verifyWalletRatingConfirmation(ref, confirmationInput, mac)) {
        return true;
      }
    }
    return false;
  }

  private List<KeyRef> versions(AlgorithmSuite suite) {
    List<KeyRef> refs = imks.get(suite);
    if (refs == null || refs.isEmpty()) {
      throw new IssuerInputException("wallet rating MAC: no IMK for suite " + suite);
    }
    return refs;
  }
}
