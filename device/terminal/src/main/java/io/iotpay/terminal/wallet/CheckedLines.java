package io.iotpay.terminal.wallet;

import io.iotpay.foundation.InvalidInputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.zip.CRC32;

/** Lines of a POS file sealed by a CRC-32 (hex) over the body before the last separator. */
final class CheckedLines {
  private CheckedLines() {}

  /** A file opened by {@link #openFile}: its channel, positioned after the last good line, and what its lines held. */
  record Opened<T>(FileChannel channel, List<T> values) {}

  static String seal(String body) {
    return body + ";" + crc(body);
  }

  /** The body of a sealed line, or empty when the CRC does not match (a torn write). */
  static Optional<String> open(String line) {
    int last = line.lastIndexOf(';');
    if (last < 0) {
      return Optional.empty();
    }
    String body = line.substring(0, last);
    return crc(body).equals(line.substring(last + 1)) ? Optional.of(body) : Optional.empty();
  }

  static String crc(String body) {
    CRC32 crc = new CRC32();
    crc.update(body.getBytes(StandardCharsets.UTF_8));
    return Long.toHexString(crc.getValue());
  }

  /**
   * Opens (creating if absent) a file of sealed lines and reads each line's fields with {@code parse}
   * (empty, or a typed exception, for a malformed line). A malformed last line is a torn append and
   * is cut; any other malformed line refuses to open.
   *
   * @param what the file's name in messages ("outbox", "rating log")
   * @throws WalletException (device POS) when a line other than the last is malformed or the file exceeds {@code bytesMax}
   * @throws UncheckedIOException when the file cannot be read or written
   */
  static <T> Opened<T> openFile(Path file, String what, long bytesMax, int lineCharsMax,
      Function<String[], Optional<T>> parse) {
    try {
      FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
          StandardOpenOption.WRITE);
      if (channel.size() > bytesMax) {
        channel.close();
        throw new WalletException(WalletException.Device.POS, what + " " + file + " exceeds " + bytesMax);
      }
      // One char per byte: a damaged byte that is not UTF-8 is a bad line (its CRC fails), not an
      // IOException, and the offsets counted below are byte offsets. Good lines are ASCII.
      String[] lines = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).split("\n", -1);
      List<T> values = new ArrayList<>();
      int good = 0;
      for (int i = 0; i < lines.length - 1; i++) {
        Optional<T> value = lines[i].length() > lineCharsMax ? Optional.empty() : open(lines[i]).flatMap(body ->
            parsed(parse, body.split(";", -1)));
        if (value.isEmpty()) {
          if (i == lines.length - 2) {
            break; // the torn tail
          }
          channel.close();
          throw new WalletException(WalletException.Device.POS, what + " " + file + " line " + (i + 1) + " malformed");
        }
        values.add(value.get());
        good += lines[i].length() + 1;
      }
      if (good < channel.size()) {
        channel.truncate(good);
        channel.force(true);
      }
      channel.position(good);
      return new Opened<>(channel, values);
    } catch (IOException e) {
      throw new UncheckedIOException(what + " " + file + " cannot be opened", e);
    }
  }

  /** Appends {@code body} sealed, with its LF, and forces it to disk. */
  static void append(FileChannel channel, Path file, String what, String body) {
    try {
      java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap((seal(body) + "\n").getBytes(StandardCharsets.UTF_8));
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(true);
    } catch (IOException e) {
      throw new UncheckedIOException(what + " " + file + ": append failed", e);
    }
  }

  private static <T> Optional<T> parsed(Function<String[], Optional<T>> parse, String[] fields) {
    try {
      return parse.apply(fields);
    } catch (IllegalArgumentException | InvalidInputException e) {
      return Optional.empty();
    }
  }
}
