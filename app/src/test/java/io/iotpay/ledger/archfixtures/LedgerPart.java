package io.iotpay.ledger.archfixtures;

/** A class in this module's packages, for other modules' fixtures to depend on (ArchitectureRulesBiteTest). */
public final class LedgerPart {
  private LedgerPart() {}
}
