package io.iotpay.app.cli;

import io.iotpay.app.cli.audit.CheckProofCommand;
import io.iotpay.app.cli.audit.ExportCommand;
import io.iotpay.app.cli.audit.ProveCommand;
import io.iotpay.app.cli.audit.RootCommand;
import io.iotpay.app.cli.audit.VerifyCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code iotpay audit …}: check, export and prove the verifiable audit log. Answers (JSON or hex) go
 * to stdout, messages to stderr. Exit status: 0 when everything holds, 1 when the log or proof does
 * not verify (the first bad entry is named), 2 for input the command refused.
 */
@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    description = "The verifiable audit log: verify, export, tree heads and inclusion proofs.",
    subcommands = {VerifyCommand.class, ExportCommand.class, RootCommand.class, ProveCommand.class, CheckProofCommand.class})
public final class AuditCommand implements Runnable {
  /** The demo's SQLite database, relative to the working directory: the default of every {@code --db}. */
  public static final String DEFAULT_DATABASE = "iotpay-data/iotpay.db";

  /** Exit status when the log or proof does not verify. */
  public static final int EXIT_NOT_VERIFIED = 1;

  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "name an audit command (see iotpay audit --help)");
  }
}
