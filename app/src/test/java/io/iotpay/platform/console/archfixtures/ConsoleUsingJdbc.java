package io.iotpay.platform.console.archfixtures;

import java.sql.Connection;

/** Violates on purpose (the console reads through the platform's services, never SQL): ArchitectureRulesBiteTest expects the rule to fail on it. */
public final class ConsoleUsingJdbc {
  Connection used;

  private ConsoleUsingJdbc() {}
}
