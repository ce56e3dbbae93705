package io.iotpay.switching.transit;

/**
 * Why the switch refused a file or one record of it; queryable through {@link TransitSwitch#rejections()}.
 *
 * @param fileName the uploaded file's name
 * @param line the line of the record refused, or 0 when the whole file was refused
 * @param recordId the record's id ({@code TERMINAL#SEQ}) when it could be read, else ""
 * @param reason what was wrong, naming the field
 */
public record Rejection(String fileName, long line, String recordId, String reason) {
  /** True when the whole file was refused rather than one record. */
  public boolean wholeFile() {
    return line == 0;
  }
}
