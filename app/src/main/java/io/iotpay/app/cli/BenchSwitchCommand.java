package io.iotpay.app.cli;

import io.iotpay.bench.switching.SwitchBench;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code iotpay bench switch}: the ISO 8583 link against a raw loopback echo, the online switch's
 * relay against the link, and online clearing at the switch against the presentment file parsed
 * alone, all in one run, medians over {@code --runs} (docs/switch-online.md, docs/online-clearing.md,
 * docs/iso8583.md). Progress to stderr, the report (or {@code --json}) to stdout; exit 1 when a
 * request went unanswered or wrongly answered, a pair was not logged or a presentment not accepted.
 */
@Command(
    name = "switch",
    mixinStandardHelpOptions = true,
    description = {
      "Online switch over loopback TCP, MACed links, one process: ISO 8583 link vs raw echo of the same frames,",
      "relay acquirer -> switch -> issuer (logged on SQLite) vs the link, online clearing of a capture per pair vs",
      "the presentment file parsed alone; medians of --runs."
    })
public final class BenchSwitchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--suite", description = "INTERNATIONAL or NATIONAL (default ${DEFAULT-VALUE})")
  AlgorithmSuite suite = AlgorithmSuite.INTERNATIONAL;

  @Option(names = "--requests", description = "authorisations per stage and run, 1..999999 (default ${DEFAULT-VALUE})")
  int requests = SwitchBench.Settings.REQUESTS_DEFAULT;

  @Option(names = "--in-flight", description = "most requests outstanding, 1..4096 (default ${DEFAULT-VALUE})")
  int inFlight = SwitchBench.Settings.IN_FLIGHT_DEFAULT;

  @Option(names = "--runs", description = "timed runs, 1..20; figures are medians (default ${DEFAULT-VALUE})")
  int runs = 3;

  @Option(names = "--dir", description = "work directory kept after the run (default: a temporary one, deleted)")
  Path directory;

  @Option(names = "--json", description = "print one JSON object instead of the report")
  boolean json;

  @Override
  public Integer call() throws IOException {
    return WorkDirBench.run(spec, directory, "switch",
        work -> new SwitchBench.Settings(suite, requests, inFlight, runs, work),
        work -> suite + ", " + requests + " requests, " + inFlight + " in flight, " + runs + " run(s)...", json,
        new SwitchBench()::run,
        new WorkDirBench.Report<>(BenchSwitchCommand::toMap, SwitchBench::format, SwitchBench.Result::consistent));
  }

  static Map<String, Object> toMap(SwitchBench.Result r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("suite", r.suite().name());
    m.put("requests", r.requests());
    m.put("in_flight", r.inFlight());
    m.put("runs", r.runs().size());
    m.put("frame_bytes", r.frameBytes());
    m.put("reference_raw_echo_per_s", Math.round(r.echoPerSecond()));
    m.put("link_per_s", Math.round(r.linkPerSecond()));
    m.put("ratio_link_to_raw_echo", WorkDirBench.ratio(r.linkPerSecond(), r.echoPerSecond()));
    m.put("relay_per_s", Math.round(r.relayPerSecond()));
    m.put("relay_logged_per_s", Math.round(r.perSecond(SwitchBench.Run::relayLoggedNs)));
    m.put("ratio_relay_to_link", WorkDirBench.ratio(r.relayPerSecond(), r.linkPerSecond()));
    m.put("reference_presentment_parse_per_s", Math.round(r.parsePerSecond()));
    m.put("clearing_intake_per_s", Math.round(r.intakePerSecond()));
    m.put("ratio_clearing_to_parse", WorkDirBench.ratio(r.intakePerSecond(), r.parsePerSecond()));
    m.put("issuer_file_per_s", Math.round(r.issuerFilePerSecond()));
    m.put("echoed", r.runs().stream().mapToLong(SwitchBench.Run::echoed).min().orElse(0));
    m.put("link_answered", r.runs().stream().mapToLong(SwitchBench.Run::linkAnswered).min().orElse(0));
    m.put("relay_approved", r.runs().stream().mapToLong(SwitchBench.Run::relayApproved).min().orElse(0));
    m.put("logged", r.runs().stream().mapToLong(SwitchBench.Run::logged).min().orElse(0));
    m.put("presentments_accepted", r.runs().stream().mapToLong(SwitchBench.Run::accepted).min().orElse(0));
    m.put("processors", r.processors());
    m.put("load_average", Math.round(r.loadAverage() * 100) / 100.0);
    m.put("consistent", r.consistent());
    return m;
  }
}
