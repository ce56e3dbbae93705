package io.iotpay.foundation;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/** Outside tools the interoperability tests drive (openssl, node, …): whether one runs here. Shared through the test jar. */
public final class TestCommands {
  private TestCommands() {}

  /** Whether {@code command} runs and exits 0 within 30 s (its output is read and dropped). */
  public static boolean works(String... command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      process.getInputStream().readAllBytes();
      return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
