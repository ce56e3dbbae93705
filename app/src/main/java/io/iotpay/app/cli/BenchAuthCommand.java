package io.iotpay.app.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.iotpay.app.party.ProcessAuthBench;
import io.iotpay.bench.auth.AuthBench;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code iotpay bench auth}: card authorisations per second end to end through the real switch and
 * issuer host, with p50/p99, the one-core reference (ARQC verify + ARPC) and the ratio, and CPU per
 * authorisation (docs/bench-auth.md). Progress to stderr, the report (or {@code --json}) to stdout;
 * exit 1 when an authorisation failed or the books do not balance.
 */
@Command(
    name = "auth",
    mixinStandardHelpOptions = true,
    description = {
      "Card authorisations/s end to end: load generator (terminals) -> acquirer -> switch -> issuer -> ledger hold ->",
      "0110, MACed ISO 8583 over loopback TCP, the three parties as child JVMs (--in-process: switch and issuer in",
      "this JVM, the load generator acting as acquirer); p50/p99, one-core ARQC+ARPC reference and ratio, CPU per",
      "authorisation per process; target >= 3000/s at p99 <= 20 ms on 2 cores."
    })
public final class BenchAuthCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--suite", description = "INTERNATIONAL or NATIONAL (default ${DEFAULT-VALUE})")
  AlgorithmSuite suite = AlgorithmSuite.INTERNATIONAL;

  @Option(names = "--authorisations", description = "measured authorisations (default ${DEFAULT-VALUE})")
  int authorisations = AuthBench.Settings.quick(AlgorithmSuite.INTERNATIONAL).authorisations();

  @Option(names = "--warmup", description = "unmeasured authorisations first (default ${DEFAULT-VALUE})")
  int warmup = AuthBench.Settings.quick(AlgorithmSuite.INTERNATIONAL).warmup();

  @Option(names = "--cards", description = "soft cards, each with its own account (default ${DEFAULT-VALUE})")
  int cards = AuthBench.Settings.quick(AlgorithmSuite.INTERNATIONAL).cards();

  @Option(names = "--connections", description = "load-generator connections to the switch (default ${DEFAULT-VALUE})")
  int connections = AuthBench.Settings.quick(AlgorithmSuite.INTERNATIONAL).connections();

  @Option(names = "--in-flight", description = "most requests in flight (default ${DEFAULT-VALUE})")
  int inFlight = AuthBench.Settings.quick(AlgorithmSuite.INTERNATIONAL).inFlight();

  @Option(names = "--reference-ops", description = "ARQC verifications + ARPCs timed for the reference (default ${DEFAULT-VALUE})")
  int referenceOps = AuthBench.Settings.quick(AlgorithmSuite.INTERNATIONAL).referenceOps();

  @Option(names = "--json", description = "print one JSON object instead of the report")
  boolean json;

  @Option(names = "--in-process", description = "the earlier one-JVM form: switch and issuer in this JVM, the load"
      + " generator acting as the acquirer (no acquirer host)")
  boolean inProcess;

  @Override
  public Integer call() throws Exception {
    AuthBench.Settings settings = new AuthBench.Settings(suite, cards, warmup, authorisations, connections, inFlight,
        referenceOps);
    PrintWriter err = spec.commandLine().getErr();
    err.println("iotpay bench auth: " + suite + ", " + authorisations + " authorisations...");
    err.flush();
    java.util.function.Consumer<String> progress = line -> {
      err.println(line);
      err.flush();
    };
    AuthBench.Report r = inProcess ? new AuthBench().run(settings, progress)
        : new ProcessAuthBench().run(settings, progress);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(new ObjectMapper().writeValueAsString(toMap(r)));
    } else {
      out.print(AuthBench.format(r));
    }
    out.flush();
    return r.failed() == 0 && r.booksBalanced() && r.heldMinor() == r.expectedHeldMinor() ? 0 : 1;
  }

  static Map<String, Object> toMap(AuthBench.Report r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("suite", r.suite().name());
    m.put("processes", r.perProcess().size());
    m.put("cards", r.cards());
    m.put("connections", r.connections());
    m.put("in_flight", r.inFlight());
    m.put("authorisations", r.authorisations());
    m.put("approved", r.approved());
    m.put("failed", r.failed());
    m.put("seconds", round(r.seconds()));
    m.put("authorisations_per_s", round(r.perSecond()));
    m.put("p50_ms", round(r.p50Ms()));
    m.put("p99_ms", round(r.p99Ms()));
    m.put("max_ms", round(r.maxMs()));
    m.put("reference_arqc_verify_arpc_per_s_one_core", round(r.referencePerSecond()));
    m.put("ratio_to_reference", Math.round(r.ratioToReference() * 10_000) / 10_000.0);
    m.put("cpu_ms_per_authorisation_all_parties", Math.round(r.cpuMsPerAuthorisation() * 1_000) / 1_000.0);
    Map<String, Object> perProcess = new LinkedHashMap<>();
    r.perProcess().forEach(p -> perProcess.put(p.name(), Math.round(p.cpuMsPerAuthorisation() * 1_000) / 1_000.0));
    m.put("cpu_ms_per_authorisation_by_process", perProcess);
    m.put("processors", r.processors());
    m.put("load_average", round(r.loadAverage()));
    m.put("held_minor", r.heldMinor());
    m.put("expected_held_minor", r.expectedHeldMinor());
    m.put("books_balanced", r.booksBalanced());
    m.put("target_authorisations_per_s", AuthBench.TARGET_PER_SECOND);
    m.put("target_p99_ms", AuthBench.TARGET_P99_MS);
    m.put("target_met", r.targetMet());
    return m;
  }

  private static double round(double value) {
    return Math.round(value * 100) / 100.0;
  }
}
