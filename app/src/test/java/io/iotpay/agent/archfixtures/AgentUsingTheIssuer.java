package io.iotpay.agent.archfixtures;

import io.iotpay.issuer.archfixtures.IssuerPart;

/** Violates on purpose (devices never use a payment party): ArchitectureRulesBiteTest expects the rule to fail on it. */
public final class AgentUsingTheIssuer {
  IssuerPart used;

  private AgentUsingTheIssuer() {}
}
