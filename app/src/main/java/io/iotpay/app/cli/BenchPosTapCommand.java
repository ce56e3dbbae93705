package io.iotpay.app.cli;

import io.iotpay.bench.pos.PosTapBench;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code iotpay bench pos-tap}: one online contactless tap at the POS kernel against the real EMV
 * applet in jCardSim, with and without fDDA, both suites: command APDUs, bytes each way, modelled air
 * and card time, the kernel's CPU and the time in the field with an assumed network round trip
 * (docs/pos-kernel.md).
 */
@Command(
    name = "pos-tap",
    mixinStandardHelpOptions = true,
    description = {
      "Contactless POS tap (online, with and without fDDA), both suites: APDUs, bytes, modelled air and",
      "card time, kernel CPU, time in the field with an assumed network round trip; target <= 8 APDUs, <= 500 ms."
    })
public final class BenchPosTapCommand implements Runnable {
  @Spec CommandSpec spec;

  @Option(names = "--taps", description = "measured taps per row (default ${DEFAULT-VALUE})")
  int taps = PosTapBench.Settings.quick().taps();

  @Option(names = "--warmup", description = "unmeasured warm-up taps per row (default ${DEFAULT-VALUE})")
  int warmup = PosTapBench.Settings.quick().warmupTaps();

  @Option(names = "--rtt-ms", description = "assumed network round trip to the issuer, ms (default ${DEFAULT-VALUE})")
  double rttMs = PosTapBench.Settings.quick().networkRttMs();

  @Override
  public void run() {
    PosTapBench.Settings settings = new PosTapBench.Settings(warmup, taps, rttMs);
    PrintWriter out = spec.commandLine().getOut();
    out.print(PosTapBench.format(new PosTapBench().run(settings), settings));
    out.flush();
  }
}
