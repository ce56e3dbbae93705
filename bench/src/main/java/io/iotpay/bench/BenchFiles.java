package io.iotpay.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** The scratch directories the benchmarks make and remove. */
public final class BenchFiles {
  private BenchFiles() {}

  /**
   * A new temporary directory.
   *
   * @param prefix its name's prefix
   * @param purpose what it holds, for the error message
   * @throws UncheckedIOException when none can be made
   */
  public static Path tempDir(String prefix, String purpose) {
    try {
      return Files.createTempDirectory(prefix);
    } catch (IOException e) {
      throw new UncheckedIOException("no temporary directory for " + purpose, e);
    }
  }

  /** Deletes {@code dir} and everything under it. @throws UncheckedIOException when something cannot be deleted */
  public static void deleteTree(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir, e);
    }
  }
}
