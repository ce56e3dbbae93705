package io.iotpay.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class BenchClearingCommandTest {
  @TempDir Path dir;

  @Test
  void tinyRun_printsRatesRatioStagesAndPassesItsChecks() {
    CommandLine line = new CommandLine(new BenchClearingCommand());
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    line.setOut(new PrintWriter(out));
    line.setErr(new PrintWriter(err));
    assertThat(line.execute("--records", "600", "--dir", dir.toString())).isZero();
    assertThat(out.toString()).contains("end to end:").contains("MAC-only reference: ")
        .contains("ratio end-to-end / MAC-only").contains("switch intake").contains("net settlement")
        .contains("-> CONSISTENT");
    assertThat(err.toString()).contains("files written");
  }

  @Test
  void recordsOutOfRange_isRefusedBeforeAnyWork() {
    CommandLine line = new CommandLine(new BenchClearingCommand());
    line.setOut(new PrintWriter(new StringWriter()));
    line.setErr(new PrintWriter(new StringWriter()));
    assertThat(line.execute("--records", "2", "--dir", dir.toString())).isNotZero();
    assertThat(dir.resolve("bench.db")).doesNotExist();
  }
}
