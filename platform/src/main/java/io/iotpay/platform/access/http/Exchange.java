package io.iotpay.platform.access.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.iotpay.foundation.InvalidInputException;
import io.iotpay.platform.decision.IdempotencyKey;
import io.iotpay.platform.identity.DeviceId;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;

/** Reading one request and writing its answer: bounded bodies, typed path parameters, JSON out. */
final class Exchange {
  /** Longest counter in a path: a long has at most 19 digits. */
  private static final int COUNTER_DIGITS_MAX = 19;

  private Exchange() {}

  /**
   * The whole body, at most {@code bytesMax} bytes. A declared length over the bound is refused before
   * reading; an undeclared (chunked) body is read up to one byte past the bound and then refused.
   *
   * @throws ApiException 413 {@code code} when the body is larger than {@code bytesMax}
   */
  static byte[] body(Context ctx, int bytesMax, String code) {
    long declared = ctx.req().getContentLengthLong();
    if (declared > bytesMax) {
      throw new ApiException(413, code, "body of " + declared + " bytes; at most " + bytesMax);
    }
    try (InputStream in = ctx.req().getInputStream()) {
      byte[] body = in.readNBytes(bytesMax + 1);
      if (body.length > bytesMax) {
        throw new ApiException(413, code, "body larger than " + bytesMax + " bytes");
      }
      return body;
    } catch (IOException e) {
      throw ApiException.badRequest("the body could not be read: " + e.getClass().getSimpleName());
    }
  }

  /** @throws ApiException 400 when the path's device id is malformed */
  static DeviceId deviceId(String text) {
    try {
      return DeviceId.of(text);
    } catch (InvalidInputException e) {
      throw ApiException.badRequest(e.getMessage());
    }
  }

  /** The idempotency key in {@code /v1/payments/{device}/{counter}}. @throws ApiException 400 when malformed */
  static IdempotencyKey paymentKey(Context ctx) {
    DeviceId device = deviceId(ctx.pathParam("device"));
    String counter = ctx.pathParam("counter");
    if (counter.isEmpty() || counter.length() > COUNTER_DIGITS_MAX || !counter.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw ApiException.badRequest("counter '" + clip(counter) + "' is not 1.." + COUNTER_DIGITS_MAX + " decimal digits");
    }
    try {
      return new IdempotencyKey(device, Long.parseLong(counter));
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("counter " + counter + " is larger than " + Long.MAX_VALUE);
    }
  }

  static void json(Context ctx, int status, JsonNode body) {
    try {
      ctx.status(status).contentType("application/json").result(Views.JSON.writeValueAsBytes(body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a response cannot be written as JSON", e);
    }
  }

  static void error(Context ctx, ApiException error) {
    json(ctx, error.status(), Views.error(error.code(), error.detail()));
  }

  static String clip(String text) {
    return text.length() <= 64 ? text : text.substring(0, 64) + "…";
  }
}
