package io.iotpay.agent.sdk;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * A counter that survives restarts of a device without a secure chip (a simulator or a gateway):
 * it persists the top of a block of {@code blockSize} values before handing out the first of them,
 * so after a crash it resumes above every value it may have used (skipping at most one block,
 * never reusing one). The file holds one decimal number, replaced atomically and forced to disk.
 */
public final class FileMessageCounter implements MessageCounter {
  /** Largest block: bounds the values lost per restart. */
  public static final int BLOCK_SIZE_MAX = 1_000_000;
  private static final int FILE_BYTES_MAX = 32;

  private final Path file;
  private final int blockSize;
  private long last;
  private long reservedUpTo;

  /**
   * Opens (or creates, starting at 0) the counter file.
   *
   * @param blockSize values reserved per disk write, 1..{@link #BLOCK_SIZE_MAX}
   * @throws IllegalStateException when the file cannot be read or does not hold a counter
   */
  public FileMessageCounter(Path file, int blockSize) {
    if (blockSize < 1 || blockSize > BLOCK_SIZE_MAX) {
      throw new IllegalArgumentException("blockSize " + blockSize + " outside 1.." + BLOCK_SIZE_MAX);
    }
    this.file = file;
    this.blockSize = blockSize;
    this.last = read(file);
    this.reservedUpTo = last;
  }

  @Override
  public synchronized long next() {
    if (last == Long.MAX_VALUE) {
      throw new IllegalStateException("message counter exhausted");
    }
    if (last == reservedUpTo) {
      long top = Long.MAX_VALUE - last < blockSize ? Long.MAX_VALUE : last + blockSize;
      write(top);
      reservedUpTo = top;
    }
    return ++last;
  }

  private static long read(Path file) {
    if (!Files.exists(file)) {
      return 0;
    }
    try {
      if (Files.size(file) > FILE_BYTES_MAX) {
        throw new IllegalStateException("counter file " + file + " is larger than " + FILE_BYTES_MAX + " bytes");
      }
      long value = Long.parseLong(Files.readString(file, StandardCharsets.US_ASCII).trim());
      if (value < 0) {
        throw new IllegalStateException("counter file " + file + " holds a negative value");
      }
      return value;
    } catch (IOException | NumberFormatException e) {
      throw new IllegalStateException("counter file " + file + " cannot be read as a counter", e);
    }
  }

  private void write(long top) {
    Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
    try (FileChannel channel = FileChannel.open(temporary,
        StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
      channel.write(ByteBuffer.wrap((top + "\n").getBytes(StandardCharsets.US_ASCII)));
      channel.force(true);
    } catch (IOException e) {
      throw new IllegalStateException("counter file " + temporary + " cannot be written", e);
    }
    try {
      // Atomic replace: a crash leaves either the old or the new reservation, never a torn file.
      Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new IllegalStateException("counter file " + file + " cannot be replaced", e);
    }
  }
}
