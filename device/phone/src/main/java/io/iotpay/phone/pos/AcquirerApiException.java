package io.iotpay.phone.pos;

/**
 * The acquirer's API refused a request: its status and its {@code {"error","detail"}} (the API's
 * error contract; docs/merchant-onboarding.md). The acquirer changed nothing.
 */
public final class AcquirerApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String code;

  public AcquirerApiException(int status, String code, String detail) {
    super(status + " " + code + ": " + detail);
    this.status = status;
    this.code = code;
  }

  public int status() {
    return status;
  }

  /** The error code, e.g. {@code MERCHANT_NOT_ACTIVE}, {@code UNKNOWN_TERMINAL}; {@code HTTP_<status>} without one. */
  public String code() {
    return code;
  }
}
