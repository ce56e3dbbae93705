package io.iotpay.agent.sdk;

/**
 * A signed envelope ready to send, with the counter it carries. Retries send these same bytes
 * again (never a re-sealed copy), so the platform recognises them as duplicates and pays once.
 */
public record SealedMessage(long counter, byte[] bytes) {
  public SealedMessage {
    bytes = bytes.clone();
  }

  @Override
  public byte[] bytes() {
    return bytes.clone();
  }
}
