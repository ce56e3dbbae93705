package io.iotpay.console.archfixtures;

import io.iotpay.platform.archfixtures.PlatformPart;

/** Violates on purpose (the console kit uses nothing of ours): ArchitectureRulesBiteTest expects the rule to fail on it. */
public final class ConsoleKitUsingThePlatform {
  PlatformPart used;

  private ConsoleKitUsingThePlatform() {}
}
