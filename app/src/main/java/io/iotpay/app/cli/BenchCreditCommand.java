package io.iotpay.app.cli;

import io.iotpay.bench.credit.CreditBench;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code iotpay bench credit}: the nightly credit scoring of generated wallet cardholders, end to end
 * on SQLite and in memory, several runs each, with medians and CPU time (docs/credit.md). Exits 1 when
 * a run did not rate every cardholder exactly once or runs disagree.
 */
@Command(
    name = "credit",
    mixinStandardHelpOptions = true,
    description = {
      "Nightly credit scoring of generated wallet cardholders on SQLite and in memory: medians, cardholders/s,",
      "CPU seconds; target 1,000,000 cardholders <= 30 s on this machine (docs/credit.md)."
    })
public final class BenchCreditCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--cardholders", description = "cardholders, 1..20000000 (default ${DEFAULT-VALUE})")
  int cardholders = CreditBench.Settings.CARDHOLDERS_DEFAULT;

  @Option(names = "--runs", description = "timed runs per store, 1..20 (default ${DEFAULT-VALUE})")
  int runs = 3;

  @Option(names = "--threads", description = "scoring workers (default: available processors)")
  int threads = Runtime.getRuntime().availableProcessors();

  @Option(names = "--seed", description = "population seed (default ${DEFAULT-VALUE})")
  long seed = 20261206L;

  @Option(names = "--dir", description = "work directory kept after the run (default: a temporary one, deleted)")
  Path directory;

  @Override
  public Integer call() throws IOException {
    PrintWriter err = spec.commandLine().getErr();
    boolean temporary = directory == null;
    Path work = temporary ? Files.createTempDirectory("iotpay-bench-credit") : Files.createDirectories(directory);
    try {
      CreditBench.Result result = new CreditBench().run(new CreditBench.Settings(cardholders, runs, threads, seed, work),
          line -> {
            err.println(line);
            err.flush();
          });
      PrintWriter out = spec.commandLine().getOut();
      out.print(CreditBench.format(result));
      out.flush();
      return result.consistent() ? 0 : 1;
    } finally {
      if (temporary) {
        BenchClearingCommand.delete(work);
      }
    }
  }
}
