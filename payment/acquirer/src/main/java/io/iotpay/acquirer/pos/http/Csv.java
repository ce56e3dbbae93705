package io.iotpay.acquirer.pos.http;

/** RFC 4180 fields for the bookkeeping export, safe to open in a spreadsheet. */
final class Csv {
  static final String LINE_END = "\r\n";

  private Csv() {}

  /**
   * A text field: prefixed with {@code '} when it could start a spreadsheet formula ({@code = + - @},
   * tab, carriage return), then quoted (quotes doubled) when it holds a comma, quote or line break.
   */
  static String text(String value) {
    String v = value == null ? "" : value;
    if (!v.isEmpty() && "=+-@\t\r".indexOf(v.charAt(0)) >= 0) {
      v = "'" + v;
    }
    if (v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0) {
      return '"' + v.replace("\"", "\"\"") + '"';
    }
    return v;
  }

  /** One record: fields joined by commas, ended by CRLF. Numbers are written by the caller as plain integers. */
  static String record(String... fields) {
    return String.join(",", fields) + LINE_END;
  }
}
