package io.iotpay.archfixtures.exit;

/** Violates on purpose (only the app ends the process): ArchitectureRulesBiteTest expects the rule to fail on it. */
public final class CallsSystemExit {
  private CallsSystemExit() {}

  static void stop() {
    System.exit(1);
  }
}
