package io.iotpay.platform.console;

/**
 * {@code audit verify} on demand: the whole log checked against its key, with every row cross-checked
 * by whoever wires the console (the app knows the ledger's and the decisions' checks).
 */
@FunctionalInterface
public interface AuditCheck {
  /**
   * The verification's outcome.
   *
   * @param verified whether every leaf, checkpoint and cross-check held
   * @param leaves leaves checked
   * @param detail one line for the page (never key material)
   */
  record Result(boolean verified, long leaves, String detail) {}

  /** Runs the verification; may take a while on a large log. Never null. */
  Result verify() throws Exception;
}
