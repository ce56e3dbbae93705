package io.iotpay.phone.archfixtures;

import io.iotpay.issuer.archfixtures.IssuerPart;

/** Violates on purpose (devices never use a payment party): ArchitectureRulesBiteTest expects the rule to fail on it. */
public final class PhoneUsingTheIssuer {
  IssuerPart used;

  private PhoneUsingTheIssuer() {}
}
