package io.iotpay.protocol.file;

import io.iotpay.protocol.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;

/**
 * Splits one line (bytes, no '\n') into '|'-separated fields and parses them without regular
 * expressions or intermediate strings; every failure names the line number and the field.
 */
final class FieldCursor {
  static final char SEPARATOR = '|';
  private static final int FIELDS_MAX = 32;
  /** Nibble value of each byte, -1 for a non-hex byte: one load per digit instead of three compares. */
  private static final byte[] NIBBLES = new byte[256];

  static {
    Arrays.fill(NIBBLES, (byte) -1);
    for (int i = 0; i < 10; i++) {
      NIBBLES['0' + i] = (byte) i;
    }
    for (int i = 0; i < 6; i++) {
      NIBBLES['A' + i] = (byte) (10 + i);
      NIBBLES['a' + i] = (byte) (10 + i);
    }
  }

  private final int[] starts = new int[FIELDS_MAX];
  private final int[] ends = new int[FIELDS_MAX];
  private byte[] line;
  private int fieldCount;
  private long lineNumber;
  private LocalDate lastDate;
  private int lastDateKey = -1;

  /** Splits {@code line[0..length)}; the line must have exactly {@code expectedFields} fields. */
  void split(byte[] line, int length, long lineNumber, int expectedFields, String what) {
    this.line = line;
    this.lineNumber = lineNumber;
    int count = 0;
    int start = 0;
    while (true) {
      int separator = ByteScan.indexOf(line, start, length, (byte) SEPARATOR);
      int end = separator < 0 ? length : separator;
      if (count == FIELDS_MAX || count == expectedFields) {
        throw fail("a " + what + " line has more than " + expectedFields + " fields");
      }
      starts[count] = start;
      ends[count] = end;
      count++;
      if (separator < 0) {
        break;
      }
      start = separator + 1;
    }
    if (count != expectedFields) {
      throw fail("a " + what + " line has " + count + " fields, expected " + expectedFields);
    }
    fieldCount = count;
  }

  long lineNumber() {
    return lineNumber;
  }

  int fieldCount() {
    return fieldCount;
  }

  /** The field as ASCII text (1..{@code charsMax} printable characters). */
  String text(int index, String name, int charsMax) {
    int length = ends[index] - starts[index];
    if (length < 1 || length > charsMax) {
      throw field(name, "has " + length + " characters, expected 1.." + charsMax);
    }
    for (int i = starts[index]; i < ends[index]; i++) {
      if (line[i] < 0x21 || line[i] > 0x7E) {
        throw field(name, "holds a byte outside printable ASCII");
      }
    }
    return new String(line, starts[index], length, StandardCharsets.US_ASCII);
  }

  /** True when the field's bytes equal {@code ascii}. */
  boolean is(int index, String ascii) {
    int length = ends[index] - starts[index];
    if (length != ascii.length()) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      if (line[starts[index] + i] != ascii.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /** A decimal long, optionally negative, at most 19 digits. */
  long number(int index, String name) {
    int i = starts[index];
    int end = ends[index];
    boolean negative = i < end && line[i] == '-';
    if (negative) {
      i++;
    }
    if (i == end || end - i > 19) {
      throw field(name, "is not a decimal number of 1..19 digits");
    }
    long value = 0;
    for (; i < end; i++) {
      int digit = line[i] - '0';
      if (digit < 0 || digit > 9) {
        throw field(name, "is not a decimal number");
      }
      value = value * 10 + digit;
      if (value < 0) {
        throw field(name, "overflows a 64-bit number");
      }
    }
    return negative ? -value : value;
  }

  /** A number in {@code min..max}. */
  long number(int index, String name, long min, long max) {
    long value = number(index, name);
    if (value < min || value > max) {
      throw field(name, value + " is outside " + min + ".." + max);
    }
    return value;
  }

  /** Hex digits (either case) of 1..{@code bytesMax} bytes. */
  byte[] hex(int index, String name, int bytesMax) {
    int length = ends[index] - starts[index];
    if (length == 0 || length % 2 != 0 || length / 2 > bytesMax) {
      throw field(name, "is not hex of 1.." + bytesMax + " bytes");
    }
    byte[] out = new byte[length / 2];
    int at = starts[index];
    for (int i = 0; i < out.length; i++) {
      int high = nibble(line[at++], name);
      int low = nibble(line[at++], name);
      out[i] = (byte) (high << 4 | low);
    }
    return out;
  }

  /** Checks that the field is hex of {@code bytesMin..bytesMax} bytes without decoding it. */
  void checkHex(int index, String name, int bytesMin, int bytesMax) {
    int length = ends[index] - starts[index];
    if (length == 0 || length % 2 != 0 || length / 2 > bytesMax) {
      throw field(name, "is not hex of 1.." + bytesMax + " bytes");
    }
    for (int i = starts[index]; i < ends[index]; i++) {
      nibble(line[i], name);
    }
    if (length / 2 < bytesMin) {
      throw fail("transit record: " + name + " must be " + bytesMin + " bytes");
    }
  }

  /** An ISO date {@code YYYY-MM-DD}; the last one parsed is reused (a file is about one day). */
  LocalDate date(int index, String name) {
    int start = starts[index];
    if (ends[index] - start != 10 || line[start + 4] != '-' || line[start + 7] != '-') {
      throw field(name, "is not a date YYYY-MM-DD");
    }
    int year = digits(start, 4, name);
    int month = digits(start + 5, 2, name);
    int day = digits(start + 8, 2, name);
    int key = year * 10_000 + month * 100 + day;
    if (key == lastDateKey) {
      return lastDate;
    }
    try {
      lastDate = LocalDate.of(year, month, day);
    } catch (DateTimeException e) {
      throw field(name, "is not a calendar date: " + e.getMessage());
    }
    lastDateKey = key;
    return lastDate;
  }

  /** An instant written as {@code <epoch seconds>.<9 digits of nanoseconds>}. */
  Instant instant(int index, String name) {
    int start = starts[index];
    int end = ends[index];
    int point = end - 10;
    if (point <= start || line[point] != '.') {
      throw field(name, "is not <epoch seconds>.<9 digits>");
    }
    int savedEnd = ends[index];
    ends[index] = point;
    long seconds;
    try {
      seconds = number(index, name);
    } finally {
      ends[index] = savedEnd;
    }
    int nanos = digits(point + 1, 9, name);
    try {
      return Instant.ofEpochSecond(seconds, nanos);
    } catch (DateTimeException e) {
      throw field(name, "is out of range: " + e.getMessage());
    }
  }

  ProtocolException field(String name, String problem) {
    return new ProtocolException("line " + lineNumber + ", field '" + name + "': " + problem);
  }

  ProtocolException fail(String problem) {
    return new ProtocolException("line " + lineNumber + ": " + problem);
  }

  private int digits(int at, int count, String name) {
    int value = 0;
    for (int i = at; i < at + count; i++) {
      int digit = line[i] - '0';
      if (digit < 0 || digit > 9) {
        throw field(name, "has a non-digit where a digit belongs");
      }
      value = value * 10 + digit;
    }
    return value;
  }

  private int nibble(byte b, String name) {
    int value = NIBBLES[b & 0xFF];
    if (value < 0) {
      throw field(name, "holds a non-hex character");
    }
    return value;
  }
}
