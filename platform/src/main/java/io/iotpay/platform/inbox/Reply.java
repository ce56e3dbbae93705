package io.iotpay.platform.inbox;

import io.iotpay.protocol.device.RefusalReason;

/** What the platform answers a delivered envelope. */
public sealed interface Reply {

  /**
   * The envelope was accepted (or was an exact duplicate of an accepted one).
   *
   * @param signedAnswer the platform's signed answer envelope, to send back to the device as is
   * @param duplicate true when this repeats the answer of an earlier delivery and nothing was done again
   */
  record Answer(byte[] signedAnswer, boolean duplicate) implements Reply {
    public Answer {
      signedAnswer = signedAnswer.clone();
    }

    @Override
    public byte[] signedAnswer() {
      return signedAnswer.clone();
    }
  }

  /**
   * The envelope was refused; nothing was paid and the device's counter did not move.
   *
   * @param reason machine-readable cause, one of {@link RefusalReason}
   * @param detail one line for the operator; never contains keys or payload bytes
   */
  record Refused(RefusalReason reason, String detail) implements Reply {}
}
