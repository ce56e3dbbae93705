package io.iotpay.app.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.iotpay.bench.BenchFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import picocli.CommandLine.Model.CommandSpec;

/**
 * What {@code bench files} and {@code bench switch} share around their measurement: a work directory
 * (a temporary one, deleted afterwards, unless {@code --dir} named one), progress to stderr, the text
 * report or one JSON object to stdout, and exit 1 when the bench's own checks failed.
 */
final class WorkDirBench {
  /** The measurement itself on its checked settings, reporting progress lines. */
  interface Body<S, R> {
    R run(S settings, Consumer<String> progress);
  }

  /** How a result is printed and judged. */
  record Report<R>(Function<R, Map<String, Object>> json, Function<R, String> text, Predicate<R> consistent) {}

  private WorkDirBench() {}

  /**
   * @param name the bench's name ({@code files}, {@code switch}): the temporary directory's prefix and the banner's
   * @param settings the bench's settings in the work directory, checked (bad bounds throw) before anything is printed
   * @param banner the first progress line after {@code iotpay bench <name>: }, given the work directory
   */
  static <S, R> int run(CommandSpec spec, Path directory, String name, Function<Path, S> settings,
      Function<Path, String> banner, boolean json, Body<S, R> body, Report<R> report) throws IOException {
    boolean temporary = directory == null;
    Path work = temporary ? BenchFiles.tempDir("iotpay-bench-" + name, "bench " + name) : directory;
    try {
      S checked = settings.apply(work);
      Files.createDirectories(work);
      PrintWriter err = spec.commandLine().getErr();
      err.println("iotpay bench " + name + ": " + banner.apply(work));
      err.flush();
      R result = body.run(checked, line -> {
        err.println(line);
        err.flush();
      });
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        out.println(new ObjectMapper().writeValueAsString(report.json().apply(result)));
      } else {
        out.print(report.text().apply(result));
      }
      out.flush();
      return report.consistent().test(result) ? 0 : 1;
    } finally {
      if (temporary) {
        BenchFiles.deleteTree(work);
      }
    }
  }

  /** {@code value / reference}, to four decimals. */
  static double ratio(double value, double reference) {
    return Math.round(value / reference * 10_000) / 10_000.0;
  }
}
