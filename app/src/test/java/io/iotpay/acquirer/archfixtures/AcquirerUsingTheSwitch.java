package io.iotpay.acquirer.archfixtures;

import io.iotpay.switching.archfixtures.SwitchPart;

/** Violates on purpose (parties meet only through protocol): ArchitectureRulesBiteTest expects the rule to fail on it. */
public final class AcquirerUsingTheSwitch {
  SwitchPart used;

  private AcquirerUsingTheSwitch() {}
}
