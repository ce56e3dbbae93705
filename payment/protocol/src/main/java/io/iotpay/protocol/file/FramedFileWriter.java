package io.iotpay.protocol.file;

import io.iotpay.foundation.Assert;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;

/**
 * Writes the frame every file shares: the header line, body lines, and the trailer with the SHA-256
 * of every byte before it. Body lines are built by the caller in {@link #line()}.
 */
final class FramedFileWriter {
  private final OutputStream out;
  private final FileHeader header;
  private final MessageDigest sha256;
  private final LineBuilder line = new LineBuilder();
  private long bodyLines;
  private boolean finished;

  FramedFileWriter(OutputStream out, FileHeader header) {
    this.out = out;
    this.header = header;
    this.sha256 = newSha256();
    line.reset();
    line.text("H").separator().text(FileHeader.MAGIC).separator().number(FileHeader.VERSION).separator()
        .text(header.kind().wireName()).separator().text(header.sender().value()).separator()
        .text(header.receiver().value()).separator().text(date(header.businessDate())).separator()
        .number(header.sequence()).separator().number(header.recordCount()).separator()
        .text(header.currency().alphaCode()).separator().number(header.totalMinor()).newline();
    emit();
  }

  /** The builder for the next body line, emptied; call {@link #endLine()} when it is complete. */
  LineBuilder line() {
    Assert.that(!finished, "file already finished");
    line.reset();
    return line;
  }

  void endLine() {
    line.newline();
    emit();
    bodyLines++;
  }

  /** Appends body bytes that are already whole lines (a spool's content), {@code lines} of them. */
  void rawLines(byte[] chunk, int offset, int length, long lines) {
    Assert.that(!finished, "file already finished");
    sha256.update(chunk, offset, length);
    try {
      out.write(chunk, offset, length);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + header.kind().wireName() + " file", e);
    }
    bodyLines += lines;
  }

  long bodyLines() {
    return bodyLines;
  }

  /** Writes the trailer and flushes; does not close the stream. */
  void finish() {
    Assert.that(!finished, "file already finished");
    finished = true;
    line.reset();
    line.text("T").separator().hex(sha256.digest()).newline();
    write();
    try {
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot flush " + header.kind().wireName() + " file", e);
    }
  }

  private void emit() {
    sha256.update(line.bytes(), 0, line.length());
    write();
  }

  private void write() {
    try {
      out.write(line.bytes(), 0, line.length());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + header.kind().wireName() + " file", e);
    }
  }

  /** The date as YYYY-MM-DD; the format has room for years 0000..9999 only. */
  static String date(LocalDate date) {
    if (date.getYear() < 0 || date.getYear() > 9999) {
      throw new io.iotpay.protocol.ProtocolException("business date " + date + " is outside years 0000..9999");
    }
    return String.format("%04d-%02d-%02d", date.getYear(), date.getMonthValue(), date.getDayOfMonth());
  }

  static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
