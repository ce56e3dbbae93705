package io.iotpay.platform.operator;

import io.iotpay.foundation.InvalidInputException;
import io.iotpay.platform.access.http.ApiException;
import io.iotpay.platform.decision.DecisionInputException;
import io.iotpay.platform.decision.DecisionStoreException;
import io.iotpay.platform.identity.IdentityException;
import io.iotpay.platform.mandate.MandateException;
import io.iotpay.platform.mandate.MandateStoreException;
import io.iotpay.platform.state.StateStoreException;
import java.sql.SQLException;

/**
 * What each refusal of the services becomes on the wire, as tables (exhaustive switches) rather than
 * scattered {@code if}s. Endpoints check what they can first (unknown → 404, not yours → 403) so that
 * a service exception left over means what the table says.
 */
final class ErrorTable {
  private ErrorTable() {}

  /** The HTTP status of each identity refusal; the code is the reason's name. */
  static int status(IdentityException.Reason reason) {
    return switch (reason) {
      case MALFORMED, CSR_INVALID, CERTIFICATE_INVALID, UNREGISTERED_MANUFACTURER -> 400;
      case UNKNOWN_DEVICE -> 404;
      case ALREADY_REGISTERED, CERTIFICATE_MISMATCH, SUSPENDED, REVOKED, ILLEGAL_TRANSITION -> 409;
    };
  }

  /**
   * The response for an exception a handler let through.
   *
   * @return the error to send; {@code INTERNAL} (500) only for a programming error, whose detail says nothing
   */
  static ApiException of(Throwable failure) {
    return switch (failure) {
      case ApiException api -> api;
      case IdentityException identity -> new ApiException(status(identity.reason()), identity.reason().name(), identity.getMessage());
      case DecisionStoreException store -> unavailable(store);
      case MandateStoreException store -> unavailable(store);
      case StateStoreException store -> unavailable(store);
      // Endpoints looked up the mandate or payment first: what the service still refuses is a state conflict.
      case DecisionInputException decision -> ApiException.conflict("CONFLICT", decision.getMessage());
      case MandateException mandate -> ApiException.badRequest(mandate.getMessage());
      case InvalidInputException input -> ApiException.badRequest(input.getMessage());
      default -> storeFailure(failure)
          ? unavailable(failure)
          : new ApiException(500, "INTERNAL", "internal error; the operator's log has the details");
    };
  }

  private static ApiException unavailable(Throwable failure) {
    return new ApiException(503, "UNAVAILABLE", "the platform's store failed; retry later");
  }

  /** True when a database error is among the causes (stores wrap SQLException in IllegalStateException). */
  private static boolean storeFailure(Throwable failure) {
    int depth = 0;
    for (Throwable cause = failure; cause != null && depth < 16; cause = cause.getCause(), depth++) {
      if (cause instanceof SQLException) {
        return true;
      }
    }
    return false;
  }
}
