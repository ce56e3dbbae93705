package io.iotpay.platform.envelope;

/**
 * What the platform answers to a device message; signed by the platform, encrypted under the
 * device's payload key when {@code encrypt} is set.
 */
public record AnswerPayload(byte[] payload, boolean encrypt) {
  public AnswerPayload {
    payload = payload.clone();
  }

  @Override
  public byte[] payload() {
    return payload.clone();
  }
}
