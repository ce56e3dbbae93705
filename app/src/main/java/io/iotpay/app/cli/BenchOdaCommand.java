package io.iotpay.app.cli;

import io.iotpay.bench.oda.OdaBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code iotpay bench oda}: offline data authentication per suite — the host's chain and signature
 * verification time (median, p99), the ODA records' bytes and modelled air time, and the card's
 * signature time taken from published secure-element figures (docs/oda.md).
 */
@Command(
    name = "oda",
    mixinStandardHelpOptions = true,
    description = {
      "Offline data authentication (fDDA), both suites: host chain + signature verification median/p99,",
      "ODA record bytes and modelled air time, card signature time from published figures (docs/oda.md)."
    })
public final class BenchOdaCommand implements Runnable {
  @Option(names = "--iterations", description = "measured verifications per suite, 1..100000 (default ${DEFAULT-VALUE})")
  int iterations = 2_000;

  @Override
  public void run() {
    OdaBench.main(new String[] {String.valueOf(iterations)});
  }
}
