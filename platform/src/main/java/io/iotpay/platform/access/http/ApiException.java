package io.iotpay.platform.access.http;

/**
 * A request the HTTP API refuses, carrying what goes on the wire: the status and the body
 * {@code {"error":"<code>","detail":"<detail>"}}. Thrown by handlers, turned into the response by
 * {@link PlatformHttpApi}; nothing was changed by a request that ends in one.
 */
final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String code;

  ApiException(int status, String code, String detail) {
    super(detail);
    this.status = status;
    this.code = code;
  }

  int status() {
    return status;
  }

  String code() {
    return code;
  }

  String detail() {
    return getMessage();
  }

  static ApiException badRequest(String detail) {
    return new ApiException(400, "BAD_REQUEST", detail);
  }

  static ApiException unauthenticated(String detail) {
    return new ApiException(401, "UNAUTHENTICATED", detail);
  }

  static ApiException forbidden(String detail) {
    return new ApiException(403, "FORBIDDEN", detail);
  }

  static ApiException notFound(String code, String detail) {
    return new ApiException(404, code, detail);
  }

  static ApiException conflict(String code, String detail) {
    return new ApiException(409, code, detail);
  }

  static ApiException tooLarge(String detail) {
    return new ApiException(413, "TOO_LARGE", detail);
  }
}
