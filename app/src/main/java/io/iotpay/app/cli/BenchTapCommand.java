package io.iotpay.app.cli;

import io.iotpay.bench.tap.TapBench;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code iotpay bench tap}: per tap-in and tap-out of the metro gate kernel, the command APDUs,
 * bytes each way, modelled ISO 14443-A air time and the kernel's CPU time (median, p99), on both
 * suites against the real applet in jCardSim. Progress to stderr, the report to stdout. Meant to be
 * hung under an {@code iotpay bench} parent command.
 */
@Command(
    name = "tap",
    mixinStandardHelpOptions = true,
    description = {
      "Metro gate tap: command APDUs, bytes each way, modelled ISO 14443-A air time at 106 kbit/s,",
      "terminal CPU median/p99, both suites; targets tap-out <= 6 APDUs, <= 40 ms air, CPU p99 <= 2 ms."
    })
public final class BenchTapCommand implements Runnable {
  @Spec CommandSpec spec;

  @Option(names = "--journeys", description = "measured journeys per suite, 1..20000 (default ${DEFAULT-VALUE})")
  int journeys = TapBench.Settings.quick().journeys();

  @Option(names = "--warmup", description = "unmeasured warm-up journeys per suite (default ${DEFAULT-VALUE})")
  int warmup = TapBench.Settings.quick().warmupJourneys();

  @Override
  public void run() {
    TapBench.Settings settings = new TapBench.Settings(warmup, journeys);
    PrintWriter err = spec.commandLine().getErr();
    err.println("iotpay bench tap: " + settings.journeys() + " journeys per suite...");
    err.flush();
    List<TapBench.Result> results = new TapBench().run(settings, line -> {
      err.println(line);
      err.flush();
    });
    PrintWriter out = spec.commandLine().getOut();
    out.print(TapBench.format(results, settings));
    out.flush();
  }
}
