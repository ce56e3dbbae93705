package io.iotpay.ledger.archfixtures;

import io.iotpay.protocol.archfixtures.ProtocolPart;

/** Violates on purpose (the ledger uses only foundation): ArchitectureRulesBiteTest expects the rule to fail on it. */
public final class LedgerUsingProtocol {
  ProtocolPart used;

  private LedgerUsingProtocol() {}
}
