package io.iotpay.platform.access.http;

import io.iotpay.protocol.device.RefusalReason;

/** The HTTP status of each refusal of a device's envelope, as one table (docs/http-api.md repeats it). */
final class RefusalStatus {
  private RefusalStatus() {}

  /** The HTTP status of each envelope refusal; the code is the reason's name. */
  static int of(RefusalReason reason) {
    return switch (reason) {
      case MALFORMED, DECRYPTION_FAILED, NO_PAYLOAD_KEY, BAD_PAYLOAD -> 400;
      case UNKNOWN_DEVICE, SUITE_MISMATCH, BAD_SIGNATURE -> 401;
      case DEVICE_SUSPENDED, DEVICE_REVOKED, CHANNEL_MISMATCH, NOT_AUTHORISED -> 403;
      case REPLAYED_COUNTER, DUPLICATE_IN_PROGRESS -> 409;
      case OVERSIZED -> 413;
      case UNAVAILABLE -> 503;
    };
  }

}
