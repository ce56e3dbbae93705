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

  /**
   * One issuer-MACed rating for a card (docs/wallet-apdus.md §3.8).
   *
   * @param version the rating's version (the issuer's business date as an epoch day), 1..7FFFFFFF
   * @param band the band as the card holds it (5 best .. 1), 0..255
   * @param allowanceMinor the offline overdraw allowance, 0..7FFFFFFF
   * @param splitKinds the purchase kinds that may split, one bit each (0..255)
   * @param issuerMac 8 bytes, under the card's rating session key, over 61 || card id || version ||
   *     band || allowance || kinds || currency
   * @throws IllegalArgumentException when a field is out of range or the MAC is not 8 bytes
   */
  record SignedRating(long version, int band, long allowanceMinor, int splitKinds, byte[] issuerMac) {
    /** Bytes of the issuer's rating MAC. */
    public static final int MAC_BYTES = 8;

    public SignedRating {
      if (version < 1 || version > Integer.MAX_VALUE || band < 0 || band > 0xFF || allowanceMinor < 0
          || allowanceMinor > Integer.MAX_VALUE || splitKinds < 0 || splitKinds > 0xFF) {
        throw new IllegalArgumentException("rating out of range [version=" + version + ", band=" + band + "]");
      }
      if (issuerMac == null || issuerMac.length != MAC_BYTES) {
        throw new IllegalArgumentException("rating MAC is not " + MAC_BYTES + " bytes");
      }
      issuerMac = issuerMac.clone();
    }

    @Override
    public byte[] issuerMac() {
      return issuerMac.clone();
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

  /** The newest issuer-MACed rating listed for this card, if any. */
  default Optional<SignedRating> rating(byte[] cardId) {
    return Optional.empty();
  }

  /** A list with nothing in it. */
  static OutcomeList empty() {
    return (cardId, pendingCounter) -> Optional.empty();
  }
}
