package io.iotpay.app.iot;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code iotpay serve} as a real JVM ({@code java -cp <the test's class path> io.iotpay.app.Main serve …}):
 * stdout read until its {@code ready} line (the HTTP door's line gives the port), stderr appended to
 * a log file; {@link #stop} sends SIGTERM and waits for the exit.
 */
final class ServeProcess implements AutoCloseable {
  static final Duration START_WAIT = Duration.ofSeconds(90);
  private static final String HTTP_LINE = "  http   http://";

  private final Process process;
  private final int httpPort;
  private final List<String> startLines;

  private ServeProcess(Process process, int httpPort, List<String> startLines) {
    this.process = process;
    this.httpPort = httpPort;
    this.startLines = startLines;
  }

  /** Starts {@code serve} with {@code args} and the environment additions {@code env}; waits for its ready line. */
  static ServeProcess start(Path log, Map<String, String> env, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), "io.iotpay.app.Main", "serve"));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().putAll(env);
    Process process = builder.start();
    BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    List<String> lines = new ArrayList<>();
    CompletableFuture<Boolean> ready = CompletableFuture.supplyAsync(() -> {
      try {
        for (String line = out.readLine(); line != null; line = out.readLine()) {
          synchronized (lines) {
            lines.add(line);
          }
          if (line.startsWith("iotpay serve: ready")) {
            return true;
          }
        }
        return false;
      } catch (IOException e) {
        return false;
      }
    }, Thread::startVirtualThread);
    boolean started;
    try {
      started = ready.get(START_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      started = false;
    }
    if (!started) {
      process.destroyForcibly().waitFor();
      throw new AssertionError("serve did not print its ready line; stdout " + lines + ", stderr in " + log);
    }
    Thread.startVirtualThread(() -> drain(out));
    int port = lines.stream().filter(l -> l.startsWith(HTTP_LINE)).findFirst()
        .map(l -> Integer.parseInt(l.substring(l.lastIndexOf(':') + 1).strip()))
        .orElseThrow(() -> new AssertionError("serve printed no HTTP line: " + lines));
    return new ServeProcess(process, port, List.copyOf(lines));
  }

  int httpPort() {
    return httpPort;
  }

  List<String> startLines() {
    return startLines;
  }

  /** SIGTERM, then waits up to a minute for the exit. @return the exit status */
  int stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
      throw new AssertionError("serve did not stop within a minute of SIGTERM");
    }
    return process.exitValue();
  }

  private static void drain(BufferedReader out) {
    try {
      while (out.readLine() != null) {
        // read on so the pipe never fills
      }
    } catch (IOException e) {
      // the process is gone
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroyForcibly().waitFor();
    }
  }
}
