package io.iotpay.platform.state.archfixtures;

import java.sql.Connection;

/** Violates on purpose (device state keeps no records): ArchitectureRulesBiteTest expects the rule to fail on it. */
public final class StateUsingJdbc {
  Connection used;

  private StateUsingJdbc() {}
}
