package io.iotpay.switching.archfixtures;

/** A class in this module's packages, for other modules' fixtures to depend on (ArchitectureRulesBiteTest). */
public final class SwitchPart {
  private SwitchPart() {}
}
