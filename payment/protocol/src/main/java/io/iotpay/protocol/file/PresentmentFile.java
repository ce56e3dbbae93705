package io.iotpay.protocol.file;

import static io.iotpay.protocol.file.PresentmentFileException.Reason.DUPLICATE_RECORD;
import static io.iotpay.protocol.file.PresentmentFileException.Reason.MALFORMED;
import static io.iotpay.protocol.file.PresentmentFileException.Reason.WRONG_COUNT;
import static io.iotpay.protocol.file.PresentmentFileException.Reason.WRONG_TOTAL;

import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.protocol.Pan;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.ProtocolException;
import io.iotpay.protocol.iso8583.MonthDayTime;
import io.iotpay.protocol.iso8583.Mti;
import io.iotpay.protocol.iso8583.OriginalData;
import io.iotpay.protocol.online.Presentment;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * The presentment file (docs/clearing-files.md §10): online card captures and refunds of one business
 * day, acquirer → switch (the acquirer's day) and switch → issuer (that issuer's presentments from
 * every acquirer). The shared frame (header, records, SHA-256 trailer); the first body line is the
 * summary {@code S|captures|capture total|refunds|refund total}, then one {@code P} line per
 * presentment. The header's total is captures + refunds. Every presentment is in the header's
 * currency and of its business day.
 */
public final class PresentmentFile {
  /** A file holds at most this many presentments; bounds what a reader keeps in memory. */
  public static final int PRESENTMENTS_MAX = 1_000_000;
  private static final int P_FIELDS = 15;
  private static final HexFormat HEX = HexFormat.of().withUpperCase();

  private PresentmentFile() {}

  /**
   * A read file.
   *
   * @param header the file's header
   * @param presentments the records in file order
   * @param capturesMinor the captures' total
   * @param refundsMinor the refunds' total
   */
  public record Read(FileHeader header, List<Presentment> presentments, long capturesMinor, long refundsMinor) {
    public Read {
      presentments = List.copyOf(presentments);
    }
  }

  /**
   * Writes {@code presentments} of {@code businessDate} from {@code sender} to {@code receiver}.
   *
   * @throws ProtocolException when a presentment is of another day or currency, an id repeats, or
   *     there are more than {@link #PRESENTMENTS_MAX}
   */
  public static void write(OutputStream out, PartyId sender, PartyId receiver, LocalDate businessDate, long sequence,
      CurrencyUnit currency, List<Presentment> presentments) {
    if (presentments.size() > PRESENTMENTS_MAX) {
      throw new ProtocolException("presentment file: " + presentments.size() + " presentments, more than "
          + PRESENTMENTS_MAX);
    }
    long captures = 0;
    long captureMinor = 0;
    long refundMinor = 0;
    Set<String> ids = new HashSet<>();
    for (Presentment p : presentments) {
      if (!p.businessDate().equals(businessDate) || !p.currency().equals(currency)) {
        throw new ProtocolException("presentment file: " + p.presentmentId() + " is not of " + businessDate + " in "
            + currency);
      }
      if (!ids.add(p.acquirer().value() + "|" + p.presentmentId())) {
        throw new ProtocolException("presentment file: " + p.presentmentId() + " of " + p.acquirer() + " twice");
      }
      if (p.kind() == Presentment.Kind.CAPTURE) {
        captures++;
        captureMinor = Math.addExact(captureMinor, p.amountMinor());
      } else {
        refundMinor = Math.addExact(refundMinor, p.amountMinor());
      }
    }
    FileHeader header = new FileHeader(FileKind.PRESENTMENT, sender, receiver, businessDate, sequence,
        presentments.size() + 1L, currency, Math.addExact(captureMinor, refundMinor));
    FramedFileWriter frame = new FramedFileWriter(out, header);
    frame.line().text("S").separator().number(captures).separator().number(captureMinor).separator()
        .number(presentments.size() - captures).separator().number(refundMinor);
    frame.endLine();
    for (Presentment p : presentments) {
      OriginalData o = p.original();
      frame.line().text("P").separator().text(p.presentmentId()).separator()
          .text(p.kind() == Presentment.Kind.CAPTURE ? "C" : "R").separator().text(p.acquirer().value()).separator()
          .text(o.mti().code()).separator().number(o.stan()).separator().text(o.transmittedAt().field7()).separator()
          .text(o.acquirerId()).separator().text(o.forwardingId()).separator().text(hex(p.rrn())).separator()
          .text(hex(p.terminalId())).separator().text(hex(p.merchantId())).separator().text(p.pan().digits())
          .separator().number(p.amountMinor()).separator().text(hex(p.approvalCode()));
      frame.endLine();
    }
    frame.finish();
  }

  /**
   * Reads a presentment file, holding at most {@link #PRESENTMENTS_MAX} records (and {@code
   * limits}' bounds).
   *
   * @throws PresentmentFileException on any defect, with its reason: malformed, truncated, checksum,
   *     a count or total that does not match, the same presentment twice, too many records
   */
  public static Read read(InputStream in, FileLimits limits) {
    try {
      return readFrame(in, limits);
    } catch (PresentmentFileException e) {
      throw e;
    } catch (ProtocolException e) {
      throw PresentmentFileException.of(e);
    }
  }

  private static Read readFrame(InputStream in, FileLimits limits) {
    FileLimits bounded = new FileLimits(limits.lineBytesMax(), Math.min(limits.recordsMax(), PRESENTMENTS_MAX + 1L));
    FramedFileReader frame = new FramedFileReader(in, bounded, FileKind.PRESENTMENT);
    FileHeader header = frame.header();
    if (!frame.next()) {
      throw new PresentmentFileException(WRONG_COUNT, "line " + frame.lineNumber() + ": a presentment file needs its S line");
    }
    FieldCursor s = frame.fields("S", 5, "summary");
    long captures = s.number(1, "captures", 0, PRESENTMENTS_MAX);
    long captureTotal = s.number(2, "capture total", 0, Long.MAX_VALUE);
    long refunds = s.number(3, "refunds", 0, PRESENTMENTS_MAX);
    long refundTotal = s.number(4, "refund total", 0, Long.MAX_VALUE);
    List<Presentment> presentments = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    long capturesSeen = 0;
    long captureMinor = 0;
    long refundMinor = 0;
    while (frame.next()) {
      Presentment p = presentment(frame.fields("P", P_FIELDS, "presentment"), header);
      if (!ids.add(p.acquirer().value() + "|" + p.presentmentId())) {
        throw new PresentmentFileException(DUPLICATE_RECORD, "line " + frame.lineNumber() + ": presentment "
            + p.presentmentId() + " of " + p.acquirer() + " appears twice");
      }
      try {
        if (p.kind() == Presentment.Kind.CAPTURE) {
          capturesSeen++;
          captureMinor = Math.addExact(captureMinor, p.amountMinor());
        } else {
          refundMinor = Math.addExact(refundMinor, p.amountMinor());
        }
      } catch (ArithmeticException e) {
        throw new PresentmentFileException(WRONG_TOTAL, "line " + frame.lineNumber() + ": the amounts overflow");
      }
      presentments.add(p);
    }
    if (capturesSeen != captures || presentments.size() - capturesSeen != refunds) {
      throw new PresentmentFileException(WRONG_COUNT, "the summary announces " + captures + " captures and " + refunds
          + " refunds, the file has " + capturesSeen + " and " + (presentments.size() - capturesSeen));
    }
    if (captureMinor != captureTotal || refundMinor != refundTotal) {
      throw new PresentmentFileException(WRONG_TOTAL, "the summary's totals " + captureTotal + "/" + refundTotal
          + " do not match the records' " + captureMinor + "/" + refundMinor);
    }
    if (captureMinor > Long.MAX_VALUE - refundMinor || captureMinor + refundMinor != header.totalMinor()) {
      throw new PresentmentFileException(WRONG_TOTAL, "the header's total " + header.totalMinor()
          + " does not match the records' captures " + captureMinor + " and refunds " + refundMinor);
    }
    return new Read(header, presentments, captureMinor, refundMinor);
  }

  private static Presentment presentment(FieldCursor f, FileHeader header) {
    String id = f.text(1, "presentment id", 40);
    Presentment.Kind kind;
    if (f.is(2, "C")) {
      kind = Presentment.Kind.CAPTURE;
    } else if (f.is(2, "R")) {
      kind = Presentment.Kind.REFUND;
    } else {
      throw new PresentmentFileException(MALFORMED, "line " + f.lineNumber() + ", field 'kind': expected C or R");
    }
    try {
      PartyId acquirer = PartyId.of(f.text(3, "acquirer", 16));
      Mti mti;
      if (f.is(4, Mti.AUTHORISATION_REQUEST.code())) {
        mti = Mti.AUTHORISATION_REQUEST;
      } else if (f.is(4, Mti.FINANCIAL_REQUEST.code())) {
        mti = Mti.FINANCIAL_REQUEST;
      } else {
        throw f.field("original MTI", "must be 0100 or 0200");
      }
      OriginalData original = new OriginalData(mti, (int) f.number(5, "original STAN", 1, 999_999),
          MonthDayTime.parseField7(f.text(6, "original date-time", 10)), f.text(7, "original acquirer id", 11),
          f.text(8, "original forwarding id", 11));
      return new Presentment(id, kind, acquirer, original, text(f, 9, "rrn", 12), text(f, 10, "terminal id", 8),
          text(f, 11, "merchant id", 15), Pan.of(f.text(12, "pan", Pan.DIGITS_MAX)),
          f.number(13, "amount", 1, Long.MAX_VALUE), header.currency(), text(f, 14, "approval code", 6),
          header.businessDate());
    } catch (PresentmentFileException e) {
      throw e;
    } catch (ProtocolException e) {
      throw new PresentmentFileException(MALFORMED, f.fail(e.getMessage()));
    }
  }

  /** A text field written as the hex of its ASCII bytes (it may hold spaces, which the frame does not carry). */
  private static String text(FieldCursor f, int index, String name, int chars) {
    byte[] bytes = f.hex(index, name, chars);
    if (bytes.length != chars) {
      throw f.field(name, "must be " + chars + " characters");
    }
    return new String(bytes, StandardCharsets.US_ASCII);
  }

  private static String hex(String ascii) {
    return HEX.formatHex(ascii.getBytes(StandardCharsets.US_ASCII));
  }
}
