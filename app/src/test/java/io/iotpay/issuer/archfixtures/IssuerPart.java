package io.iotpay.issuer.archfixtures;

/** A class in this module's packages, for other modules' fixtures to depend on (ArchitectureRulesBiteTest). */
public final class IssuerPart {
  private IssuerPart() {}
}
