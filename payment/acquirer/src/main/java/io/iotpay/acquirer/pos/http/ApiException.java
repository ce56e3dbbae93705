package io.iotpay.acquirer.pos.http;

/**
 * A refused request with what goes on the wire: the status and {@code {"error":"<code>","detail":"…"}}.
 * Nothing was changed by a request that ends in one.
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
}
