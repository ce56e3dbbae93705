package io.iotpay.acquirer.pos.risk;

/**
 * A terminal asked for a nonce while it holds {@link TerminalRiskService#NONCES_OUTSTANDING_MAX}
 * unused ones: none is issued. A phone uses one per payment, so only a client that asks without
 * attesting (a leaked merchant token, a loop) gets here; its unused nonces expire with the nonce
 * lifetime and it may ask again then.
 */
public final class NonceLimitException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  NonceLimitException(String message) {
    super(message);
  }
}
