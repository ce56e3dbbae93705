package io.iotpay.protocol.archfixtures;

import io.iotpay.platform.archfixtures.PlatformPart;

/** Violates on purpose (protocol uses only foundation): ArchitectureRulesBiteTest expects the rule to fail on it. */
public final class ProtocolUsingThePlatform {
  PlatformPart used;

  private ProtocolUsingThePlatform() {}
}
