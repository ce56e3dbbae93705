package io.iotpay.acquirer.pos.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;

/** Reading one request (content type, bounded body) and writing its JSON answer. */
final class Exchange {
  private Exchange() {}

  /**
   * The whole JSON body, at most {@code bytesMax} bytes.
   *
   * @throws ApiException 415 {@code UNSUPPORTED_MEDIA_TYPE} unless the content type is
   *     {@code application/json} (with no charset or {@code charset=utf-8}); 413 {@code TOO_LARGE}
   *     when the body is larger than {@code bytesMax}
   */
  static byte[] jsonBody(Context ctx, int bytesMax) {
    requireJson(ctx.header("Content-Type"));
    long declared = ctx.req().getContentLengthLong();
    if (declared > bytesMax) {
      throw new ApiException(413, "TOO_LARGE", "body of " + declared + " bytes; at most " + bytesMax);
    }
    try (InputStream in = ctx.req().getInputStream()) {
      byte[] body = in.readNBytes(bytesMax + 1);
      if (body.length > bytesMax) {
        throw new ApiException(413, "TOO_LARGE", "body larger than " + bytesMax + " bytes");
      }
      return body;
    } catch (IOException e) {
      throw ApiException.badRequest("the body could not be read");
    }
  }

  static void requireJson(String contentType) {
    if (contentType == null) {
      throw new ApiException(415, "UNSUPPORTED_MEDIA_TYPE", "Content-Type must be application/json");
    }
    String[] parts = contentType.split(";", -1);
    boolean json = parts[0].strip().equalsIgnoreCase("application/json");
    for (int i = 1; i < parts.length && json; i++) {
      String parameter = parts[i].strip().toLowerCase(Locale.ROOT).replace("\"", "");
      json = parameter.equals("charset=utf-8") || parameter.isEmpty();
    }
    if (!json || parts.length > 3) {
      throw new ApiException(415, "UNSUPPORTED_MEDIA_TYPE", "Content-Type must be application/json (UTF-8)");
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

  /** Client text made safe to echo in a detail: at most 64 characters, controls as '?'. */
  static String clip(String text) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < text.length() && out.length() < 64; i++) {
      char c = text.charAt(i);
      out.append(Character.isISOControl(c) || Character.isSurrogate(c) || c > 0x7E ? '?' : c);
    }
    return text.length() > 64 ? out + "…" : out.toString();
  }
}
