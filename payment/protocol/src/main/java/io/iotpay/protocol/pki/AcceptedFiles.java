package io.iotpay.protocol.pki;

/**
 * What a receiver has already accepted, asked by {@link SignedFileVerifier} to refuse replays. The
 * receiver records a file here (in its own store) only once it has used it.
 */
@FunctionalInterface
public interface AcceptedFiles {
  /** Accepts nothing ever: for a receiver that refuses replays by other means (a deny list's version). */
  AcceptedFiles NONE = claims -> false;

  /**
   * True when the file these claims identify (its sender, kind, business date and sequence: a
   * settlement report is numbered 1 every day) was already accepted.
   */
  boolean contains(FileClaims claims);
}
