package io.iotpay.acquirer.pos.merchant;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import java.time.Instant;

/**
 * A merchant's phone enrolled as a terminal.
 *
 * @param certificateDer the terminal certificate the acquirer's terminal CA issued
 * @param stateReason why the last change happened; may be empty
 */
public record Terminal(
    TerminalId id,
    MerchantId merchantId,
    AlgorithmSuite suite,
    TerminalState state,
    byte[] certificateDer,
    Instant enrolledAt,
    Instant stateChangedAt,
    String stateReason) {

  public Terminal withState(TerminalState to, Instant at, String reason) {
    return new Terminal(id, merchantId, suite, to, certificateDer, enrolledAt, at, reason);
  }
}
