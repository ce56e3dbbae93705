package io.iotpay.protocol.journal;

import io.iotpay.foundation.InvalidInputException;
import io.iotpay.protocol.transit.TransitRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A terminal journal file: {@link JournalLine}s, each ending in LF, appended by the terminal.
 * A last line without LF, or whose CRC or fields fail, is a torn append: readers skip it (the
 * terminal also cuts it when it reopens the file). A bad line anywhere else is corruption. Read
 * iteratively, bounded by {@link #FILE_BYTES_MAX} and {@link JournalLine#LINE_CHARS_MAX}.
 */
public final class JournalFile {
  /** Bound on a journal read (a gate rolls its journal daily; a day is far below this). */
  public static final long FILE_BYTES_MAX = 512L << 20;

  private JournalFile() {}

  /**
   * What a journal's bytes hold.
   *
   * @param records the complete lines' records, in order
   * @param goodEnd the offset after the last complete, good line (the rest is a torn tail)
   */
  public record Scan(List<TransitRecord> records, int goodEnd) {
    public Scan {
      records = List.copyOf(records);
    }
  }

  /**
   * Reads a journal as written, even while its terminal appends to it (what a collector does):
   * a torn last line is skipped, nothing is changed.
   *
   * @throws JournalException when a line other than the last is malformed, or the file is too large
   * @throws UncheckedIOException when the file cannot be read
   */
  public static List<TransitRecord> readRecords(Path file) {
    try {
      if (Files.size(file) > FILE_BYTES_MAX) {
        throw new JournalException("journal " + file + ": larger than " + FILE_BYTES_MAX + " bytes");
      }
      return scan(file.toString(), Files.readAllBytes(file)).records();
    } catch (IOException e) {
      throw new UncheckedIOException("journal " + file + " cannot be read", e);
    }
  }

  /**
   * Parses the complete lines of a journal's bytes.
   *
   * @param name the journal's name for messages
   * @throws JournalException when a line other than the last is malformed ("journal NAME line N: ...")
   */
  public static Scan scan(String name, byte[] bytes) {
    if (bytes.length > FILE_BYTES_MAX) {
      throw new JournalException("journal " + name + ": " + bytes.length + " bytes exceed " + FILE_BYTES_MAX);
    }
    List<TransitRecord> records = new ArrayList<>();
    int start = 0;
    int lineNumber = 1;
    while (start < bytes.length) {
      int end = indexOf(bytes, (byte) '\n', start);
      if (end < 0) {
        return new Scan(records, start); // no LF: the append was torn
      }
      boolean last = end == bytes.length - 1;
      String line = new String(bytes, start, end - start, StandardCharsets.UTF_8);
      try {
        records.add(JournalLine.decode(line));
      } catch (InvalidInputException e) {
        if (last) {
          return new Scan(records, start); // LF written but the line damaged: still the torn tail
        }
        throw new JournalException("journal " + name + " line " + lineNumber + ": " + e.getMessage(), e);
      }
      start = end + 1;
      lineNumber++;
    }
    return new Scan(records, start);
  }

  private static int indexOf(byte[] bytes, byte b, int from) {
    for (int i = from; i < bytes.length; i++) {
      if (bytes[i] == b) {
        return i;
      }
    }
    return -1;
  }
}
