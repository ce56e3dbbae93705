package io.iotpay.protocol.device;

import java.util.Optional;

/**
 * Why the platform refused a device's envelope: one type for the platform's doors and inbox and for the
 * device SDK, which reads the name back from the refusal each transport sends (MQTT refusal line, CoAP
 * diagnostic payload, HTTP error body). The platform's envelope reasons carry over by name; the rest
 * are the doors' own.
 */
public enum RefusalReason {
  MALFORMED,
  OVERSIZED,
  UNKNOWN_DEVICE,
  DEVICE_SUSPENDED,
  DEVICE_REVOKED,
  SUITE_MISMATCH,
  BAD_SIGNATURE,
  REPLAYED_COUNTER,
  DUPLICATE_IN_PROGRESS,
  DECRYPTION_FAILED,
  NO_PAYLOAD_KEY,
  /** The envelope is signed by a device other than the one the channel (topic, URI, certificate) belongs to. */
  CHANNEL_MISMATCH,
  /** The transport refused the channel itself: a topic or resource the device may not use. */
  NOT_AUTHORISED,
  /** The payload inside a valid envelope is not a message the platform knows. */
  BAD_PAYLOAD,
  /** The platform could not process the message now (store failure); the device should retry. */
  UNAVAILABLE;

  /** True when sending the same envelope bytes again may succeed (the refusal was about now, not the bytes). */
  public boolean retryable() {
    return this == DUPLICATE_IN_PROGRESS || this == UNAVAILABLE;
  }

  /** The reason of this name, or empty for a name that is not one (e.g. a newer platform's reason). */
  public static Optional<RefusalReason> named(String name) {
    for (RefusalReason reason : values()) {
      if (reason.name().equals(name)) {
        return Optional.of(reason);
      }
    }
    return Optional.empty();
  }
}
