package io.iotpay.switching.archfixtures;

import io.iotpay.issuer.archfixtures.IssuerPart;

/** Violates on purpose (parties meet only through protocol): ArchitectureRulesBiteTest expects the rule to fail on it. */
public final class SwitchUsingTheIssuer {
  IssuerPart used;

  private SwitchUsingTheIssuer() {}
}
