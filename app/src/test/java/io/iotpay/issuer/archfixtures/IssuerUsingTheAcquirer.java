package io.iotpay.issuer.archfixtures;

import io.iotpay.acquirer.archfixtures.AcquirerPart;

/** Violates on purpose (parties meet only through protocol): ArchitectureRulesBiteTest expects the rule to fail on it. */
public final class IssuerUsingTheAcquirer {
  AcquirerPart used;

  private IssuerUsingTheAcquirer() {}
}
