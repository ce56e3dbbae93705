package io.iotpay.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** Off a terminal (as under Maven), progress is plain lines on the writer given: tenths and stages. */
class ProgressTest {
  @Test
  void countedWork_offATerminal_printsOneLinePerTenth() {
    assertThat(Progress.onTerminal()).as("tests run without a console").isFalse();
    StringWriter text = new StringWriter();
    try (Progress progress = Progress.start("audit verify", 25, new PrintWriter(text))) {
      for (int leaf = 1; leaf <= 25; leaf++) {
        progress.stepTo(leaf);
      }
    }
    assertThat(text.toString().lines()).hasSize(10)
        .startsWith("audit verify: 10% (3/25)", "audit verify: 20% (5/25)")
        .endsWith("audit verify: 100% (25/25)");
  }

  @Test
  void stages_offATerminal_passThroughLineByLine() {
    StringWriter text = new StringWriter();
    try (Progress progress = Progress.start("demo pos", -1, new PrintWriter(text))) {
      PrintStream stages = progress.stages();
      stages.print("day 1: 40 payments");
      stages.println();
      stages.printf("day %d: %d payments%n", 2, 38);
    }
    assertThat(text.toString().lines()).containsExactly("day 1: 40 payments", "day 2: 38 payments");
  }
}
