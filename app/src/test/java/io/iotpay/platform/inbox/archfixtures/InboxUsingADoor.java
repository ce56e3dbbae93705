package io.iotpay.platform.inbox.archfixtures;

import io.iotpay.platform.access.mqtt.MqttTopics;

/** Violates on purpose (doors use the inbox, never the other way): ArchitectureRulesBiteTest expects the rule to fail on it. */
public final class InboxUsingADoor {
  MqttTopics used;

  private InboxUsingADoor() {}
}
