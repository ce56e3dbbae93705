package io.iotpay.platform.keys.archfixtures;

import io.javalin.Javalin;

/** Violates on purpose (domain code uses no transport library): ArchitectureRulesBiteTest expects the rule to fail on it. */
public final class KeysUsingJavalin {
  Javalin used;

  private KeysUsingJavalin() {}
}
