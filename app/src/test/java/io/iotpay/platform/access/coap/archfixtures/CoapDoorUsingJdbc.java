package io.iotpay.platform.access.coap.archfixtures;

import java.sql.Connection;

/** Violates on purpose (a door keeps no records): ArchitectureRulesBiteTest expects the rule to fail on it. */
public final class CoapDoorUsingJdbc {
  Connection used;

  private CoapDoorUsingJdbc() {}
}
