package io.iotpay.acquirer.pos.http;

import io.iotpay.acquirer.pos.merchant.OnboardingException;
import io.iotpay.acquirer.pos.merchant.OnboardingStoreException;
import io.iotpay.acquirer.pos.risk.NonceLimitException;
import io.iotpay.acquirer.pos.risk.RiskStoreException;

/** What each refusal becomes on the wire: the status of each onboarding reason (the code is the reason's name). */
final class ErrorTable {
  private ErrorTable() {}

  static int status(OnboardingException.Reason reason) {
    return switch (reason) {
      case INVALID_FIELD, CSR_INVALID -> 400;
      case UNKNOWN_MERCHANT, UNKNOWN_TERMINAL -> 404;
      case ILLEGAL_TRANSITION, REQUEST_ID_REUSED, MERCHANT_NOT_ACTIVE, TERMINAL_LIMIT -> 409;
    };
  }

  /**
   * The response for an exception a handler let through.
   *
   * @return {@code INTERNAL} (500) only for a programming error, with a detail that says nothing
   */
  static ApiException of(Throwable failure) {
    return switch (failure) {
      case ApiException api -> api;
      case OnboardingException onboarding -> new ApiException(status(onboarding.reason()), onboarding.reason().name(), onboarding.getMessage());
      case OnboardingStoreException store -> new ApiException(503, "UNAVAILABLE", "the acquirer's store failed; retry later");
      case NonceLimitException limit -> new ApiException(429, "RATE_LIMITED", limit.getMessage());
      case RiskStoreException risk -> new ApiException(503, "UNAVAILABLE", "the risk store failed; nothing was approved; retry later");
      default -> new ApiException(500, "INTERNAL", "internal error; the operator's log has the details");
    };
  }
}
