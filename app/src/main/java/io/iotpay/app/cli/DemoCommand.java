package io.iotpay.app.cli;

import io.iotpay.demo.books.BooksWalkthrough;
import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.ledger.audit.Checkpoint;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code iotpay demo}: the main job on embedded defaults. Plain {@code iotpay demo} runs the transit
 * scenario, then the IoT one, the POS one and the wallet one, each with its defaults; the books walk-through is
 * {@code iotpay demo books}. Each exits 0 only if money was conserved across all books and the audit log verifies.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    subcommands = {DemoTransitCommand.class, DemoIotCommand.class, DemoPosCommand.class, DemoWalletCommand.class,
        DemoCommand.Books.class},
    description = {
      "Runs a simulated scenario on embedded defaults (SQLite in iotpay-data/) and prints a report.",
      "Without a subcommand: the metro transit scenario, then the IoT, POS and wallet ones, with their",
      "defaults (see 'demo transit --help', 'demo iot --help', 'demo pos --help', 'demo wallet --help');",
      "options without a",
      "subcommand go to transit;",
      "'demo books': the books walk-through. Exit 0 only if every book balances, money is conserved",
      "and the audit log verifies; 1 otherwise."
    })
public final class DemoCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    // Plain "iotpay demo" is the transit scenario, then the IoT one, the POS one and the wallet one, each with every default.
    int transit = spec.commandLine().getSubcommands().get("transit").execute();
    int iot = spec.commandLine().getSubcommands().get("iot").execute();
    int pos = spec.commandLine().getSubcommands().get("pos").execute();
    int wallet = spec.commandLine().getSubcommands().get("wallet").execute();
    return Math.max(Math.max(transit, iot), Math.max(pos, wallet));
  }

  @Command(
      name = "books",
      mixinStandardHelpOptions = true,
      description = {
        "The books walk-through: card payments through the real ledger and audit log.",
        "Payments between two issuers, a switch and two acquirers, then T+1 net settlement. Exit 0 only if",
        "every book balances, money is conserved and the audit log verifies; 1 otherwise."
      })
  public static final class Books implements Callable<Integer> {
    @Option(names = "--seed", description = "random seed (default: ${DEFAULT-VALUE})")
    long seed = 2026;

    @Option(names = "--payments", description = "authorisations to attempt, 1..100000 (default: ${DEFAULT-VALUE})")
    int payments = 400;

    @Option(names = "--suite", description = "audit log suite: INTERNATIONAL or NATIONAL (default: ${DEFAULT-VALUE})")
    String suite = "NATIONAL";

    @Option(names = "--data-dir", description = "where the demo database goes; replaced each run (default: ${DEFAULT-VALUE})")
    Path dataDir = Path.of("iotpay-data");

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      if (payments < 1 || payments > 100_000) {
        throw new io.iotpay.foundation.InvalidInputException("--payments " + payments + " is outside 1..100000");
      }
      AlgorithmSuite chosen = AlgorithmSuite.byName(suite);
      PrintWriter out = spec.commandLine().getOut();
      BooksWalkthrough.Result result;
      try (Progress progress = Progress.start("demo books", -1, new PrintWriter(System.err, true))) {
        result = BooksWalkthrough.run(dataDir, seed, payments, chosen, progress.stages());
      }
      out.printf("iotpay demo: books walk-through (seed %d, %s suite, database %s)%n", seed, chosen, dataDir.resolve("iotpay.db"));
      out.printf("  payments attempted %d: captured %d, voided %d, left to expire %d, declined %d; retried %d%n",
          result.payments(), result.captured(), result.voided(), result.expired(), result.declined(), result.retries());
      out.printf("  cardholders spent %s; merchants received %s%n", result.spentByCardholders(), result.receivedByMerchants());
      out.printf("  every book balances: %s; money conserved and settled: %s%n", yes(result.booksBalanced()), yes(result.conserved()));
      result.checkpoint().ifPresent(c -> printCheckpoint(out, c));
      out.printf("  audit verify: %s (%d leaves, %d checkpoints)%n",
          result.verification().verified() ? "OK" : "FAILED at " + result.verification().failure().orElseThrow().describe(),
          result.verification().leavesChecked(), result.verification().checkpointsChecked());
      out.printf("  check it yourself: ./iotpay audit verify --db %s --public-key %s%n",
          dataDir.resolve("iotpay.db"), dataDir.resolve("audit-public-key.pem"));
      out.flush();
      return result.ok() ? 0 : 1;
    }

    private static void printCheckpoint(PrintWriter out, Checkpoint checkpoint) {
      out.printf("  latest checkpoint #%d: tree size %d, root %s, key %s, signed %s%n", checkpoint.number(),
          checkpoint.treeSize(), Hex.encode(checkpoint.rootHash()), checkpoint.keyId(),
          Instant.ofEpochMilli(checkpoint.timestampMs()));
    }

    private static String yes(boolean value) {
      return value ? "yes" : "NO";
    }
  }
}
