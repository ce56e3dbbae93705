package io.iotpay.bench.archfixtures;

import io.iotpay.app.Main;

/** Violates on purpose (benchmarks never use the app): ArchitectureRulesBiteTest expects the rule to fail on it. */
public final class BenchUsingTheApp {
  Main used;

  private BenchUsingTheApp() {}
}
