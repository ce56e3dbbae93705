package io.iotpay.platform.operator.archfixtures;

import org.eclipse.californium.core.coap.CoAP;

/** Violates on purpose (the operator API is HTTP; CoAP is a door of its own): ArchitectureRulesBiteTest expects the rule to fail on it. */
public final class OperatorUsingCalifornium {
  CoAP used;

  private OperatorUsingCalifornium() {}
}
