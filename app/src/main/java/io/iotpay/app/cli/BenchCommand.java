package io.iotpay.app.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code iotpay bench …}: the benchmarks. Each prints its figure beside the reference it is compared
 * with in the same run, because this machine is shared and noisy: ratios and medians, not absolutes.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Benchmarks; each prints its figures beside a reference measured in the same run.",
    subcommands = {BenchCryptoCommand.class, BenchLedgerCommand.class, BenchAuditCommand.class, BenchTapCommand.class,
        BenchClearingCommand.class, BenchIotCommand.class, BenchOdaCommand.class, BenchPosTapCommand.class,
        BenchCreditCommand.class, BenchAuthCommand.class, BenchPosCommand.class, BenchConsoleCommand.class,
        BenchWalletCommand.class, BenchFilesCommand.class, BenchSwitchCommand.class})
public final class BenchCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "name a benchmark (see iotpay bench --help)");
  }
}
