package io.iotpay.platform.access.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iotpay.foundation.InvalidInputException;
import io.iotpay.platform.identity.DeviceId;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reading one request and writing its answer, for every HTTP door (devices here, operators and users
 * in {@code platform.operator}): bounded bodies, typed path parameters, JSON out, errors in one shape.
 */
public final class Exchange {
  /** The one JSON mapper of the HTTP API (thread-safe once configured). */
  public static final ObjectMapper JSON = new ObjectMapper();

  private Exchange() {}

  /**
   * The whole body, at most {@code bytesMax} bytes. A declared length over the bound is refused before
   * reading; an undeclared (chunked) body is read up to one byte past the bound and then refused.
   *
   * @throws ApiException 413 {@code code} when the body is larger than {@code bytesMax}
   */
  public static byte[] body(Context ctx, int bytesMax, String code) {
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
  public static DeviceId deviceId(String text) {
    try {
      return DeviceId.of(text);
    } catch (InvalidInputException e) {
      throw ApiException.badRequest(e.getMessage());
    }
  }

  public static void json(Context ctx, int status, JsonNode body) {
    try {
      ctx.status(status).contentType("application/json").result(JSON.writeValueAsBytes(body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a response cannot be written as JSON", e);
    }
  }

  public static void error(Context ctx, ApiException error) {
    ObjectNode node = JSON.createObjectNode();
    node.put("error", error.code());
    node.put("detail", error.detail());
    json(ctx, error.status(), node);
  }

  public static String clip(String text) {
    return text.length() <= 64 ? text : text.substring(0, 64) + "…";
  }
}
