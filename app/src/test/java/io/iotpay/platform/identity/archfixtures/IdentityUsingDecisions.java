package io.iotpay.platform.identity.archfixtures;

import io.iotpay.platform.decision.IdempotencyKey;

/** Violates on purpose (identity is below decisions): ArchitectureRulesBiteTest expects the rule to fail on it. */
public final class IdentityUsingDecisions {
  IdempotencyKey used;

  private IdentityUsingDecisions() {}
}
