package io.iotpay.platform.access.mqtt.archfixtures;

import io.iotpay.platform.decision.IdempotencyKey;

/** Violates on purpose (a door hands envelopes to the inbox and decides nothing): ArchitectureRulesBiteTest expects the rule to fail on it. */
public final class MqttDoorUsingDecisions {
  IdempotencyKey used;

  private MqttDoorUsingDecisions() {}
}
