package io.iotpay.app.cli;

import io.iotpay.bench.files.FilesBench;
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
 * {@code iotpay bench files}: an operator's offline file of R records through the file format
 * (write, integrity pass, decode) and through the switch (intake, settlement with clearing files),
 * each rate beside the same file read raw in the same run, medians over {@code --runs}
 * (docs/clearing-files.md §9). Progress to stderr, the report (or {@code --json}) to stdout; exit 1
 * when a record was not decoded, accepted and settled exactly once or the books do not balance.
 */
@Command(
    name = "files",
    mixinStandardHelpOptions = true,
    description = {
      "An offline file of R tap-out records: write, integrity pass, decode; the switch's intake and settlement",
      "with clearing files on SQLite; each beside the file read raw (lines split, nothing decoded) in the same run."
    })
public final class BenchFilesCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--records", description = "records in the file, 1..5000000 (default ${DEFAULT-VALUE})")
  int records = FilesBench.Settings.RECORDS_DEFAULT;

  @Option(names = "--runs", description = "timed runs, 1..20; figures are medians (default ${DEFAULT-VALUE})")
  int runs = 3;

  @Option(names = "--dir", description = "work directory kept after the run (default: a temporary one, deleted)")
  Path directory;

  @Option(names = "--json", description = "print one JSON object instead of the report")
  boolean json;

  @Override
  public Integer call() throws IOException {
    return WorkDirBench.run(spec, directory, "files", work -> new FilesBench.Settings(records, runs, work),
        work -> records + " records, " + runs + " run(s) in " + work + " ...", json, new FilesBench()::run,
        new WorkDirBench.Report<>(BenchFilesCommand::toMap, FilesBench::format, FilesBench.Result::consistent));
  }

  static Map<String, Object> toMap(FilesBench.Result r) {
    double raw = r.rawReadPerSecond();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("records", r.records());
    m.put("runs", r.runs().size());
    m.put("file_bytes", r.runs().get(0).fileBytes());
    m.put("reference_raw_read_records_per_s", Math.round(raw));
    m.put("write_records_per_s", Math.round(r.perSecond(FilesBench.Run::writeNs)));
    m.put("integrity_pass_records_per_s", Math.round(r.perSecond(FilesBench.Run::integrityNs)));
    m.put("decode_records_per_s", Math.round(r.decodePerSecond()));
    m.put("switch_intake_records_per_s", Math.round(r.intakePerSecond()));
    m.put("switch_settlement_records_per_s", Math.round(r.perSecond(FilesBench.Run::settleNs)));
    m.put("write_intake_settlement_records_per_s", Math.round(r.switchEndToEndPerSecond()));
    m.put("ratio_decode_to_reference", WorkDirBench.ratio(r.decodePerSecond(), raw));
    m.put("ratio_intake_to_reference", WorkDirBench.ratio(r.intakePerSecond(), raw));
    m.put("ratio_to_reference", WorkDirBench.ratio(r.switchEndToEndPerSecond(), raw));
    m.put("decoded", r.runs().stream().mapToLong(FilesBench.Run::decoded).min().orElse(0));
    m.put("accepted", r.runs().stream().mapToLong(FilesBench.Run::accepted).min().orElse(0));
    m.put("settled", r.runs().stream().mapToLong(FilesBench.Run::settled).min().orElse(0));
    m.put("books_balanced", r.runs().stream().allMatch(FilesBench.Run::booksBalanced));
    m.put("processors", r.processors());
    m.put("load_average", Math.round(r.loadAverage() * 100) / 100.0);
    m.put("consistent", r.consistent());
    return m;
  }
}
