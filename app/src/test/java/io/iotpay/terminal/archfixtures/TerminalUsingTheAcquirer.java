package io.iotpay.terminal.archfixtures;

import io.iotpay.acquirer.archfixtures.AcquirerPart;

/** Violates on purpose (devices never use a payment party): ArchitectureRulesBiteTest expects the rule to fail on it. */
public final class TerminalUsingTheAcquirer {
  AcquirerPart used;

  private TerminalUsingTheAcquirer() {}
}
