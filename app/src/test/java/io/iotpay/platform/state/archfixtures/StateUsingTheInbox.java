package io.iotpay.platform.state.archfixtures;

import io.iotpay.platform.inbox.DeviceInbox;

/** Violates on purpose (device state is below the inbox): ArchitectureRulesBiteTest expects the rule to fail on it. */
public final class StateUsingTheInbox {
  DeviceInbox used;

  private StateUsingTheInbox() {}
}
