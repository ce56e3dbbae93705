package io.iotpay.platform.operator;

import io.iotpay.platform.access.http.ApiException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the CSV of a bulk registration: RFC 4180 fields (comma-separated; a field in double quotes may
 * hold commas, line breaks and {@code ""} for a quote, as a PEM CSR needs), lines ended by LF or CRLF,
 * strict UTF-8, an optional header line whose first field is {@code device_id}. Blank lines are skipped.
 * Bounded: the whole file, the rows and each field; a file over a bound or not UTF-8 is refused whole.
 */
final class CsrCsv {
  /** Longest field, characters: a PEM CSR of either suite is under 1 KiB. */
  static final int FIELD_CHARS_MAX = 8 * 1024;

  private CsrCsv() {}

  /** One line of the file: where it starts (1-based) and its fields. */
  record Line(int number, List<String> fields) {}

  /**
   * @param rowsMax most data lines (the header not counted)
   * @throws ApiException 400 BAD_ENCODING (not UTF-8), 400 BAD_REQUEST (an unclosed quote, a field over its
   *     bound, nothing but a header), 413 TOO_LARGE (more rows than {@code rowsMax})
   */
  static List<Line> parse(byte[] file, int rowsMax) {
    String text = utf8(file);
    // A spreadsheet's byte order mark is not part of the first field.
    text = text.startsWith("\uFEFF") ? text.substring(1) : text;
    List<Line> lines = new ArrayList<>();
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    int lineNumber = 1;
    int lineStart = 1;
    boolean quoted = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
          field.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          lineNumber += c == '\n' ? 1 : 0;
          append(field, c);
        }
      } else if (c == '"' && field.isEmpty()) {
        quoted = true;
      } else if (c == ',') {
        fields.add(field.toString());
        field.setLength(0);
      } else if (c == '\n' || c == '\r') {
        if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
          i++;
        }
        endLine(lines, fields, field, lineStart, rowsMax);
        lineNumber++;
        lineStart = lineNumber;
      } else {
        append(field, c);
      }
    }
    if (quoted) {
      throw ApiException.badRequest("line " + lineStart + ": a quoted field is not closed");
    }
    endLine(lines, fields, field, lineStart, rowsMax);
    if (!lines.isEmpty() && "device_id".equalsIgnoreCase(lines.get(0).fields().get(0).strip())) {
      lines.remove(0);
    }
    if (lines.size() > rowsMax) {
      throw ApiException.tooLarge("more than " + rowsMax + " rows; split the file");
    }
    if (lines.isEmpty()) {
      throw ApiException.badRequest("the file has no rows: one line per device, device_id,suite,csr");
    }
    return lines;
  }

  private static void endLine(List<Line> lines, List<String> fields, StringBuilder field, int lineStart, int rowsMax) {
    fields.add(field.toString());
    field.setLength(0);
    boolean blank = fields.size() == 1 && fields.get(0).isBlank();
    if (!blank) {
      // One more than the bound: the header, if the first line is one.
      if (lines.size() > rowsMax) {
        throw ApiException.tooLarge("more than " + rowsMax + " rows; split the file");
      }
      lines.add(new Line(lineStart, List.copyOf(fields)));
    }
    fields.clear();
  }

  private static void append(StringBuilder field, char c) {
    if (field.length() >= FIELD_CHARS_MAX) {
      throw ApiException.badRequest("a field is longer than " + FIELD_CHARS_MAX + " characters");
    }
    field.append(c);
  }

  private static String utf8(byte[] file) {
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(file)).toString();
    } catch (CharacterCodingException e) {
      throw new ApiException(400, "BAD_ENCODING", "the file is not UTF-8");
    }
  }
}
