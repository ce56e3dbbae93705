package io.iotpay.app.cli.audit;

import io.iotpay.ledger.audit.AuditInputException;
import java.io.IOException;
import java.io.PrintWriter;
import java.sql.SQLException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Base of the audit subcommands: stdout for answers, stderr for messages, and unreadable files or
 * databases reported as refused input (exit 2) naming what could not be read.
 */
abstract class AuditSubcommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public final Integer call() {
    try {
      return execute();
    } catch (IOException e) {
      throw new AuditInputException("cannot read or write " + e.getMessage() + " (" + e.getClass().getSimpleName() + ")", e);
    } catch (SQLException e) {
      throw new AuditInputException("the database refused: " + e.getMessage(), e);
    }
  }

  abstract int execute() throws IOException, SQLException;

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }
}
