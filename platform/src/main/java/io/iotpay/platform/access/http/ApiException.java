package io.iotpay.platform.access.http;

/**
 * A request the HTTP API refuses, carrying what goes on the wire: the status and the body
 * {@code {"error":"<code>","detail":"<detail>"}}. Thrown by handlers, turned into the response by
 * {@code PlatformHttpApi}; nothing was changed by a request that ends in one.
 */
public final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String code;

  public ApiException(int status, String code, String detail) {
    super(detail);
    this.status = status;
    this.code = code;
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  public String detail() {
    return getMessage();
  }

  public static ApiException badRequest(String detail) {
    return new ApiException(400, "BAD_REQUEST", detail);
  }

  public static ApiException unauthenticated(String detail) {
    return new ApiException(401, "UNAUTHENTICATED", detail);
  }

  public static ApiException forbidden(String detail) {
    return new ApiException(403, "FORBIDDEN", detail);
  }

  public static ApiException notFound(String code, String detail) {
    return new ApiException(404, code, detail);
  }

  public static ApiException conflict(String code, String detail) {
    return new ApiException(409, code, detail);
  }

  public static ApiException tooLarge(String detail) {
    return new ApiException(413, "TOO_LARGE", detail);
  }
}
