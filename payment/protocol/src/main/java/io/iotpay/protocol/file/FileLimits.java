package io.iotpay.protocol.file;

import io.iotpay.protocol.ProtocolException;

/**
 * Bounds a reader enforces before it trusts anything in a file.
 *
 * @param lineBytesMax longest line accepted, without its '\n'; default {@value #LINE_BYTES_DEFAULT}
 *     (a record with the longest cryptogram input, 256 bytes as 512 hex digits, needs about 700); bound
 *     1..65536 so one line never costs more than a small buffer
 * @param recordsMax most body records accepted; default {@value #RECORDS_DEFAULT} (a big city's day is
 *     10 million taps); bound 1..1,000,000,000
 */
public record FileLimits(int lineBytesMax, long recordsMax) {
  public static final int LINE_BYTES_DEFAULT = 1024;
  public static final long RECORDS_DEFAULT = 50_000_000L;

  /** @throws ProtocolException when a bound is out of its range */
  public FileLimits {
    if (lineBytesMax < 1 || lineBytesMax > 65_536) {
      throw new ProtocolException("file limits: lineBytesMax " + lineBytesMax + " is outside 1..65536");
    }
    if (recordsMax < 1 || recordsMax > 1_000_000_000L) {
      throw new ProtocolException("file limits: recordsMax " + recordsMax + " is outside 1..1000000000");
    }
  }

  public static FileLimits defaults() {
    return new FileLimits(LINE_BYTES_DEFAULT, RECORDS_DEFAULT);
  }
}
