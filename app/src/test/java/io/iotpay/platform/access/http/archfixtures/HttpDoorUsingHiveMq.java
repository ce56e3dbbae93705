package io.iotpay.platform.access.http.archfixtures;

import com.hivemq.embedded.EmbeddedHiveMQ;

/** Violates on purpose (each door uses its own transport library): ArchitectureRulesBiteTest expects the rule to fail on it. */
public final class HttpDoorUsingHiveMq {
  EmbeddedHiveMQ used;

  private HttpDoorUsingHiveMq() {}
}
