package io.iotpay.platform.operator;

import io.iotpay.platform.access.http.ApiException;
import io.iotpay.platform.access.http.Exchange;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.ErrorHandler;

/**
 * Jetty's own refusals (a malformed request line, a {@code %00} or {@code /../} path, a URI or
 * headers too large) in the API's error shape instead of Jetty's HTML page. The detail is fixed text
 * per status: Jetty's message could echo the request or name a Java class.
 *
 * <p>Here, not in {@code access.http}, because only this package may use Jetty itself. Acquirer
 * onboarding has the same class for its own API: the two modules share no module with Jetty on its
 * class path, so each keeps its ~50 lines rather than a new shared module for them.
 */
final class JsonErrorHandler extends ErrorHandler {
  @Override
  protected void generateAcceptableResponse(
      Request baseRequest, HttpServletRequest request, HttpServletResponse response, int code, String message) throws IOException {
    baseRequest.setHandled(true);
    response.setContentType(Exchange.JSON_TYPE);
    response.getOutputStream().write(body(code));
  }

  @Override
  public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
    fields.put(new HttpField(HttpHeader.CONTENT_TYPE, Exchange.JSON_TYPE));
    return ByteBuffer.wrap(body(status));
  }

  /** The stable error code of an HTTP status the server or the framework answers by itself. */
  static String code(int status) {
    return switch (status) {
      case 400 -> "BAD_REQUEST";
      case 401 -> "UNAUTHENTICATED";
      case 403 -> "FORBIDDEN";
      case 404 -> "NOT_FOUND";
      case 405 -> "METHOD_NOT_ALLOWED";
      case 408 -> "REQUEST_TIMEOUT";
      case 413 -> "TOO_LARGE";
      case 414 -> "URI_TOO_LONG";
      case 415 -> "UNSUPPORTED_MEDIA_TYPE";
      case 431 -> "HEADERS_TOO_LARGE";
      case 501 -> "NOT_IMPLEMENTED";
      case 505 -> "HTTP_VERSION_NOT_SUPPORTED";
      default -> status >= 500 ? "INTERNAL" : "HTTP_" + status;
    };
  }

  /** The fixed detail of such a refusal: nothing from the request, nothing from the server's internals. */
  static String detail(int status) {
    return status >= 500 && status != 505
        ? "internal error; the operator's log has the details"
        : "the request was refused by the HTTP server (" + status + ")";
  }

  private static byte[] body(int status) {
    return Exchange.errorBytes(new ApiException(status, code(status), detail(status)));
  }
}
