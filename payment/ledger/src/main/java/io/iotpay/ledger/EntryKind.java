package io.iotpay.ledger;

/**
 * What a stored ledger entry did. The {@code code} is what the store and the canonical encoding
 * hold; codes are never reused.
 */
public enum EntryKind {
  SINGLE_PHASE(1),
  PENDING(2),
  POST_PENDING(3),
  VOID_PENDING(4),
  /** The ledger released an unresolved hold when its timeout passed on the business clock. */
  EXPIRE_PENDING(5);

  private final int code;

  EntryKind(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  /** @throws LedgerInputException for an unknown code (a corrupt or newer store) */
  public static EntryKind ofCode(int code) {
    for (EntryKind kind : values()) {
      if (kind.code == code) {
        return kind;
      }
    }
    throw new LedgerInputException("unknown ledger entry kind code " + code);
  }

  static EntryKind of(TransferKind kind) {
    return switch (kind) {
      case SINGLE_PHASE -> SINGLE_PHASE;
      case PENDING -> PENDING;
      case POST_PENDING -> POST_PENDING;
      case VOID_PENDING -> VOID_PENDING;
    };
  }
}
