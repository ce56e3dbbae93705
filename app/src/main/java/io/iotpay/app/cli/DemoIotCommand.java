package io.iotpay.app.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.iotpay.app.iot.IotDemo;
import io.iotpay.app.iot.IotReport;
import io.iotpay.app.iot.IotSettings;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.money.Money;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code iotpay demo iot}: the IoT payment scenario (issue #5) — washing machines, car head units and
 * smart speakers of both suites paying on their own through the platform, with injected attacks.
 * Exits 0 only if every attack was blocked, every book balances and the audit log verifies.
 */
@Command(
    name = "iot",
    mixinStandardHelpOptions = true,
    description = {
      "Devices that pay on their own: washing machines re-order detergent, car head units pay fuel and",
      "parking, smart speakers pay utility bills; both suites; duplicates, clones, replays, tampering and",
      "other attacks injected. Exit 0 only if every attack was blocked, every book balances and the audit",
      "log verifies; 1 otherwise."
    })
public final class DemoIotCommand implements Callable<Integer> {
  @Option(names = "--devices", description = "simulated devices, 3..5000 (default: ${DEFAULT-VALUE})")
  int devices = 30;

  @Option(names = "--hours", description = "simulated hours, 1..744 (default: ${DEFAULT-VALUE})")
  int hours = 24;

  @Option(names = "--seed", description = "random seed (default: ${DEFAULT-VALUE})")
  long seed = 2026;

  @Option(names = "--attack-rate", description = "probability of an attack per simulated hour, 0..1 (default: ${DEFAULT-VALUE})")
  double attackRate = 0.8;

  @Option(names = "--duplicate-rate", description = "probability a message is delivered twice, 0..0.9 (default: ${DEFAULT-VALUE})")
  double duplicateRate = 0.1;

  @Option(names = "--transport", description = "network (MQTT, CoAP/DTLS and HTTP on loopback) or in-process (default: ${DEFAULT-VALUE})")
  String transport = "network";

  @Option(names = "--json", description = "print one JSON object on stdout instead of the report")
  boolean json;

  @Option(names = "--suite", description = "audit log suite: INTERNATIONAL or NATIONAL (default: ${DEFAULT-VALUE})")
  String suite = "NATIONAL";

  @Option(names = "--data-dir", description = "where the database goes; its IoT files are replaced each run (default: ${DEFAULT-VALUE})")
  Path dataDir = Path.of("iotpay-data");

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (!transport.equals("network") && !transport.equals("in-process")) {
      throw new io.iotpay.foundation.InvalidInputException("--transport " + transport + " is not network or in-process");
    }
    IotSettings settings = new IotSettings(devices, hours, seed, attackRate, duplicateRate, dataDir, AlgorithmSuite.byName(suite),
        transport.equals("network"));
    IotReport report;
    try (Progress progress = Progress.start("demo iot", -1, new PrintWriter(System.err, true))) {
      report = IotDemo.run(settings, progress.stages());
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

  static void print(PrintWriter out, IotReport r, Path dataDir) {
    out.printf("iotpay demo iot: %d devices, %d hours, seed %d, transport %s (database %s)%n", r.devices(), r.hours(), r.seed(),
        r.transport(), dataDir.resolve("iotpay-iot.db"));
    out.printf("  messages %d, events %d; payments approved %d, declined %d, confirmations asked %d%n", r.messages(), r.events(),
        r.paymentsApproved(), r.paymentsDeclined(), r.confirmationsRequested());
    out.printf("  captured %d, voided %d, still held %d; users spent %s%n", r.captured(), r.voided(), r.heldAtEnd(),
        Money.ofMinor(r.spentMinor(), CurrencyUnit.CNY));
    out.printf("  duplicates suppressed %d (answered again, paid once)%n", r.duplicatesSuppressed());
    out.printf("  device messages %d, signed on a chip %d%n", r.chips().deviceMessages(), r.chips().signedOnChip());
    out.printf("  attacks injected %d, blocked %d by the platform's records %s %s%n", r.attacksInjected(), r.attacksBlocked(),
        r.blockedByRecord(), new java.util.TreeMap<>(r.attacksByKind()));
    out.printf("  refusals by reason %s%n", r.refusals());
    out.printf("  every book balances: %s; audit verify: %s (%d leaves)%n", r.booksBalanced() ? "yes" : "NO", r.auditDetail(), r.auditLeaves());
    out.printf("  check it yourself: ./iotpay audit verify --db %s --public-key %s%n", dataDir.resolve("iotpay-iot.db"),
        dataDir.resolve("iot-audit-public-key.pem"));
  }
}
