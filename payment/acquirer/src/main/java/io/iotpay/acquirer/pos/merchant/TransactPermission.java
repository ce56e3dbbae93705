package io.iotpay.acquirer.pos.merchant;

/** Whether a terminal may transact now: {@link Allowed} or {@link Refused} with a typed reason. */
public sealed interface TransactPermission {
  /** The terminal and its merchant are in good standing. */
  record Allowed(TerminalId terminalId, MerchantId merchantId) implements TransactPermission {}

  /** The payment must be refused before it reaches the scheme. @param detail one line for the log */
  record Refused(RefusalReason reason, String detail) implements TransactPermission {}

  /** Why a terminal may not transact. */
  enum RefusalReason {
    UNKNOWN_TERMINAL,
    TERMINAL_BLOCKED,
    MERCHANT_SUSPENDED,
    /** The merchant is neither activated nor suspended (cannot happen for an enrolled terminal unless the store was edited). */
    MERCHANT_NOT_ACTIVE
  }

  default boolean allowed() {
    return this instanceof Allowed;
  }
}
