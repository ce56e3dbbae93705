package io.iotpay.protocol.file;

import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.ProtocolException;
import io.iotpay.protocol.transit.TransitRecord;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.nio.file.Path;
import java.time.LocalDate;

/**
 * Collects record lines on disk when their count and total are not known yet (the switch routes a
 * day's records to issuers file by file), then writes them as one complete transit file whose
 * records are in card-transaction order: PAN (as text), PAN sequence, ATC, and arrival order for
 * equal keys (docs/clearing-files.md §4). The lines stay on disk; memory holds a 24-byte sort entry
 * per record (240 MB for a 10-million-record day). Not thread-safe.
 */
public final class TransitRecordSpool implements AutoCloseable {
  private static final int BUFFER_BYTES = 64 * 1024;
  private final Path bodyFile;
  private final CurrencyUnit currency;
  private final FileChannel channel;
  private final OutputStream body;
  private final LineBuilder line = new LineBuilder();
  private long count;
  private long totalMinor;
  private LocalDate lastDate;
  private String lastDateText;
  /** Bytes of body written so far: where the next line starts. */
  private long bodyBytes;
  /** The sort entries, in arrival order until {@link #writeFile} sorts them. */
  private final CardOrder order = new CardOrder();

  /**
   * Creates (or truncates) {@code bodyFile}.
   *
   * @throws UncheckedIOException when the file cannot be created
   */
  public TransitRecordSpool(Path bodyFile, CurrencyUnit currency) {
    this.bodyFile = bodyFile;
    this.currency = currency;
    try {
      this.channel = FileChannel.open(bodyFile, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
          StandardOpenOption.READ, StandardOpenOption.WRITE);
      this.body = new BufferedOutputStream(Channels.newOutputStream(channel), BUFFER_BYTES);
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
    appended(record.pan().digits(), record.panSequence(), record.atc(), line.length(), record.fare().amountMinor());
  }

  /**
   * Appends a record line exactly as it was read ({@code length} bytes, its '\n' included), from a
   * {@link SummaryReadAhead.Batch}; {@code summary} is its validated summary.
   */
  public void appendLine(byte[] bytes, int offset, int length, RecordSummary summary) {
    if (length < 1 || bytes[offset + length - 1] != '\n') {
      throw new IllegalArgumentException("spool: a record line ends with its newline");
    }
    try {
      body.write(bytes, offset, length);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write spool " + bodyFile, e);
    }
    appended(summary.pan().digits(), summary.panSequence(), summary.atc(), length, summary.fareMinor());
  }

  /** Accounts for a line of {@code length} bytes just written at the end of the body. */
  private void appended(String panDigits, int panSequence, int atc, int length, long fareMinor) {
    order.add(panDigits, panSequence, atc, bodyBytes, length);
    bodyBytes += length;
    totalMinor = Math.addExact(totalMinor, fareMinor);
    count++;
  }

  /** What the spool held at one moment, to {@link #rollback} to. */
  public record Mark(long bodyBytes, long count, long totalMinor, int entries, int sorts) {}

  private int sorts;

  /** What the spool holds now. */
  public Mark mark() {
    return new Mark(bodyBytes, count, totalMinor, order.size(), sorts);
  }

  /**
   * Takes back every record appended since {@code mark} (the switch reads an offline file once and
   * takes its records back when the trailer does not verify).
   *
   * @throws IllegalStateException when the file was written (records sorted) since the mark
   */
  public void rollback(Mark mark) {
    if (mark.sorts() != sorts || mark.count() > count) {
      throw new IllegalStateException("spool " + bodyFile + " cannot roll back past a written file");
    }
    try {
      body.flush();
      channel.truncate(mark.bodyBytes());
      channel.position(mark.bodyBytes());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot roll back spool " + bodyFile, e);
    }
    bodyBytes = mark.bodyBytes();
    count = mark.count();
    totalMinor = mark.totalMinor();
    order.truncate(mark.entries());
  }

  /** Records appended so far. */
  public long count() {
    return count;
  }

  /** Sum of the appended records' fares, minor units. */
  public long totalMinor() {
    return totalMinor;
  }

  /**
   * Writes the spooled records as a complete file of {@code kind} (header, records, trailer), the
   * records in card-transaction order. The spool stays usable (more records may be appended and the
   * file written again).
   */
  public void writeFile(OutputStream out, FileKind kind, PartyId sender, PartyId receiver, LocalDate businessDate,
      long sequence) {
    FileHeader header = new FileHeader(kind, sender, receiver, businessDate, sequence, count, currency, totalMinor);
    FramedFileWriter frame = new FramedFileWriter(out, header);
    try {
      body.flush();
      order.sort();
      sorts++;
      if (count > 0) {
        copyInOrder(channel, frame);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read spool " + bodyFile, e);
    }
    frame.rawLines(new byte[0], 0, 0, count);
    frame.finish();
  }

  /** Bytes per mapped window of the body; a line starting in a window ends in it (windows overlap by a line). */
  private static final long WINDOW_BYTES = 1L << 30;
  private static final long WINDOW_OVERLAP = 1L << 17;

  /** Copies the lines in sorted order, through mapped windows of the body (lines are read in random order). */
  private void copyInOrder(FileChannel channel, FramedFileWriter frame) throws IOException {
    long size = channel.size();
    MappedByteBuffer[] windows = new MappedByteBuffer[(int) ((size + WINDOW_BYTES - 1) / WINDOW_BYTES)];
    byte[] chunk = new byte[2 * BUFFER_BYTES]; // holds the longest line (FileLimits: 65,536 bytes and its newline)
    int filled = 0;
    for (int i = 0; i < order.size(); i++) {
      long offset = order.offset(i);
      int length = order.length(i);
      int w = (int) (offset / WINDOW_BYTES);
      if (windows[w] == null) {
        long start = w * WINDOW_BYTES;
        windows[w] = channel.map(FileChannel.MapMode.READ_ONLY, start, Math.min(size - start, WINDOW_BYTES + WINDOW_OVERLAP));
      }
      if (filled + length > chunk.length) {
        frame.rawLines(chunk, 0, filled, 0);
        filled = 0;
      }
      windows[w].get((int) (offset - w * WINDOW_BYTES), chunk, filled, length);
      filled += length;
    }
    frame.rawLines(chunk, 0, filled, 0);
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
