package io.iotpay.app.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.iotpay.bench.pos.PhonePosBench;
import io.iotpay.bench.pos.QrBench;
import io.iotpay.foundation.InvalidInputException;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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
      "tap's APDUs, bytes, modelled air and card time, card in field to outcome (target <= 500 ms); then",
      "consumer-presented QR from scan to outcome at 100 payments/s, p50/p99 (target p99 <= 300 ms)."
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

  @Option(names = "--qr-payments", description = "measured consumer-presented QR payments per suite at 100/s, after as many"
      + " of warm-up; 0 skips the QR section (default ${DEFAULT-VALUE})")
  int qrPayments = 1_000;

  /**
   * The sections measured after the phones in the same run: consumer-presented QR from scan to
   * outcome at 100 payments/s (bench.pos.QrBench, target p99 ≤ 300 ms), one per suite.
   */
  List<PhonePosBench.Section> sections() {
    if (qrPayments <= 0) {
      return List.of();
    }
    List<PhonePosBench.Section> sections = new ArrayList<>();
    for (AlgorithmSuite suite : AlgorithmSuite.values()) {
      QrBench.Settings standard = QrBench.Settings.standard(suite);
      QrBench.Settings qr = new QrBench.Settings(suite, standard.ratePerSecond(), Math.min(qrPayments, standard.warmup()),
          qrPayments, standard.tokens(), standard.phones(), standard.referenceOps());
      sections.add(new PhonePosBench.Section() {
        @Override
        public String name() {
          return "qr_cpm_" + suite.name().toLowerCase(Locale.ROOT);
        }

        @Override
        public Map<String, Object> measure(Consumer<String> progress) {
          QrBench.Report r = new QrBench().run(qr, progress);
          Map<String, Object> j = new LinkedHashMap<>();
          j.put("rate_offered_per_second", r.ratePerSecond());
          j.put("payments", r.payments());
          j.put("approved", r.approved());
          j.put("achieved_per_second", r.achievedPerSecond());
          j.put("p50_ms", r.p50Ms());
          j.put("p99_ms", r.p99Ms());
          j.put("max_ms", r.maxMs());
          j.put("through", "PosSdk.chargeConsumerCode");
          j.put("phones", r.phones());
          j.put("waited_for_phone", r.waitedForPhone());
          j.put("attestation_in_span", true);
          j.put("attestation_p50_ms", r.attestationP50Ms());
          j.put("attestation_p99_ms", r.attestationP99Ms());
          j.put("se_p50_ms", r.seP50Ms());
          j.put("se_p99_ms", r.seP99Ms());
          j.put("target_p99_ms", QrBench.TARGET_P99_MS);
          j.put("target_met", r.targetMet());
          j.put("reference_per_second", r.referencePerSecond());
          j.put("ratio_to_reference", r.ratioToReference());
          j.put("books_balanced", r.booksBalanced());
          j.put("held_as_approved", r.heldMinor() == r.expectedHeldMinor());
          return j;
        }
      });
    }
    return sections;
  }

  @Override
  public Integer call() throws Exception {
    if (qrPayments > QrBench.PAYMENTS_MAX) {
      throw new InvalidInputException("bench pos: --qr-payments 0.." + QrBench.PAYMENTS_MAX + " (0 skips the QR sections)");
    }
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
        && r.heldMinor() == r.expectedHeldMinor())
        && extra.values().stream().allMatch(q -> q.get("approved").equals(q.get("payments"))
            && Boolean.TRUE.equals(q.get("books_balanced")) && Boolean.TRUE.equals(q.get("held_as_approved")));
    return ok ? 0 : 1;
  }
}
