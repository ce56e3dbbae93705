package io.iotpay.app.party;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One party as a real JVM: {@code java -cp <the test's class path> io.iotpay.app.Main party ...},
 * stderr appended to a log file, stdout read until its {@code listening <port> ...} line.
 */
final class PartyProcess implements AutoCloseable {
  static final Duration START_WAIT = Duration.ofSeconds(60);
  private final String name;
  private final List<String> args;
  private final Path log;
  private volatile Process process;
  private List<Integer> ports = List.of();

  PartyProcess(String name, Path log, String... args) {
    this.name = name;
    this.log = log;
    this.args = List.of(args);
  }

  /** Where the process's stderr (its log) is appended. */
  Path log() {
    return log;
  }

  /** Starts the JVM and waits for its ready line. */
  synchronized PartyProcess start() throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of("-Xss1m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto", "-cp",
        System.getProperty("java.class.path"), "io.iotpay.app.Main", "party"));
    command.addAll(args);
    process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII));
    CompletableFuture<String> ready = CompletableFuture.supplyAsync(() -> {
      try {
        String line;
        while ((line = out.readLine()) != null) {
          if (line.startsWith("listening ")) {
            return line;
          }
        }
        return null;
      } catch (IOException e) {
        return null;
      }
    }, Thread::startVirtualThread);
    String line;
    try {
      line = ready.get(START_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      line = null;
    }
    if (line == null) {
      process.destroyForcibly().waitFor();
      throw new AssertionError(name + " did not print its listening line; its log: " + log);
    }
    ports = Arrays.stream(line.substring("listening ".length()).split(" ")).map(Integer::valueOf).toList();
    Thread.startVirtualThread(() -> drain(out));
    return this;
  }

  private static void drain(BufferedReader out) {
    try {
      while (out.readLine() != null) {
        // stdout carries only the ready line; read on so the pipe never fills
      }
    } catch (IOException e) {
      // the process is gone
    }
  }

  /** kill -9, then the same command again on the same data directory; waits for the ready line. */
  synchronized PartyProcess restart() throws IOException, InterruptedException {
    kill();
    return start();
  }

  /** {@link #restart} on another thread (a kill from inside a proxy must not wait for the new JVM). */
  CompletableFuture<Void> restartAsync() {
    return CompletableFuture.runAsync(() -> {
      try {
        restart();
      } catch (IOException | InterruptedException e) {
        throw new IllegalStateException(e);
      }
    }, Thread::startVirtualThread);
  }

  /**
   * kill -9 now and start again in the background. The restart's future is in {@code restarts}
   * before the kill, so a test that saw the kill's effect (a dropped link) always finds it there.
   */
  static void killAndRestart(PartyProcess process, List<CompletableFuture<Void>> restarts) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    restarts.add(done);
    try {
      process.kill();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process.restartAsync().whenComplete((ok, failure) -> {
      if (failure == null) {
        done.complete(null);
      } else {
        done.completeExceptionally(failure);
      }
    });
  }

  List<Integer> ports() {
    return ports;
  }

  int port() {
    return ports.get(0);
  }

  boolean alive() {
    return process != null && process.isAlive();
  }

  /** kill -9 (SIGKILL), waited for. */
  void kill() throws InterruptedException {
    if (alive()) {
      process.destroyForcibly().waitFor();
    }
  }

  /** SIGTERM, waited for; returns the exit status (143 after a clean stop on SIGTERM). */
  int stop() throws InterruptedException {
    if (!alive()) {
      return process == null ? 0 : process.exitValue();
    }
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
      throw new AssertionError(name + " did not stop on SIGTERM within 30 s");
    }
    return process.exitValue();
  }

  @Override
  public void close() throws InterruptedException {
    kill();
  }
}
