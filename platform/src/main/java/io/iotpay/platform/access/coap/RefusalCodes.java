package io.iotpay.platform.access.coap;

import io.iotpay.protocol.device.RefusalReason;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;

/**
 * The CoAP response code for each refusal, as one table (docs/coap.md repeats it). The reason's name
 * travels as the diagnostic payload, so a device can act on it without parsing text.
 */
final class RefusalCodes {
  private RefusalCodes() {}

  static ResponseCode of(RefusalReason reason) {
    return switch (reason) {
      case MALFORMED, OVERSIZED, BAD_PAYLOAD, DECRYPTION_FAILED, NO_PAYLOAD_KEY -> ResponseCode.BAD_REQUEST;
      case UNKNOWN_DEVICE, BAD_SIGNATURE, SUITE_MISMATCH, DEVICE_SUSPENDED, DEVICE_REVOKED -> ResponseCode.UNAUTHORIZED;
      case CHANNEL_MISMATCH, NOT_AUTHORISED -> ResponseCode.FORBIDDEN;
      case REPLAYED_COUNTER, DUPLICATE_IN_PROGRESS -> ResponseCode.CONFLICT;
      case UNAVAILABLE -> ResponseCode.SERVICE_UNAVAILABLE;
    };
  }
}
