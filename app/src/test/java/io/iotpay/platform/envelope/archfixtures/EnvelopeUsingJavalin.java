package io.iotpay.platform.envelope.archfixtures;

import io.javalin.http.Context;

/** Violates on purpose (domain code uses no transport library): ArchitectureRulesBiteTest expects the rule to fail on it. */
public final class EnvelopeUsingJavalin {
  Context used;

  private EnvelopeUsingJavalin() {}
}
