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
import java.util.Locale;

/**
 * Reading one request and writing its answer, for every HTTP door (devices here, operators and users
 * in {@code platform.operator}): bounded bodies, typed path parameters, JSON out, errors in one shape.
 */
public final class Exchange {
  /** The one JSON mapper of the HTTP API (thread-safe once configured). */
  public static final ObjectMapper JSON = new ObjectMapper();
  /** The content type of every JSON answer, and the one accepted for JSON request bodies. */
  public static final String JSON_TYPE = "application/json";
  /** Longest piece of client text echoed in a detail, characters. */
  private static final int ECHO_CHARS_MAX = 64;

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
      throw ApiException.badRequest("the body could not be read");
    }
  }

  /**
   * The whole JSON body, at most {@code bytesMax} bytes, after its declared type.
   *
   * @throws ApiException 415 {@code UNSUPPORTED_MEDIA_TYPE} unless the content type is
   *     {@code application/json} with no charset or {@code charset=utf-8}; 413 {@code TOO_LARGE} when
   *     the body is larger than {@code bytesMax}
   */
  public static byte[] jsonBody(Context ctx, int bytesMax) {
    requireJson(ctx.header("Content-Type"));
    return body(ctx, bytesMax, "TOO_LARGE");
  }

  /**
   * Accepts {@code application/json}, optionally with {@code charset=utf-8} (RFC 8259 §8.1: JSON
   * exchanged between systems is UTF-8); anything else (text/plain, XML, UTF-16, none) is refused
   * rather than guessed.
   *
   * @throws ApiException 415 {@code UNSUPPORTED_MEDIA_TYPE}
   */
  public static void requireJson(String contentType) {
    if (contentType == null) {
      throw new ApiException(415, "UNSUPPORTED_MEDIA_TYPE", "Content-Type must be application/json");
    }
    String[] parts = contentType.split(";", -1);
    boolean json = parts.length <= 3 && parts[0].strip().equalsIgnoreCase(JSON_TYPE);
    for (int i = 1; i < parts.length && json; i++) {
      String parameter = parts[i].strip().toLowerCase(Locale.ROOT).replace("\"", "");
      json = parameter.equals("charset=utf-8") || parameter.isEmpty();
    }
    if (!json) {
      throw new ApiException(415, "UNSUPPORTED_MEDIA_TYPE", "Content-Type must be application/json (UTF-8)");
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
      ctx.status(status).contentType(JSON_TYPE).result(JSON.writeValueAsBytes(body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a response cannot be written as JSON", e);
    }
  }

  public static void error(Context ctx, ApiException error) {
    json(ctx, error.status(), errorNode(error));
  }

  /** The error body {@code {"error":"<code>","detail":"<detail>"}} as UTF-8 bytes. */
  public static byte[] errorBytes(ApiException error) {
    try {
      return JSON.writeValueAsBytes(errorNode(error));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("an error cannot be written as JSON", e);
    }
  }

  private static ObjectNode errorNode(ApiException error) {
    ObjectNode node = JSON.createObjectNode();
    node.put("error", error.code());
    node.put("detail", error.detail());
    return node;
  }

  /**
   * Client text made safe to echo in a detail or a log line: at most {@value #ECHO_CHARS_MAX}
   * characters, anything but printable ASCII as '?' (so no control, newline or bidi character
   * travels back).
   */
  public static String clip(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(Math.min(text.length(), ECHO_CHARS_MAX));
    for (int i = 0; i < text.length() && out.length() < ECHO_CHARS_MAX; i++) {
      char c = text.charAt(i);
      out.append(c < 0x20 || c > 0x7E ? '?' : c);
    }
    return text.length() > ECHO_CHARS_MAX ? out + "…" : out.toString();
  }
}
