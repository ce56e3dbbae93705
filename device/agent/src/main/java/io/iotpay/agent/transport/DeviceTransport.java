package io.iotpay.agent.transport;

import java.util.concurrent.CompletableFuture;

/** How a device sends a sealed envelope to the platform and gets the signed answer back. */
public interface DeviceTransport extends AutoCloseable {
  /**
   * Sends {@code envelope}; completes with the platform's answer bytes, or exceptionally with
   * {@link TransportException} (refused, or timed out after its retries). Resending the same bytes is
   * always safe: the platform answers a duplicate with its first answer and does nothing again.
   */
  CompletableFuture<byte[]> send(byte[] envelope);

  @Override
  void close();
}
