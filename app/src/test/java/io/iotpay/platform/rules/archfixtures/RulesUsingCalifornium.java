package io.iotpay.platform.rules.archfixtures;

import org.eclipse.californium.core.coap.CoAP;

/** Violates on purpose (domain code uses no transport library): ArchitectureRulesBiteTest expects the rule to fail on it. */
public final class RulesUsingCalifornium {
  CoAP used;

  private RulesUsingCalifornium() {}
}
