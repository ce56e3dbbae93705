package io.iotpay.platform.access;

/**
 * Why an envelope was refused at the platform's door. The envelope reasons carry over by name
 * ({@code EnvelopeException.Reason}); the rest are the access layer's own.
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
  UNAVAILABLE
}
