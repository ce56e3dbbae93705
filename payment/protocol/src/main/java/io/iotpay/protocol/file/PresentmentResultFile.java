package io.iotpay.protocol.file;

import static io.iotpay.protocol.file.PresentmentFileException.Reason.DUPLICATE_RECORD;
import static io.iotpay.protocol.file.PresentmentFileException.Reason.MALFORMED;
import static io.iotpay.protocol.file.PresentmentFileException.Reason.WRONG_TOTAL;

import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.ProtocolException;
import io.iotpay.protocol.online.PresentmentResult;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The presentment result file (docs/clearing-files.md §10): switch → acquirer (what the switch did
 * with each presentment of a file) and issuer → switch (what the issuer did). The shared frame; one
 * {@code R|acquirer|presentment id|status|amount} line per presentment; the header's total is the
 * sum of the amounts.
 */
public final class PresentmentResultFile {
  private PresentmentResultFile() {}

  /**
   * A read file.
   *
   * @param header the file's header
   * @param results the results in file order
   */
  public record Read(FileHeader header, List<PresentmentResult> results) {
    public Read {
      results = List.copyOf(results);
    }
  }

  /** @throws ProtocolException when a presentment repeats or there are more than {@link PresentmentFile#PRESENTMENTS_MAX} */
  public static void write(OutputStream out, PartyId sender, PartyId receiver, LocalDate businessDate, long sequence,
      CurrencyUnit currency, List<PresentmentResult> results) {
    if (results.size() > PresentmentFile.PRESENTMENTS_MAX) {
      throw new ProtocolException("presentment result file: more than " + PresentmentFile.PRESENTMENTS_MAX + " results");
    }
    long totalMinor = 0;
    Set<String> ids = new HashSet<>();
    for (PresentmentResult r : results) {
      if (!ids.add(r.acquirer().value() + "|" + r.presentmentId())) {
        throw new ProtocolException("presentment result file: " + r.presentmentId() + " of " + r.acquirer() + " twice");
      }
      totalMinor = Math.addExact(totalMinor, r.amountMinor());
    }
    FramedFileWriter frame = new FramedFileWriter(out, new FileHeader(FileKind.PRESENTMENT_RESULT, sender, receiver,
        businessDate, sequence, results.size(), currency, totalMinor));
    for (PresentmentResult r : results) {
      frame.line().text("R").separator().text(r.acquirer().value()).separator().text(r.presentmentId()).separator()
          .text(r.status().name()).separator().number(r.amountMinor());
      frame.endLine();
    }
    frame.finish();
  }

  /**
   * Reads a result file, holding at most {@link PresentmentFile#PRESENTMENTS_MAX} results.
   *
   * @throws PresentmentFileException on any defect, with its reason
   */
  public static Read read(InputStream in, FileLimits limits) {
    try {
      FileLimits bounded = new FileLimits(limits.lineBytesMax(),
          Math.min(limits.recordsMax(), PresentmentFile.PRESENTMENTS_MAX));
      FramedFileReader frame = new FramedFileReader(in, bounded, FileKind.PRESENTMENT_RESULT);
      List<PresentmentResult> results = new ArrayList<>();
      Set<String> ids = new HashSet<>();
      long totalMinor = 0;
      while (frame.next()) {
        FieldCursor f = frame.fields("R", 5, "result");
        PresentmentResult.Status status;
        try {
          status = PresentmentResult.Status.valueOf(f.text(3, "status", 24));
        } catch (IllegalArgumentException e) {
          throw new PresentmentFileException(MALFORMED, "line " + f.lineNumber() + ", field 'status': unknown status");
        }
        PresentmentResult r;
        try {
          r = new PresentmentResult(PartyId.of(f.text(1, "acquirer", 16)), f.text(2, "presentment id", 40), status,
              f.number(4, "amount", 1, Long.MAX_VALUE));
        } catch (PresentmentFileException e) {
          throw e;
        } catch (ProtocolException e) {
          throw new PresentmentFileException(MALFORMED, f.fail(e.getMessage()));
        }
        if (!ids.add(r.acquirer().value() + "|" + r.presentmentId())) {
          throw new PresentmentFileException(DUPLICATE_RECORD, "line " + f.lineNumber() + ": presentment "
              + r.presentmentId() + " of " + r.acquirer() + " appears twice");
        }
        if (totalMinor > Long.MAX_VALUE - r.amountMinor()) {
          throw new PresentmentFileException(WRONG_TOTAL, "line " + f.lineNumber() + ": the amounts overflow");
        }
        totalMinor += r.amountMinor();
        results.add(r);
      }
      if (totalMinor != frame.header().totalMinor()) {
        throw new PresentmentFileException(WRONG_TOTAL, "the header's total " + frame.header().totalMinor()
            + " does not match the results' " + totalMinor);
      }
      return new Read(frame.header(), results);
    } catch (PresentmentFileException e) {
      throw e;
    } catch (ProtocolException e) {
      throw PresentmentFileException.of(e);
    }
  }
}
