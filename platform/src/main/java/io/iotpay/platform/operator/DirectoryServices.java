package io.iotpay.platform.operator;

import java.util.Objects;

/**
 * What {@code iotpay serve} adds to the HTTP API for a node run from nothing but the API: users and
 * their tokens, accounts (opened and funded in the ledger, with their holders), the PSK a device
 * receives at registration, and the audit log where the operator's clone verdicts are recorded. Every component is never null.
 */
public record DirectoryServices(StoredUsers users, StoredAccountOwners holders, AccountLedger ledger, DevicePsks psks,
    OperatorAudit audit) {
  public DirectoryServices {
    Objects.requireNonNull(users, "users");
    Objects.requireNonNull(holders, "holders");
    Objects.requireNonNull(ledger, "ledger");
    Objects.requireNonNull(psks, "psks");
    Objects.requireNonNull(audit, "audit");
  }
}
