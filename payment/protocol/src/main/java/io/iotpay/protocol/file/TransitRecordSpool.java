package io.iotpay.protocol.file;

import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.ProtocolException;
import io.iotpay.protocol.transit.TransitRecord;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;

/**
 * Collects record lines on disk when their count and total are not known yet (the switch routes a
 * day's records to issuers file by file), then writes them as one complete transit file. Memory
 * stays constant however many records the day has. Not thread-safe.
 */
public final class TransitRecordSpool implements AutoCloseable {
  private static final int BUFFER_BYTES = 64 * 1024;
  private final Path bodyFile;
  private final CurrencyUnit currency;
  private final OutputStream body;
  private final LineBuilder line = new LineBuilder();
  private long count;
  private long totalMinor;
  private LocalDate lastDate;
  private String lastDateText;

  /**
   * Creates (or truncates) {@code bodyFile}.
   *
   * @throws UncheckedIOException when the file cannot be created
   */
  public TransitRecordSpool(Path bodyFile, CurrencyUnit currency) {
    this.bodyFile = bodyFile;
    this.currency = currency;
    try {
      this.body = new BufferedOutputStream(Files.newOutputStream(bodyFile), BUFFER_BYTES);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create spool " + bodyFile, e);
    }
  }

  /** @throws ProtocolException when the fare is in another currency */
  public void append(TransitRecord record) {
    if (!record.fare().currency().equals(currency)) {
      throw new ProtocolException("record " + record.id() + ": fare is in " + record.fare().currency()
          + ", the spool in " + currency);
    }
    if (!record.businessDate().equals(lastDate)) {
      lastDateText = FramedFileWriter.date(record.businessDate());
      lastDate = record.businessDate();
    }
    line.reset();
    TransitRecordLine.encode(line, record, lastDateText);
    line.newline();
    try {
      body.write(line.bytes(), 0, line.length());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write spool " + bodyFile, e);
    }
    totalMinor = Math.addExact(totalMinor, record.fare().amountMinor());
    count++;
  }

  /**
   * Appends the reader's current record exactly as it was read; the caller validated it with
   * {@link TransitFileReader#summary()}, whose fare is passed for the control total.
   */
  public void appendCurrent(TransitFileReader reader, RecordSummary summary) {
    try {
      reader.copyCurrentLine(body);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write spool " + bodyFile, e);
    }
    totalMinor = Math.addExact(totalMinor, summary.fareMinor());
    count++;
  }

  /** Records appended so far. */
  public long count() {
    return count;
  }

  /** Sum of the appended records' fares, minor units. */
  public long totalMinor() {
    return totalMinor;
  }

  /** Writes the spooled records as a complete file of {@code kind} (header, records, trailer). */
  public void writeFile(OutputStream out, FileKind kind, PartyId sender, PartyId receiver, LocalDate businessDate,
      long sequence) {
    FileHeader header = new FileHeader(kind, sender, receiver, businessDate, sequence, count, currency, totalMinor);
    FramedFileWriter frame = new FramedFileWriter(out, header);
    try {
      body.flush();
      try (InputStream in = Files.newInputStream(bodyFile)) {
        byte[] chunk = new byte[BUFFER_BYTES];
        int read;
        while ((read = in.read(chunk)) > 0) {
          frame.rawLines(chunk, 0, read, 0);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read spool " + bodyFile, e);
    }
    frame.rawLines(new byte[0], 0, 0, count);
    frame.finish();
  }

  /** Closes and deletes the spool file. */
  @Override
  public void close() {
    try {
      body.close();
      Files.deleteIfExists(bodyFile);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete spool " + bodyFile, e);
    }
  }
}
