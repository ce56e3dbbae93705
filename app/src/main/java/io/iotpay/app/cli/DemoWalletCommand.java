package io.iotpay.app.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.iotpay.demo.wallet.WalletReport;
import io.iotpay.demo.wallet.WalletScenario;
import io.iotpay.demo.wallet.WalletSettings;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code iotpay demo wallet}: the offline wallet with its online account (issue 17), graded by the
 * parties' records and the cards. Exits 0 only if the books balance, the audit log verifies and
 * value is conserved; 1 otherwise.
 */
@Command(
    name = "wallet",
    mixinStandardHelpOptions = true,
    description = {
      "The offline wallet with an online account: wallet cards of both suites (jCardSim) buy",
      "offline at canteens, buses and shops (a PSAM per POS), run short and split (the POS",
      "pushes the card-signed online part to the issuer as agent), load, with POSes offline",
      "for hours or killed, torn taps and failed online parts; every day each POS uploads its",
      "signed day file, the issuer clears it against the shadow accounts and publishes a signed",
      "list that the next tap writes to the card. Exit 0 only if books balance, the audit log",
      "verifies and value is conserved; 1 otherwise."
    })
public final class DemoWalletCommand implements Callable<Integer> {
  @Option(names = "--cards", description = "cardholders, suites alternating, 2..200 (default: ${DEFAULT-VALUE})")
  int cards = WalletSettings.CARDS_DEFAULT;

  @Option(names = "--pos", description = "POS locations (canteen, bus, shop in turn; one POS per suite each), 1..30 (default: ${DEFAULT-VALUE})")
  int pos = WalletSettings.POS_DEFAULT;

  @Option(names = "--days", description = "business days, 1..10 (default: ${DEFAULT-VALUE})")
  int days = WalletSettings.DAYS_DEFAULT;

  @Option(names = "--seed", description = "random seed (default: ${DEFAULT-VALUE})")
  long seed = WalletSettings.SEED_DEFAULT;

  @Option(names = "--json", description = "print one JSON object on stdout instead of the report")
  boolean json;

  @Option(names = "--data-dir", description = "the run's files go to <data-dir>/wallet, replaced each run (default: ${DEFAULT-VALUE})")
  Path dataDir = Path.of("iotpay-data");

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    WalletSettings settings;
    try {
      settings = new WalletSettings(cards, pos, days, seed, dataDir);
    } catch (IllegalArgumentException e) {
      spec.commandLine().getErr().println("iotpay: " + e.getMessage());
      return 2;
    }
    WalletReport report = WalletScenario.run(settings, System.err);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(new ObjectMapper().writeValueAsString(report.toJson()));
    } else {
      out.printf("iotpay demo wallet: %d cards, %d POSes, %d days, seed %d (records in %s)%n", report.cards(),
          report.pos(), report.days(), report.seed(), dataDir.resolve("wallet"));
      for (Map.Entry<String, Object> e : report.toJson().entrySet()) {
        out.printf("  %-24s %s%n", e.getKey(), e.getValue());
      }
    }
    out.flush();
    return report.ok() ? 0 : 1;
  }
}
