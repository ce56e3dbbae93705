package io.iotpay.issuer.wallet;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.custody.KeyCustody;
import io.iotpay.foundation.custody.KeyRef;
import io.iotpay.issuer.IssuerInputException;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The wallet card's TAC checked at day end (docs/wallet.md §3), through the issuer's {@link
 * KeyCustody}: the custody derives the card's TAC key from the wallet IMK over the card id (and
 * keeps it in its bounded card-key cache), runs the TAC formula with the card counter's low 16 bits
 * as the ATC over the 51-byte DEBIT input, and compares in constant time. This class holds key refs
 * only, never a key.
 *
 * <p>Rotation as {@code transit.TacVerifier}: a debit is tried under each live IMK version of its
 * suite, current first. Thread-safe (the custody is).
 */
public final class WalletTacVerifier {
  /** Bytes of a wallet TAC. */
  public static final int TAC_BYTES = 8;

  private final KeyCustody custody;
  private final Map<AlgorithmSuite, List<KeyRef>> imks = new EnumMap<>(AlgorithmSuite.class);

  /**
   * @param imkVersions the live wallet IMK versions of each suite, current first (copied; a suite
   *     without one is refused at {@link #verify})
   */
  public WalletTacVerifier(KeyCustody custody, Map<AlgorithmSuite, List<KeyRef>> imkVersions) {
    this.custody = custody;
    imkVersions.forEach((suite, refs) -> imks.put(suite, List.copyOf(refs)));
  }

  /**
   * Whether {@code tac} is the card's TAC over {@code debitInput} (the card id and counter are read
   * from it) under one of the suite's live IMK versions.
   *
   * @throws IssuerInputException when the input is not a 51-byte DEBIT input, or the verifier has no
   *     IMK for {@code suite}
   */
  public boolean verify(AlgorithmSuite suite, byte[] debitInput, byte[] tac) {
    if (debitInput == null || debitInput.length != SignedOnlinePart.INPUT_BYTES || debitInput[0] != 0x21) {
      throw new IssuerInputException("wallet TAC: not a 51-byte DEBIT input");
    }
    List<KeyRef> refs = imks.get(suite);
    if (refs == null || refs.isEmpty()) {
      throw new IssuerInputException("wallet TAC: no IMK for suite " + suite);
    }
    if (tac == null || tac.length != TAC_BYTES) {
      return false;
    }
    byte[] cardId = Arrays.copyOfRange(debitInput, 1, 9);
    int atc = ((debitInput[11] & 0xFF) << 8) | (debitInput[12] & 0xFF);
    for (KeyRef ref : refs) {
      if (custody.verifyWalletTac(ref, cardId, atc, debitInput, tac)) {
        return true;
      }
    }
    return false;
  }
}
