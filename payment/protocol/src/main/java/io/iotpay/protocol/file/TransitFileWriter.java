package io.iotpay.protocol.file;

import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.ProtocolException;
import io.iotpay.protocol.transit.ClearingFile;
import io.iotpay.protocol.transit.TransitRecord;
import java.io.OutputStream;
import java.time.LocalDate;

/**
 * Writes an offline transaction file or a clearing file (docs/clearing-files.md §3) as a stream:
 * the header, one line per {@link #append}, and the trailer on {@link #finish()}. Not thread-safe.
 */
public final class TransitFileWriter {
  private final FramedFileWriter frame;
  private final FileHeader header;
  private long totalMinor;
  private LocalDate lastDate;
  private String lastDateText;

  private TransitFileWriter(OutputStream out, FileHeader header) {
    if (header.kind() != FileKind.OFFLINE && header.kind() != FileKind.CLEARING) {
      throw new ProtocolException("a transit file is OFFLINE or CLEARING, not " + header.kind().wireName());
    }
    this.header = header;
    this.frame = new FramedFileWriter(out, header);
  }

  /**
   * Starts a file; the header's count and total must be those of the records that will be appended.
   *
   * @param out receives the bytes; buffered by the caller if it is slow; not closed here
   * @param header never null; kind OFFLINE or CLEARING
   * @throws ProtocolException when the kind is neither
   */
  public static TransitFileWriter open(OutputStream out, FileHeader header) {
    return new TransitFileWriter(out, header);
  }

  /**
   * The header for {@code records}: their count and the sum of their fares.
   *
   * @throws ProtocolException when a record's fare is not in {@code currency}
   */
  public static FileHeader headerFor(FileKind kind, PartyId sender, PartyId receiver, LocalDate businessDate,
      long sequence, CurrencyUnit currency, Iterable<TransitRecord> records) {
    long count = 0;
    long total = 0;
    for (TransitRecord record : records) {
      requireCurrency(record, currency);
      total = Math.addExact(total, record.fare().amountMinor());
      count++;
    }
    return new FileHeader(kind, sender, receiver, businessDate, sequence, count, currency, total);
  }

  /** Writes a whole file: header, records, trailer. */
  public static void writeAll(OutputStream out, FileHeader header, Iterable<TransitRecord> records) {
    TransitFileWriter writer = open(out, header);
    for (TransitRecord record : records) {
      writer.append(record);
    }
    writer.finish();
  }

  /** Writes a switch → issuer clearing file. */
  public static void writeClearingFile(OutputStream out, PartyId sender, CurrencyUnit currency, ClearingFile file) {
    writeAll(out, headerFor(FileKind.CLEARING, sender, file.issuer(), file.businessDate(), file.sequence(), currency,
        file.records()), file.records());
  }

  /**
   * Appends one record line.
   *
   * @throws ProtocolException when the fare is in another currency than the header's or the records
   *     pass the header's count
   */
  public void append(TransitRecord record) {
    requireCurrency(record, header.currency());
    if (frame.bodyLines() == header.recordCount()) {
      throw new ProtocolException("file header announces " + header.recordCount() + " records; one more was appended");
    }
    totalMinor = Math.addExact(totalMinor, record.fare().amountMinor());
    TransitRecordLine.encode(frame.line(), record, date(record.businessDate()));
    frame.endLine();
  }

  /**
   * Writes the trailer and flushes.
   *
   * @throws ProtocolException when the records appended do not match the header's count and total
   */
  public void finish() {
    if (frame.bodyLines() != header.recordCount() || totalMinor != header.totalMinor()) {
      throw new ProtocolException("file header announces " + header.recordCount() + " records totalling "
          + header.totalMinor() + ", appended " + frame.bodyLines() + " totalling " + totalMinor);
    }
    frame.finish();
  }

  /** A file is about one day: format the date once, not per record. */
  private String date(LocalDate date) {
    if (!date.equals(lastDate)) {
      lastDateText = FramedFileWriter.date(date);
      lastDate = date;
    }
    return lastDateText;
  }

  private static void requireCurrency(TransitRecord record, CurrencyUnit currency) {
    if (!record.fare().currency().equals(currency)) {
      throw new ProtocolException("record " + record.id() + ": fare is in " + record.fare().currency()
          + ", the file in " + currency);
    }
  }
}
