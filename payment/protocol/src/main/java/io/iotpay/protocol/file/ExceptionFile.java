package io.iotpay.protocol.file;

import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.protocol.Pan;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.ProtocolException;
import io.iotpay.protocol.transit.ExceptionReason;
import io.iotpay.protocol.transit.ExceptionStage;
import io.iotpay.protocol.transit.RecordId;
import io.iotpay.protocol.transit.TransitException;
import io.iotpay.protocol.transit.TransitRecord.CardTransactionKey;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * The exception file (docs/clearing-files.md §11): chargebacks an issuer raises against cleared
 * records, re-presentments an operator answers with, and the switch's notices of both to the other
 * side. One {@code X} line per dispute step:
 * {@code X|stage|reason|operator|business date|terminal|record sequence|PAN|PAN sequence|ATC|fare|evidence};
 * the header's total is the sum of the fares.
 */
public final class ExceptionFile {
  /** Lines per file at most; bounds what a reader keeps in memory. */
  public static final int EXCEPTIONS_MAX = 100_000;
  private static final int FIELDS = 12;

  private ExceptionFile() {}

  /**
   * A read file with the header it came with.
   *
   * @param header the file's header (its sender says who raised the lines)
   * @param exceptions the lines, in file order
   */
  public record Read(FileHeader header, List<TransitException> exceptions) {
    public Read {
      exceptions = List.copyOf(exceptions);
    }
  }

  /**
   * Writes {@code exceptions} from {@code sender} to {@code receiver}.
   *
   * @return the header written
   * @throws ProtocolException when there are more than {@link #EXCEPTIONS_MAX} lines
   */
  public static FileHeader write(OutputStream out, PartyId sender, PartyId receiver, LocalDate businessDate,
      long sequence, CurrencyUnit currency, List<TransitException> exceptions) {
    if (exceptions.size() > EXCEPTIONS_MAX) {
      throw new ProtocolException("exception file has " + exceptions.size() + " lines, more than " + EXCEPTIONS_MAX);
    }
    long totalMinor = 0;
    for (TransitException exception : exceptions) {
      totalMinor = Math.addExact(totalMinor, exception.fareMinor());
    }
    FileHeader header = new FileHeader(FileKind.EXCEPTION, sender, receiver, businessDate, sequence,
        exceptions.size(), currency, totalMinor);
    FramedFileWriter frame = new FramedFileWriter(out, header);
    for (TransitException e : exceptions) {
      frame.line().text("X").separator().text(e.stage().name()).separator().text(e.reason().name()).separator()
          .text(e.operator().value()).separator().text(FramedFileWriter.date(e.businessDate())).separator()
          .text(e.recordId().terminalId()).separator().number(e.recordId().sequence()).separator()
          .text(e.key().pan().digits()).separator().number(e.key().panSequence()).separator()
          .number(e.key().atc()).separator().number(e.fareMinor()).separator().text(e.evidence());
      frame.endLine();
    }
    frame.finish();
    return header;
  }

  /**
   * Reads an exception file.
   *
   * @throws ProtocolException on any defect (naming line and field), or a total that does not match the fares
   */
  public static Read read(InputStream in, FileLimits limits) {
    FileLimits bounded = new FileLimits(limits.lineBytesMax(), Math.min(limits.recordsMax(), EXCEPTIONS_MAX));
    FramedFileReader frame = new FramedFileReader(in, bounded, FileKind.EXCEPTION);
    FileHeader header = frame.header();
    List<TransitException> exceptions = new ArrayList<>();
    long totalMinor = 0;
    while (frame.next()) {
      FieldCursor f = frame.fields("X", FIELDS, "exception");
      TransitException exception = line(f);
      exceptions.add(exception);
      totalMinor += exception.fareMinor(); // bounded: EXCEPTIONS_MAX fares of at most FARE_MINOR_MAX
    }
    if (totalMinor != header.totalMinor()) {
      throw new ProtocolException("exception file: header total " + header.totalMinor()
          + " does not match the fares' sum " + totalMinor);
    }
    return new Read(header, exceptions);
  }

  private static TransitException line(FieldCursor f) {
    ExceptionStage stage = named(ExceptionStage.class, f, 1, "stage");
    ExceptionReason reason = named(ExceptionReason.class, f, 2, "reason");
    String operator = f.text(3, "operator", 16);
    LocalDate date = f.date(4, "business date");
    String terminal = f.text(5, "terminal", 16);
    long sequence = f.number(6, "record sequence", 1, Long.MAX_VALUE);
    String pan = f.text(7, "PAN", Pan.DIGITS_MAX);
    int panSequence = (int) f.number(8, "PAN sequence", 0, 99);
    int atc = (int) f.number(9, "ATC", 0, 0xFFFF);
    long fare = f.number(10, "fare", 0, TransitException.FARE_MINOR_MAX);
    String evidence = f.text(11, "evidence", TransitException.EVIDENCE_CHARS_MAX);
    try {
      return new TransitException(stage, reason, PartyId.of(operator), date, new RecordId(terminal, sequence),
          new CardTransactionKey(Pan.of(pan), panSequence, atc), fare, evidence);
    } catch (ProtocolException e) {
      throw f.fail(e.getMessage());
    }
  }

  private static <E extends Enum<E>> E named(Class<E> type, FieldCursor f, int index, String name) {
    String text = f.text(index, name, 32);
    for (E constant : type.getEnumConstants()) {
      if (constant.name().equals(text)) {
        return constant;
      }
    }
    throw f.field(name, "'" + text + "' is not a known " + name);
  }
}
