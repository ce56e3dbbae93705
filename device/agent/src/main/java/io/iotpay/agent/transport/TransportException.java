package io.iotpay.agent.transport;

import io.iotpay.protocol.device.RefusalReason;
import java.util.Optional;

/**
 * A transport could not deliver an envelope or get its answer.
 * {@link #reason()} is machine-readable (the platform's refusal reason, or {@code TIMEOUT},
 * {@code CONNECTION}); {@link #retryable()} says whether sending the same bytes again may succeed.
 */
public final class TransportException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String reason;
  private final boolean retryable;

  public TransportException(String reason, boolean retryable, String message) {
    super(reason + ": " + message);
    this.reason = reason;
    this.retryable = retryable;
  }

  public TransportException(String reason, boolean retryable, String message, Throwable cause) {
    super(reason + ": " + message, cause);
    this.reason = reason;
    this.retryable = retryable;
  }

  public String reason() {
    return reason;
  }

  public boolean retryable() {
    return retryable;
  }

  /**
   * The platform's refusal, typed: empty when the transport failed on its own ({@code TIMEOUT},
   * {@code CONNECTION}, an HTTP or CoAP code without a reason) or the platform sent a reason this SDK
   * does not know.
   */
  public Optional<RefusalReason> refusal() {
    return RefusalReason.named(reason);
  }
}
