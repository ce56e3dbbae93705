package io.iotpay.app.cli;

import io.iotpay.app.cli.audit.WitnessAddCommand;
import io.iotpay.app.cli.audit.WitnessInitCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code iotpay witness …}: a witness of the audit log kept in a directory outside the database
 * ({@code docs/witness.md}). Answers (JSON) on stdout, messages on stderr. Exit status: 0 done, 1 the
 * witness refused (nothing changed), 2 refused input.
 */
@Command(
    name = "witness",
    mixinStandardHelpOptions = true,
    description = "A witness of the audit log, outside its database: cosigns checkpoints that extend what it cosigned.",
    subcommands = {WitnessInitCommand.class, WitnessAddCommand.class})
public final class WitnessCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "name a witness command (see iotpay witness --help)");
  }
}
