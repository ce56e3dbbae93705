package io.iotpay.app.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.iotpay.demo.transit.TransitReport;
import io.iotpay.demo.transit.TransitScenario;
import io.iotpay.demo.transit.TransitSettings;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.money.Money;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code iotpay demo transit}: the metro transit scenario end to end (issue #4) through the real
 * card applet, gates, operators, switch and issuers on one ledger and audit log. Exits 0 only if
 * money was conserved, every book balances and the audit log verifies; 1 otherwise.
 */
@Command(
    name = "transit",
    mixinStandardHelpOptions = true,
    description = {
      "The metro transit scenario end to end (the default of 'iotpay demo').",
      "Riders (half 3DES cards, half SM4) travel a metro over business days: issuing and personalisation,",
      "enablement and quota pushes through the phone, gates with flash-card tears, nightly journal",
      "collection, T+1 net settlement, TAC-verified clearing, chargebacks and re-presentments, late presentments,",
      "counterfeit cards refused at the gate, deny lists and quota restores. Exit 0 only if",
      "money is conserved, every book balances and the audit log verifies; 1 otherwise."
    })
public final class DemoTransitCommand implements Callable<Integer> {
  @Option(names = "--riders", description = "riders, 1..500 (default: ${DEFAULT-VALUE})")
  int riders = TransitSettings.RIDERS_DEFAULT;

  @Option(names = "--days", description = "business days, 1..30 (default: ${DEFAULT-VALUE})")
  int days = TransitSettings.DAYS_DEFAULT;

  @Option(names = "--seed", description = "random seed (default: ${DEFAULT-VALUE})")
  long seed = TransitSettings.SEED_DEFAULT;

  @Option(names = "--flash-rate", description = "probability a tap is torn, 0..0.9 (default: ${DEFAULT-VALUE})")
  double flashRate = TransitSettings.FLASH_RATE_DEFAULT;

  @Option(names = "--counterfeit-rate", description = "probability a counterfeit of the rider's card is presented before an entry, 0..0.5 (default: ${DEFAULT-VALUE})")
  double counterfeitRate = TransitSettings.COUNTERFEIT_RATE_DEFAULT;

  @Option(names = "--late-rate", description = "probability a rider whose tap tore after the card committed walks"
      + " away for the day; the card's next tap recovers it after its day settled (a late presentment), 0..1 (default: ${DEFAULT-VALUE})")
  double lateRate = TransitSettings.LATE_RATE_DEFAULT;

  @Option(names = "--dispute-rate", description = "probability the operators' back office mis-prices an exit record"
      + " before upload (a stale fare table): the issuer refuses it, charges it back, the operator re-presents it"
      + " corrected, 0..0.5 (default: ${DEFAULT-VALUE})")
  double disputeRate = TransitSettings.DISPUTE_RATE_DEFAULT;

  @Option(names = "--json", description = "print one JSON object on stdout instead of the report")
  boolean json;

  @Option(names = "--suite", description = "suite of the audit log and of the scheme PKI that signs files: INTERNATIONAL or NATIONAL (default: ${DEFAULT-VALUE})")
  String suite = "NATIONAL";

  @Option(names = "--data-dir", description = "where the database, journals and files go; replaced each run (default: ${DEFAULT-VALUE})")
  Path dataDir = Path.of("iotpay-data");

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    TransitSettings settings = new TransitSettings(riders, days, seed, flashRate, counterfeitRate, dataDir,
        AlgorithmSuite.byName(suite), lateRate, disputeRate);
    TransitReport report;
    try (Progress progress = Progress.start("demo transit", -1, new PrintWriter(System.err, true))) {
      report = TransitScenario.run(settings, progress.stages());
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
  static void print(PrintWriter out, TransitReport r, Path dataDir) {
    out.printf("iotpay demo transit: %d riders, %d days, seed %d, flash rate %.2f (database %s)%n", r.riders(),
        r.days(), r.seed(), r.flashRate(), dataDir.resolve("iotpay.db"));
    out.printf("  enabled %d of %d; taps in %d, out %d; refused %s%n", r.enabled(), r.riders(), r.tapsIn(),
        r.tapsOut(), r.refusals());
    out.printf("  fares on the cards %s; in the journals %s; cleared %s%n", cny(r.faresOnCardsMinor()),
        cny(r.faresMinor()), cny(r.clearedMinor()));
    out.printf("  issuers debited riders %s (ledger says %s) + arrears %s; operators settled %s%n",
        cny(r.issuerDebitedMinor()), cny(r.riderDebitsInLedgerMinor()), cny(r.arrearsMinor()),
        cny(r.operatorSettledMinor()));
    out.printf("  quota restores %d; deny-listed cards %d; clearing refusals %d; switch rejections %d%n",
        r.quotaRestores(), r.denyListed(), r.clearingRefusals(), r.switchRejections());
    out.printf("  flash cards: %d taps torn, %d after the card committed, %d recovered (%s)%n", r.flashInjected(),
        r.flashTornAfterCommit(), r.flashRecovered(), r.recoveredMatchesTorn() ? "the same transactions" : "MISMATCH");
    out.printf("  counterfeit cards: %d presented, %d refused at the gate%n", r.counterfeitPresented(),
        r.counterfeitRefused());
    out.printf("  in flight %s %s%n", cny(r.inFlightMinor()), new TreeMap<>(r.inFlight()));
    out.printf("  recovered copies: %d refused by the switch as duplicates (%s on the operators' receivable),"
        + " %d of the other operator's, %d of a settled day%n", r.switchRejections(),
        cny(r.operatorRefusedDuplicatesMinor()), r.foreignRecoveredCopies(), r.lateRecoveredCopies());
    TransitReport.Disputes d = r.disputes();
    out.printf("  disputes: %d records mis-priced by a back office (+%s); %d chargebacks (%s), %d re-presented"
        + " corrected (%s), %d second re-presentment refused, %s kept charged back; %d late presentments (%s)%n",
        d.misPriced(), cny(d.misPricedExcessMinor()), d.chargebacks(), cny(d.chargebacksMinor()), d.representments(),
        cny(d.representmentsMinor()), d.representmentsRefused(), cny(d.chargebacksKeptMinor()), d.latePresentments(),
        cny(d.latePresentedMinor()));
    out.printf("  events %s%n", new TreeMap<>(r.events()));
    for (Map.Entry<String, Boolean> check : new TreeMap<>(r.checks()).entrySet()) {
      out.printf("  check %-42s %s%n", check.getKey(), check.getValue() ? "holds" : "FAILS");
    }
    out.printf("  every book balances: %s; money conserved: %s; audit verify: %s (%d leaves)%n",
        yes(r.booksBalanced()), yes(r.conserved()), r.auditDetail(), r.auditLeaves());
    r.notes().forEach(note -> out.printf("  note: %s%n", note));
    out.printf("  check it yourself: ./iotpay audit verify --db %s --public-key %s%n", dataDir.resolve("iotpay.db"),
        dataDir.resolve("audit-public-key.pem"));
  }

  private static String cny(long minor) {
    return Money.ofMinor(minor, CurrencyUnit.CNY).toString();
  }

  private static String yes(boolean value) {
    return value ? "yes" : "NO";
  }
}
