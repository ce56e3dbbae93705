package io.iotpay.ledger.audit;

import io.iotpay.foundation.InvalidInputException;

/**
 * Audit input that was refused: a leaf index or tree size outside the log, a malformed proof,
 * export file or public key. The message says what was wrong and where (file, line, field).
 */
public class AuditInputException extends InvalidInputException {
  private static final long serialVersionUID = 1L;

  public AuditInputException(String message) {
    super(message);
  }

  public AuditInputException(String message, Throwable cause) {
    super(message, cause);
  }
}
