package io.iotpay.protocol.file;

import io.iotpay.protocol.ProtocolException;
import io.iotpay.protocol.transit.ClearingFile;
import io.iotpay.protocol.transit.TransitRecord;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Reads an offline transaction file or a clearing file as a stream (docs/clearing-files.md §3).
 * {@link #next()} moves to the next record line and checks what the file's integrity needs (its
 * shape and fare, for the control total); {@link #record()} decodes the whole record, so a caller
 * can refuse one malformed record and go on. Integrity (checksum, count, total) is known only when
 * {@link #next()} returns false: a caller that must act all-or-nothing reads the file twice or stages
 * what it read. Not thread-safe.
 */
public final class TransitFileReader {
  private final FramedFileReader frame;
  private final TransitRecordLine decoder;
  private FieldCursor current;
  private long totalMinor;

  private TransitFileReader(InputStream in, FileKind kind, FileLimits limits) {
    this.frame = new FramedFileReader(in, limits, kind);
    this.decoder = new TransitRecordLine(frame.header().currency());
  }

  /**
   * Opens a file and reads its header.
   *
   * @param in the bytes; not closed here
   * @param kind OFFLINE or CLEARING: the kind the caller expects
   * @param limits never null
   * @throws ProtocolException when the header is malformed, of another kind or version, or over the limits
   */
  public static TransitFileReader open(InputStream in, FileKind kind, FileLimits limits) {
    if (kind != FileKind.OFFLINE && kind != FileKind.CLEARING) {
      throw new ProtocolException("a transit file is OFFLINE or CLEARING, not " + kind.wireName());
    }
    return new TransitFileReader(in, kind, limits);
  }

  public FileHeader header() {
    return frame.header();
  }

  /**
   * Moves to the next record.
   *
   * @return false at the trailer, once checksum, record count and fare total are verified
   * @throws ProtocolException on a truncated file, an overlong line, a line of the wrong shape, an
   *     unreadable fare, or a checksum, count or total that does not match
   */
  public boolean next() {
    current = null;
    if (!frame.next()) {
      verifyTotal();
      return false;
    }
    FieldCursor fields = frame.fields(TransitRecordLine.TAG, TransitRecordLine.FIELDS, "record");
    long fareMinor = fields.number(TransitRecordLine.FARE_FIELD, "fare", 0, Long.MAX_VALUE);
    try {
      totalMinor = Math.addExact(totalMinor, fareMinor);
    } catch (ArithmeticException e) {
      throw fields.field("fare", "the running total overflows");
    }
    current = fields;
    return true;
  }

  /**
   * Decodes the current record.
   *
   * @throws ProtocolException naming the line and field when the record is malformed
   * @throws IllegalStateException when {@link #next()} did not just return true
   */
  public TransitRecord record() {
    if (current == null) {
      throw new IllegalStateException("no current record: call next() first");
    }
    return decoder.decode(current);
  }

  /**
   * The file's SHA-256 (from its trailer), available once {@link #next()} returned false.
   *
   * @throws IllegalStateException before the trailer was verified
   */
  public byte[] checksum() {
    byte[] checksum = frame.checksum();
    if (checksum == null) {
      throw new IllegalStateException("the trailer has not been verified yet");
    }
    return checksum;
  }

  /**
   * Validates the current record as {@link #record()} would and returns what routing and
   * de-duplication need, without building the record (several times cheaper).
   *
   * @throws ProtocolException naming the line and field when the record is malformed
   * @throws IllegalStateException when {@link #next()} did not just return true
   */
  public RecordSummary summary() {
    if (current == null) {
      throw new IllegalStateException("no current record: call next() first");
    }
    return decoder.summarize(current);
  }

  /** The current record's line with its '\n' copied into {@code target} at {@code offset}; returns the bytes copied. */
  int copyCurrentLine(byte[] target, int offset) {
    if (current == null) {
      throw new IllegalStateException("no current record: call next() first");
    }
    return frame.copyLine(target, offset);
  }

  /** The current record's line length with its '\n'. */
  int currentLineLength() {
    return frame.lineLengthWithNewline();
  }

  /** The current record's line number in the file (the header is line 1). */
  public long lineNumber() {
    return frame.lineNumber();
  }

  /**
   * Whether {@code file} is, byte for byte, the framed file whose checksum is {@code checksum}: its
   * last line is the trailer {@code T|<checksum>} and the bytes before it hash to {@code checksum}.
   * One sequential hash of the file and no parsing: how the switch recognises a re-upload of a
   * file it accepted (equal SHA-256 means equal content, so that file's checks still hold).
   *
   * @throws UncheckedIOException when the file cannot be read
   */
  public static boolean hasChecksum(Path file, byte[] checksum) {
    try (FileChannel channel = FileChannel.open(file)) {
      long size = channel.size();
      int tail = (int) Math.min(size, 2 + 2 * 32 + 2);
      ByteBuffer end = ByteBuffer.allocate(tail);
      while (end.hasRemaining() && channel.read(end, size - tail + end.position()) > 0) {
        // reads the last bytes
      }
      String trailer = new String(end.array(), StandardCharsets.US_ASCII);
      int lineStart = trailer.lastIndexOf('\n', trailer.length() - 2) + 1;
      if (lineStart == 0 || !trailer.endsWith("\n") || !trailer.startsWith("T|", lineStart)
          || trailer.length() - 1 - (lineStart + 2) != 64) {
        return false;
      }
      byte[] stated;
      try {
        stated = HexFormat.of().parseHex(trailer, lineStart + 2, trailer.length() - 1);
      } catch (IllegalArgumentException e) {
        return false;
      }
      if (!MessageDigest.isEqual(stated, checksum)) {
        return false;
      }
      MessageDigest sha256 = FramedFileWriter.newSha256();
      long content = size - tail + lineStart;
      ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
      for (long position = 0; position < content; ) {
        buffer.clear().limit((int) Math.min(buffer.capacity(), content - position));
        int read = channel.read(buffer, position);
        if (read <= 0) {
          return false;
        }
        sha256.update(buffer.array(), 0, read);
        position += read;
      }
      return MessageDigest.isEqual(sha256.digest(), checksum);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /**
   * Reads a whole file strictly: any malformed record refuses the file.
   *
   * @throws ProtocolException on any defect, naming line and field
   */
  public static List<TransitRecord> readAll(InputStream in, FileKind kind, FileLimits limits) {
    TransitFileReader reader = open(in, kind, limits);
    List<TransitRecord> records = new ArrayList<>((int) Math.min(reader.header().recordCount(), 1 << 16));
    while (reader.next()) {
      records.add(reader.record());
    }
    return records;
  }

  /** Reads a switch → issuer clearing file strictly. */
  public static ClearingFile readClearingFile(InputStream in, FileLimits limits) {
    TransitFileReader reader = open(in, FileKind.CLEARING, limits);
    List<TransitRecord> records = new ArrayList<>((int) Math.min(reader.header().recordCount(), 1 << 16));
    while (reader.next()) {
      records.add(reader.record());
    }
    FileHeader header = reader.header();
    return new ClearingFile(header.receiver(), header.businessDate(), header.sequence(), records);
  }

  private void verifyTotal() {
    if (totalMinor != frame.header().totalMinor()) {
      throw new ProtocolException("line " + frame.lineNumber() + ": the header's total " + frame.header().totalMinor()
          + " does not match the records' fares " + totalMinor);
    }
  }
}
