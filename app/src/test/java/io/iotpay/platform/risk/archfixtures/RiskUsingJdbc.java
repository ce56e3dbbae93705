package io.iotpay.platform.risk.archfixtures;

import java.sql.Connection;

/** Violates on purpose (risk keeps no records): ArchitectureRulesBiteTest expects the rule to fail on it. */
public final class RiskUsingJdbc {
  Connection used;

  private RiskUsingJdbc() {}
}
