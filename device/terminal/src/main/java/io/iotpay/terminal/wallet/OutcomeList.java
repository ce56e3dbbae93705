package io.iotpay.terminal.wallet;

import java.util.Optional;

/**
 * The issuer's signed outcomes of online parts, as downloaded by every POS (the day-end allow and
 * deny lists): the POS writes the one for a card's pending part at that card's next tap.
 */
public interface OutcomeList {

  /** Outcome codes on the card (docs/wallet-apdus.md §3.7). */
  int COMPLETED = 0x01;
  int FAILED_DEBT = 0x02;
  int FAILED_BLOCK = 0x03;

  /**
   * One signed outcome.
   *
   * @param issuerSignature over 41 || card id || pending counter || pending amount || outcome
   */
  record SignedOutcome(long pendingCounter, int outcome, byte[] issuerSignature) {
    public SignedOutcome {
      issuerSignature = issuerSignature.clone();
    }

    @Override
    public byte[] issuerSignature() {
      return issuerSignature.clone();
    }
  }

  /** The outcome for this card's pending part with this counter, if the list holds one. */
  Optional<SignedOutcome> find(byte[] cardId, long pendingCounter);

  /**
   * True when the issuer's deny list names this card as blocked: the POS refuses it even when the
   * card itself did not take the block (it refused its write-back).
   */
  default boolean blocked(byte[] cardId) {
    return false;
  }

  /** A list with nothing in it. */
  static OutcomeList empty() {
    return (cardId, pendingCounter) -> Optional.empty();
  }
}
