package io.iotpay.platform.archfixtures;

import io.iotpay.issuer.archfixtures.IssuerPart;

/** Violates on purpose (the platform reaches the issuer only through protocol): ArchitectureRulesBiteTest expects the rule to fail on it. */
public final class PlatformUsingTheIssuer {
  IssuerPart used;

  private PlatformUsingTheIssuer() {}
}
