package io.iotpay.demo.transit;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * kill -9 of the transit back office at a random point of the night, as a real process
 * (docs/clearing-files.md §13): {@link NightProcess} runs the issuer, the switch and the operator in
 * a JVM of its own; when it reaches a random step (and a random few ms into it) the test kills it
 * with {@code destroyForcibly} (SIGKILL); a second JVM on the same data directory completes the
 * night and checks every amount (nothing lost, nothing twice), the books and the audit log.
 *
 * <p>The three parties share the one JVM that is killed (one process per party would need a PKI and
 * key custody that outlive a JVM, which the demo's scheme set-up does not have; the files here are
 * unsigned). Five runs by default; {@code -Diotpay.kill.runs=N} for more. Both suites alternate.
 */
class NightKillTest {
  private static final long NIGHT_WAIT_MS = 120_000;
  private static final int EXTRA_DELAY_MS_MAX = 30;

  @TempDir Path tempDir;

  static Stream<Arguments> runs() {
    return NightScript.runs("iotpay.kill");
  }

  @ParameterizedTest
  @MethodSource("runs")
  void killMinus9AtARandomStep_thenANewProcessCompletesTheNight_andEveryCheckHolds(long seed, AlgorithmSuite suite)
      throws Exception {
    Random random = new Random(seed);
    int killAtStep = random.nextInt(NightScript.steps().size());
    Path dir = Files.createDirectories(tempDir.resolve("night-" + seed));
    Process first = start(dir, suite, seed);
    List<String> firstOutput = new ArrayList<>();
    boolean reached = readUntil(first, "STEP " + killAtStep, firstOutput);
    // A few ms into the step (or at once): the kill lands wherever the JVM is then.
    first.waitFor(random.nextInt(EXTRA_DELAY_MS_MAX), TimeUnit.MILLISECONDS);
    first.destroyForcibly();
    assertThat(first.waitFor(NIGHT_WAIT_MS, TimeUnit.MILLISECONDS)).isTrue();
    assertThat(reached).as("the first JVM reached step %d before it was killed: %s", killAtStep, firstOutput).isTrue();

    Process second = start(dir, suite, seed);
    List<String> secondOutput = new ArrayList<>();
    boolean done = readUntil(second, "NIGHT DONE", secondOutput);
    assertThat(second.waitFor(NIGHT_WAIT_MS, TimeUnit.MILLISECONDS)).isTrue();
    assertThat(done && second.exitValue() == 0).as("the second JVM completed the night with every check"
        + " holding (killed at step %d; its log: %s)", killAtStep, dir.resolve("night.log")).isTrue();
  }

  private static Process start(Path dir, AlgorithmSuite suite, long seed) throws IOException {
    List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
        NightProcess.class.getName(), dir.toString(), suite.name(), Long.toString(seed));
    return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(dir.resolve("night.log").toFile()))
        .start();
  }

  /** Reads the process's stdout until {@code line} (true) or its end (false). */
  private static boolean readUntil(Process process, String line, List<String> seen) throws IOException {
    BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII));
    for (String read = out.readLine(); read != null; read = out.readLine()) {
      seen.add(read);
      if (read.equals(line)) {
        return true;
      }
    }
    return false;
  }
}
