package io.iotpay.app.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.iotpay.bench.pos.PhonePosBench;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code iotpay bench pos}: phone payments by tap end to end through SDK → acquirer → switch →
 * issuer, both suites, with {@code bench auth}'s figure of the same run beside it and the tap's
 * APDUs, bytes and modelled time in the field (docs/bench-pos.md). Progress to stderr, the report
 * (or {@code --json}) to stdout; exit 1 when a payment was not approved, the issuer's books do not
 * balance or it holds other than what was approved.
 */
@Command(
    name = "pos",
    mixinStandardHelpOptions = true,
    description = {
      "Phone payments/s by tap end to end: PosSdk (SE key, attestation over HTTP) -> POS kernel + EMV card ->",
      "acquirer (risk check) -> switch -> issuer, both suites, p50/p99, bench auth of the same run beside it; the",
      "tap's APDUs, bytes, modelled air and card time, card in field to outcome (target <= 500 ms)."
    })
public final class BenchPosCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--phones", description = "phones paying at once (default ${DEFAULT-VALUE})")
  int phones = PhonePosBench.Settings.quick().phones();

  @Option(names = "--payments", description = "measured payments per suite (default ${DEFAULT-VALUE})")
  int payments = PhonePosBench.Settings.quick().payments();

  @Option(names = "--warmup", description = "unmeasured payments first (default ${DEFAULT-VALUE})")
  int warmup = PhonePosBench.Settings.quick().warmup();

  @Option(names = "--rtt-ms", description = "assumed wide-area round trip to the issuer, ms (default ${DEFAULT-VALUE})")
  double rttMs = PhonePosBench.Settings.quick().networkRttMs();

  @Option(names = "--authorisations", description = "measured authorisations of the same-run bench auth (default ${DEFAULT-VALUE})")
  int authorisations = PhonePosBench.Settings.quick().authorisations();

  @Option(names = "--json", description = "print one JSON object instead of the report")
  boolean json;

  /**
   * The sections measured after the phones in the same run. The consumer-presented QR figure
   * (bench.pos.QrBench, scan to outcome at 100 payments/s) is to be listed here as one.
   */
  static List<PhonePosBench.Section> sections() {
    return List.of();
  }

  @Override
  public Integer call() throws Exception {
    PhonePosBench.Settings settings = new PhonePosBench.Settings(phones, warmup, payments, rttMs, authorisations);
    PrintWriter err = spec.commandLine().getErr();
    Consumer<String> progress = line -> {
      err.println(line);
      err.flush();
    };
    List<PhonePosBench.Result> results = new PhonePosBench().run(settings, progress);
    Map<String, Map<String, Object>> extra = new LinkedHashMap<>();
    for (PhonePosBench.Section section : sections()) {
      extra.put(section.name(), section.measure(progress));
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      Map<String, Object> j = PhonePosBench.json(results, settings);
      j.put("sections", extra);
      out.println(new ObjectMapper().writeValueAsString(j));
    } else {
      out.print(PhonePosBench.format(results, settings));
      extra.forEach((name, figures) -> out.println(name + ": " + figures));
    }
    out.flush();
    boolean ok = results.stream().allMatch(r -> r.approved() == r.payments() && r.booksBalanced()
        && r.heldMinor() == r.expectedHeldMinor());
    return ok ? 0 : 1;
  }
}
