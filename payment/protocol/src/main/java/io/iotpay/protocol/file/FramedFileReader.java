package io.iotpay.protocol.file;

import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.money.MoneyException;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.ProtocolException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;

/**
 * Reads the shared frame as a stream: the header, then one body line per {@link #next()}, then
 * the trailer, whose checksum and the header's record count are verified when it is reached.
 * Never holds more than one line ({@link FileLimits#lineBytesMax()}) and a 64 KiB buffer.
 */
final class FramedFileReader {
  private static final int HEADER_FIELDS = 11;
  private static final int BUFFER_BYTES = 64 * 1024;

  private final InputStream in;
  private final MessageDigest sha256 = FramedFileWriter.newSha256();
  private final byte[] buffer = new byte[BUFFER_BYTES];
  /** The current line, then its '\n' (one byte more than the limit), so the checksum takes it in one update. */
  private final byte[] lineBytes;
  private final int lineBytesMax;
  private final FieldCursor cursor = new FieldCursor();
  private final FileHeader header;
  private int bufferPosition;
  private int bufferLimit;
  private int lineLength;
  private long lineNumber;
  private long bodyLines;
  private boolean ended;
  private byte[] checksum;

  FramedFileReader(InputStream in, FileLimits limits, FileKind expectedKind) {
    this.in = in;
    this.lineBytesMax = limits.lineBytesMax();
    this.lineBytes = new byte[lineBytesMax + 1];
    if (!readLine()) {
      throw new FrameException(FrameException.Fault.TRUNCATED, "line 1: the file is empty (no header)");
    }
    this.header = parseHeader(expectedKind);
    if (header.recordCount() > limits.recordsMax()) {
      throw new FrameException(FrameException.Fault.TOO_LARGE, cursor.field("record count", header.recordCount()
          + " exceeds the limit " + limits.recordsMax()).getMessage());
    }
    digestLine();
  }

  FileHeader header() {
    return header;
  }

  /**
   * Advances to the next body line.
   *
   * @return false at the trailer, after verifying the checksum, the record count and that nothing follows
   * @throws ProtocolException on a truncated file, an overlong line, a bad checksum or count
   */
  boolean next() {
    if (ended) {
      return false;
    }
    if (!readLine()) {
      throw new FrameException(FrameException.Fault.TRUNCATED, "line " + (lineNumber + 1)
          + ": the file is truncated (no trailer after "
          + bodyLines + " records)");
    }
    if (lineLength >= 2 && lineBytes[0] == 'T' && lineBytes[1] == FieldCursor.SEPARATOR) {
      verifyTrailer();
      return false;
    }
    bodyLines++;
    if (bodyLines > header.recordCount()) {
      throw new FrameException(FrameException.Fault.COUNT, "line " + lineNumber + ": more records than the header's count "
          + header.recordCount());
    }
    digestLine();
    return true;
  }

  /** The current line and its '\n' into the checksum, in one update (two per line showed in profiles). */
  private void digestLine() {
    lineBytes[lineLength] = '\n';
    sha256.update(lineBytes, 0, lineLength + 1);
  }

  /** The first byte of the current body line (its tag's first character), or 0 for an empty line. */
  char firstChar() {
    return lineLength == 0 ? 0 : (char) (lineBytes[0] & 0xFF);
  }

  /** Splits the current body line, which must have {@code fields} fields and start with {@code tag}. */
  FieldCursor fields(String tag, int fields, String what) {
    cursor.split(lineBytes, lineLength, lineNumber, fields, what);
    if (!cursor.is(0, tag)) {
      throw cursor.field("tag", "expected '" + tag + "' for a " + what + " line");
    }
    return cursor;
  }

  /** The verified SHA-256 from the trailer, once {@link #next()} returned false; else null. */
  byte[] checksum() {
    return checksum == null ? null : checksum.clone();
  }

  /** Copies the current line and its '\n' into {@code target} at {@code offset}; returns the bytes copied. */
  int copyLine(byte[] target, int offset) {
    System.arraycopy(lineBytes, 0, target, offset, lineLength);
    target[offset + lineLength] = '\n';
    return lineLength + 1;
  }

  /** The current line's length with its '\n'. */
  int lineLengthWithNewline() {
    return lineLength + 1;
  }

  long lineNumber() {
    return lineNumber;
  }

  private void verifyTrailer() {
    ended = true;
    cursor.split(lineBytes, lineLength, lineNumber, 2, "trailer");
    byte[] expected = cursor.hex(1, "checksum", 32);
    if (expected.length != 32) {
      throw cursor.field("checksum", "is not 32 bytes of SHA-256");
    }
    if (!MessageDigest.isEqual(expected, sha256.digest())) {
      throw new FrameException(FrameException.Fault.CHECKSUM,
          cursor.field("checksum", "SHA-256 does not match the file's content").getMessage());
    }
    checksum = expected;
    if (bodyLines != header.recordCount()) {
      throw new FrameException(FrameException.Fault.COUNT,
          cursor.fail("the header announces " + header.recordCount() + " records, the file has " + bodyLines).getMessage());
    }
    if (readLine() || lineLength > 0) {
      throw new ProtocolException("line " + lineNumber + ": data after the trailer");
    }
  }

  private FileHeader parseHeader(FileKind expectedKind) {
    cursor.split(lineBytes, lineLength, lineNumber, HEADER_FIELDS, "header");
    if (!cursor.is(0, "H") || !cursor.is(1, FileHeader.MAGIC)) {
      throw cursor.fail("not an iotpay file header (expected 'H|" + FileHeader.MAGIC + "|...')");
    }
    long version = cursor.number(2, "version");
    if (version != FileHeader.VERSION) {
      throw cursor.field("version", "format version " + version + " is not supported (only "
          + FileHeader.VERSION + ")");
    }
    FileKind kind;
    try {
      kind = FileKind.ofWireName(cursor.text(3, "kind", 16));
    } catch (ProtocolException e) {
      throw cursor.field("kind", e.getMessage());
    }
    if (kind != expectedKind) {
      throw cursor.field("kind", "a " + kind.wireName() + " file, expected " + expectedKind.wireName());
    }
    PartyId sender = party(4, "sender");
    PartyId receiver = party(5, "receiver");
    CurrencyUnit currency;
    try {
      currency = CurrencyUnit.of(cursor.text(9, "currency", 3));
    } catch (MoneyException e) {
      throw cursor.field("currency", e.getMessage());
    }
    return new FileHeader(kind, sender, receiver, cursor.date(6, "business date"),
        cursor.number(7, "sequence", 1, Long.MAX_VALUE), cursor.number(8, "record count", 0, Long.MAX_VALUE),
        currency, cursor.number(10, "total"));
  }

  private PartyId party(int index, String name) {
    String text = cursor.text(index, name, 16);
    try {
      return PartyId.of(text);
    } catch (ProtocolException e) {
      throw cursor.field(name, e.getMessage());
    }
  }

  /** Reads one line into {@link #lineBytes}; false at end of input with nothing read. */
  private boolean readLine() {
    lineLength = 0;
    boolean any = false;
    while (true) {
      if (bufferPosition == bufferLimit && !fill()) {
        if (any) {
          lineNumber++;
          throw new FrameException(FrameException.Fault.TRUNCATED,
              "line " + lineNumber + ": the file is truncated (last line has no '\\n')");
        }
        return false;
      }
      any = true;
      int start = bufferPosition;
      int newline = indexOfNewline(start, bufferLimit);
      int end = newline < 0 ? bufferLimit : newline;
      int chunk = end - start;
      if (lineLength + chunk > lineBytesMax) {
        throw new ProtocolException("line " + (lineNumber + 1) + ": longer than " + lineBytesMax + " bytes");
      }
      System.arraycopy(buffer, start, lineBytes, lineLength, chunk);
      lineLength += chunk;
      if (newline >= 0) {
        bufferPosition = newline + 1;
        lineNumber++;
        return true;
      }
      bufferPosition = bufferLimit;
    }
  }

  private int indexOfNewline(int from, int to) {
    return ByteScan.indexOf(buffer, from, to, (byte) '\n');
  }

  private boolean fill() {
    try {
      int read = in.read(buffer, 0, buffer.length);
      if (read <= 0) {
        return false;
      }
      bufferPosition = 0;
      bufferLimit = read;
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read file at line " + (lineNumber + 1), e);
    }
  }

  /** A refusal of the frame itself, with what kind it is (each file kind may map it to its own reason). */
  static final class FrameException extends ProtocolException {
    private static final long serialVersionUID = 1L;

    /** What is wrong with the frame. */
    enum Fault {
      /** The file ends before its trailer, or its last line has no '\n'. */
      TRUNCATED,
      /** The trailer's SHA-256 does not match. */
      CHECKSUM,
      /** The body's line count does not match the header's. */
      COUNT,
      /** The header announces more records than the reader's bound. */
      TOO_LARGE
    }

    private final Fault fault;

    FrameException(Fault fault, String message) {
      super(message);
      this.fault = fault;
    }

    Fault fault() {
      return fault;
    }
  }
}
