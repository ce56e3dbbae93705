package io.iotpay.foundation.archfixtures;

import io.iotpay.ledger.archfixtures.LedgerPart;

/** Violates on purpose (foundation must use nothing of ours): ArchitectureRulesBiteTest expects the rule to fail on it. */
public final class FoundationUsingTheLedger {
  LedgerPart used;

  private FoundationUsingTheLedger() {}
}
