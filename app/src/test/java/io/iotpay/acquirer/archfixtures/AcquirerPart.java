package io.iotpay.acquirer.archfixtures;

/** A class in this module's packages, for other modules' fixtures to depend on (ArchitectureRulesBiteTest). */
public final class AcquirerPart {
  private AcquirerPart() {}
}
