package io.iotpay.platform.decision.archfixtures;

import com.hivemq.embedded.EmbeddedHiveMQ;

/** Violates on purpose (domain code uses no transport library): ArchitectureRulesBiteTest expects the rule to fail on it. */
public final class DecisionUsingHiveMq {
  EmbeddedHiveMQ used;

  private DecisionUsingHiveMq() {}
}
