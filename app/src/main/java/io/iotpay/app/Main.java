package io.iotpay.app;

import io.iotpay.app.cli.AuditCommand;
import io.iotpay.app.cli.BenchCommand;
import io.iotpay.app.cli.CryptoCommand;
import io.iotpay.app.cli.DeviceCommand;
import io.iotpay.app.cli.DemoCommand;
import io.iotpay.app.cli.DeviceEnvelopeCommand;
import io.iotpay.app.cli.PartyCommand;
import io.iotpay.app.cli.QrCommand;
import io.iotpay.app.cli.ServeCommand;
import io.iotpay.app.cli.TlvCommand;
import io.iotpay.app.cli.WitnessCommand;
import io.iotpay.foundation.InvalidInputException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code iotpay} command: entry point of the launcher. */
@Command(
    name = "iotpay",
    mixinStandardHelpOptions = true,
    version = "iotpay 0.1.0-SNAPSHOT",
    description = "Payments for things that pay: IoT devices, offline cards and phones, metro gates.",
    subcommands = {CommandLine.HelpCommand.class, DemoCommand.class, CryptoCommand.class, TlvCommand.class, AuditCommand.class, BenchCommand.class,
        ServeCommand.class, PartyCommand.class, QrCommand.class, WitnessCommand.class, DeviceCommand.class, DeviceEnvelopeCommand.class})
public final class Main implements Runnable {
  /** Exit status for input the command refused (bad hex, unknown algorithm, wrong key length). */
  public static final int EXIT_BAD_INPUT = 2;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns the exit status; used by tests too. */
  public static int run(String... args) {
    // jCardSim's RandomData is fixed-seed unless told otherwise: simulated cards would share keys and nonces.
    if (System.getProperty("com.licel.jcardsim.randomdata.secure") == null) {
      System.setProperty("com.licel.jcardsim.randomdata.secure", "1");
    }
    CommandLine commandLine = new CommandLine(new Main());
    args = demoDefaultsToTransit(args);
    commandLine.setExecutionExceptionHandler(
        (exception, line, parseResult) -> {
          if (exception instanceof InvalidInputException) {
            line.getErr().println("iotpay: " + exception.getMessage());
            return EXIT_BAD_INPUT;
          }
          throw exception;
        });
    // A usage mistake is bad input too: one line on stderr and exit 2, not a page of help.
    commandLine.setParameterExceptionHandler(
        (exception, arguments) -> {
          exception.getCommandLine().getErr().println("iotpay: " + exception.getMessage().replace('\n', ' '));
          return EXIT_BAD_INPUT;
        });
    return commandLine.execute(args);
  }

  /**
   * Plain {@code iotpay demo [options]} is {@code iotpay demo transit [options]}: the main job takes the
   * transit scenario's options directly. Help and the named scenarios keep their meaning.
   */
  static String[] demoDefaultsToTransit(String[] args) {
    if (args.length < 2 || !args[0].equals("demo") || !args[1].startsWith("-")
        || java.util.Set.of("-h", "--help", "-V", "--version").contains(args[1])) {
      return args;
    }
    String[] rewritten = new String[args.length + 1];
    rewritten[0] = "demo";
    rewritten[1] = "transit";
    System.arraycopy(args, 1, rewritten, 2, args.length - 1);
    return rewritten;
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }
}
