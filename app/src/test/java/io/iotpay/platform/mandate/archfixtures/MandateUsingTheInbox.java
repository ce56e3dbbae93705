package io.iotpay.platform.mandate.archfixtures;

import io.iotpay.platform.inbox.DeviceInbox;

/** Violates on purpose (the domain is below the inbox): ArchitectureRulesBiteTest expects the rule to fail on it. */
public final class MandateUsingTheInbox {
  DeviceInbox used;

  private MandateUsingTheInbox() {}
}
