package io.iotpay.foundation.crypto.oda;

/**
 * Internal: one failed check, thrown from deep inside a format's parser and turned into an
 * {@link OdaResult.Refused} by {@link OdaVerifier}. Never leaves the package; carries no stack trace
 * (it is a result, not an error).
 */
final class Refusal extends Exception {
  private static final long serialVersionUID = 1L;

  final OdaReason reason;

  Refusal(OdaReason reason, String detail) {
    super(detail, null, false, false);
    this.reason = reason;
  }

  OdaResult.Refused toResult() {
    return new OdaResult.Refused(reason, getMessage());
  }
}
