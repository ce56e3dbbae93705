package io.iotpay.platform.archfixtures;

/** A class in this module's packages, for other modules' fixtures to depend on (ArchitectureRulesBiteTest). */
public final class PlatformPart {
  private PlatformPart() {}
}
