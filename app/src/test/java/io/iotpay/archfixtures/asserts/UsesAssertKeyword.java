package io.iotpay.archfixtures.asserts;

/**
 * Violates on purpose (the assert keyword is off unless -ea, so checks vanish in production):
 * ArchitectureRulesBiteTest expects the rule to fail on it.
 */
public final class UsesAssertKeyword {
  private UsesAssertKeyword() {}

  static int positive(int value) {
    assert value > 0 : "value must be positive";
    return value;
  }
}
