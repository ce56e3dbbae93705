package io.iotpay.app.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.iotpay.demo.pos.PosReport;
import io.iotpay.demo.pos.PosScenario;
import io.iotpay.demo.pos.PosSettings;
import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.money.Money;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code iotpay demo pos}: the four-party online card scheme (issue #15 item 8) in one JVM over
 * loopback TCP, graded by the parties' own records. Exits 0 only if nothing hangs, every book
 * balances, every audit log verifies and money is conserved; 1 otherwise.
 */
@Command(
    name = "pos",
    mixinStandardHelpOptions = true,
    description = {
      "The four-party online card scheme: contactless EMV cards of two issuers",
      "(INTERNATIONAL and NATIONAL) tap at merchants' terminals (POS kernel with fDDA);",
      "terminal -> acquirer -> switch -> issuer over ISO 8583 on loopback TCP, each party",
      "on its own SQLite file in <data-dir>/pos. Seeded faults: lost responses, an issuer",
      "down, late answers, duplicates, declined and blocked cards, scripts, refunds.",
      "Day end, T+1 settlement, merchant payout net of MDR. Defaults (3 merchants,",
      "12 cardholders, 2 days, 48 taps) run in about 30 s. Exit 0 only if nothing hangs,",
      "books balance, audit logs verify and money is conserved; 1 otherwise."
    })
public final class DemoPosCommand implements Callable<Integer> {
  /**
   * The parties' java.util.logging records (one INFO line per message, connection and advice) would
   * bury the progress lines on stderr; warnings still show. Held here so the level is not collected.
   */
  private static final java.util.logging.Logger PARTY_LOGS = java.util.logging.Logger.getLogger("io.iotpay");

  @Option(names = "--merchants", description = "merchants, one terminal each, 1..50 (default: ${DEFAULT-VALUE})")
  int merchants = PosSettings.MERCHANTS_DEFAULT;

  @Option(names = "--days", description = "business days, 1..10 (default: ${DEFAULT-VALUE})")
  int days = PosSettings.DAYS_DEFAULT;

  @Option(names = "--seed", description = "random seed of cards, amounts and faults (default: ${DEFAULT-VALUE})")
  long seed = PosSettings.SEED_DEFAULT;

  @Option(names = "--json", description = "print one JSON object on stdout instead of the report")
  boolean json;

  @Option(names = "--data-dir", description = "the run's files go to <data-dir>/pos, replaced each run (default: ${DEFAULT-VALUE})")
  Path dataDir = Path.of("iotpay-data");

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PARTY_LOGS.setLevel(java.util.logging.Level.WARNING);
    PosReport report;
    try (Progress progress = Progress.start("demo pos", -1, new PrintWriter(System.err, true))) {
      report = PosScenario.run(new PosSettings(merchants, days, seed, dataDir), progress.stages());
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(new ObjectMapper().writeValueAsString(report.toJson()));
    } else {
      print(out, report, dataDir);
    }
    out.flush();
    return report.ok() ? 0 : 1;
  }

  /** The readable report. */
  static void print(PrintWriter out, PosReport r, Path dataDir) {
    out.printf("iotpay demo pos: %d merchants, %d cardholders, %d days, seed %d (records in %s)%n", r.merchants(),
        r.cardholders(), r.days(), r.seed(), dataDir.resolve("pos"));
    out.printf("  transactions %d: approved %d, declined %d, other outcomes %d %s%n", r.transactions(), r.approved(),
        r.declined(), r.otherOutcomes(), r.outcomes());
    out.printf("  onboarding (acquirer's records): %s%n", r.phones().toJson());
    out.printf("  stand-in answers %d, late issuer answers %d, duplicates %d, lost responses %d, advices delivered %d%n",
        r.standIn(), r.lateAnswers(), r.duplicates(), r.lostResponses(), r.advicesDelivered());
    out.printf("  reversals %d, refunds %d, scripts applied on cards %d%n", r.reversals(), r.refunds(),
        r.scriptsApplied());
    out.printf("  cardholders debited %s (+ issuers' stand-in exposure %s)%n", cny(r.cardholdersDebitedMinor()),
        cny(r.standInExposureMinor()));
    out.printf("  merchants paid %s + MDR %s + in flight %s %s%n", cny(r.merchantsPaidMinor()), cny(r.mdrMinor()),
        cny(r.inFlightMinor()), r.inFlight());
    out.printf("  issuers settled %s; acquirer received %s%n", cny(r.settledByIssuersMinor()),
        cny(r.settledToAcquirerMinor()));
    out.printf("  hanging %d %s%n", r.hanging(), r.hangingByKind());
    for (Map.Entry<String, Boolean> check : r.checks().entrySet()) {
      out.printf("  check %-56s %s%n", check.getKey(), check.getValue() ? "holds" : "FAILS");
    }
    out.printf("  every book balances: %s; money conserved: %s; audit verify: %s%n", yes(r.booksBalanced()),
        yes(r.conserved()), r.auditDetail());
    r.notes().forEach(note -> out.printf("  note: %s%n", note));
  }

  private static String cny(long minor) {
    return Money.ofMinor(minor, CurrencyUnit.CNY).toString();
  }

  private static String yes(boolean value) {
    return value ? "yes" : "NO";
  }
}
