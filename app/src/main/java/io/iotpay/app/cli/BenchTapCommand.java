package io.iotpay.app.cli;

import io.iotpay.bench.tap.TapBench;
import io.iotpay.foundation.card.CardGoneException;
import io.iotpay.foundation.card.PcscReaders;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code iotpay bench tap}: per tap-in and tap-out of the metro gate kernel, the command APDUs,
 * bytes each way, modelled ISO 14443-A air time and the kernel's CPU time (median, p99), on both
 * suites against the real applet in jCardSim. Progress to stderr, the report to stdout. Meant to be
 * hung under an {@code iotpay bench} parent command.
 *
 * <p>{@code --reader NAME} taps the card in that PC/SC reader instead (the bench's card of {@code
 * --suite}, {@link TapBench#benchCard}); an unknown name is refused with the readers present listed
 * (exit 2), a machine without PC/SC or without the card in the reader ends with exit 3.
 */
@Command(
    name = "tap",
    mixinStandardHelpOptions = true,
    description = {
      "Metro gate tap: command APDUs, bytes each way, modelled ISO 14443-A air time at 106 kbit/s,",
      "terminal CPU median/p99, both suites; targets tap-out <= 6 APDUs, <= 40 ms air, CPU p99 <= 2 ms.",
      "With --reader NAME: the card in that PC/SC reader (the bench's card of --suite)."
    })
public final class BenchTapCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--journeys", description = "measured journeys per suite, 1..20000 (default ${DEFAULT-VALUE})")
  int journeys = TapBench.Settings.quick().journeys();

  @Option(names = "--warmup", description = "unmeasured warm-up journeys per suite (default ${DEFAULT-VALUE})")
  int warmup = TapBench.Settings.quick().warmupJourneys();

  @Option(names = "--reader", paramLabel = "NAME",
      description = "tap the card in this PC/SC reader (as pcscd names it) instead of jCardSim")
  String reader;

  @Option(names = "--suite", description = "with --reader: the suite of the card in the reader (default ${DEFAULT-VALUE})")
  AlgorithmSuite suite = AlgorithmSuite.INTERNATIONAL;

  @Override
  public Integer call() {
    TapBench.Settings settings = new TapBench.Settings(warmup, journeys);
    if (reader != null) {
      return throughReader(settings);
    }
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
    return 0;
  }

  private int throughReader(TapBench.Settings settings) {
    PrintWriter err = spec.commandLine().getErr();
    err.println("iotpay bench tap: " + settings.journeys() + " journeys with the " + suite + " card in reader '" + reader
        + "'...");
    err.flush();
    TapBench.Result result;
    try (PcscReaders.Connection connection = PcscReaders.open(reader, BenchPosTapCommand.CARD_WAIT_MS)) {
      result = new TapBench().runThroughReader(settings, suite, connection.channel());
    } catch (CardGoneException e) {
      err.println("iotpay: " + e.getMessage());
      err.flush();
      return BenchPosTapCommand.EXIT_NO_READER;
    }
    PrintWriter out = spec.commandLine().getOut();
    out.print(TapBench.format(List.of(result), settings, reader));
    out.flush();
    return 0;
  }
}
