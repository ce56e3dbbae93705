package io.iotpay.platform.operator;

import io.iotpay.platform.access.http.ApiException;
import io.iotpay.platform.access.http.Exchange;
import io.iotpay.platform.decision.IdempotencyKey;
import io.iotpay.platform.identity.DeviceId;
import io.javalin.http.Context;

/** The payment named by a path {@code /v1/payments/{device}/{counter}}. */
final class PaymentKeys {
  /** Longest counter in a path: a long has at most 19 digits. */
  private static final int COUNTER_DIGITS_MAX = 19;

  private PaymentKeys() {}

  /** The idempotency key in {@code /v1/payments/{device}/{counter}}. @throws ApiException 400 when malformed */
  static IdempotencyKey of(Context ctx) {
    DeviceId device = Exchange.deviceId(ctx.pathParam("device"));
    String counter = ctx.pathParam("counter");
    if (counter.isEmpty() || counter.length() > COUNTER_DIGITS_MAX || !counter.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw ApiException.badRequest("counter '" + Exchange.clip(counter) + "' is not 1.." + COUNTER_DIGITS_MAX + " decimal digits");
    }
    try {
      return new IdempotencyKey(device, Long.parseLong(counter));
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("counter " + counter + " is larger than " + Long.MAX_VALUE);
    }
  }

}
