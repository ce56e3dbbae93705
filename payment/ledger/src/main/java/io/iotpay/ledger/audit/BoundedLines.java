package io.iotpay.ledger.audit;

import java.io.IOException;
import java.io.Reader;

/**
 * Reads text line by line with a bound on line length, so a hostile file cannot make a reader
 * buffer without limit. Lines end at {@code \n}; a trailing {@code \r} is dropped. A final line
 * without {@code \n} still counts. Not thread-safe; the caller closes the reader.
 */
public final class BoundedLines {
  private final Reader reader;
  private final int lineCharsMax;
  private final String where;
  private final StringBuilder line = new StringBuilder();
  private long lineNumber;
  private boolean finished;

  /**
   * @param where the file's name, used in error messages
   * @param lineCharsMax longest line accepted
   */
  public BoundedLines(Reader reader, int lineCharsMax, String where) {
    this.reader = reader;
    this.lineCharsMax = lineCharsMax;
    this.where = where;
  }

  /** 1-based number of the line last returned. */
  public long lineNumber() {
    return lineNumber;
  }

  /**
   * The next line without its terminator, or null at the end.
   *
   * @throws AuditInputException when a line is longer than the bound (naming file and line)
   */
  public String next() throws IOException {
    if (finished) {
      return null;
    }
    line.setLength(0);
    while (true) {
      int c = reader.read();
      if (c < 0) {
        finished = true;
        return line.isEmpty() ? null : finish();
      }
      if (c == '\n') {
        return finish();
      }
      if (line.length() == lineCharsMax) {
        throw new AuditInputException(where + " line " + (lineNumber + 1) + ": longer than " + lineCharsMax + " characters");
      }
      line.append((char) c);
    }
  }

  private String finish() {
    lineNumber++;
    int length = line.length();
    if (length > 0 && line.charAt(length - 1) == '\r') {
      line.setLength(length - 1);
    }
    return line.toString();
  }
}
