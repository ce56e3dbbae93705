package io.iotpay.protocol.file;

import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.protocol.Pan;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.ProtocolException;
import io.iotpay.protocol.transit.DenyList;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.LocalDate;
import java.util.TreeSet;

/**
 * The deny list file (docs/clearing-files.md §5): the header's sequence is the list's version, one
 * {@code D} line per PAN in ascending order. The sender is the issuer that published it.
 */
public final class DenyListFile {
  private DenyListFile() {}

  /**
   * A read list with the header it came with (its receiver and date).
   *
   * @param header the file's header
   * @param denyList the list
   */
  public record Read(FileHeader header, DenyList denyList) {}

  /** Writes {@code list} for {@code receiver}, dated {@code businessDate}. */
  public static void write(OutputStream out, PartyId receiver, LocalDate businessDate, DenyList list) {
    FileHeader header = new FileHeader(FileKind.DENY_LIST, list.issuer(), receiver, businessDate, list.version(),
        list.pans().size(), CurrencyUnit.CNY, 0);
    FramedFileWriter frame = new FramedFileWriter(out, header);
    for (Pan pan : list.pans()) {
      frame.line().text("D").separator().text(pan.digits());
      frame.endLine();
    }
    frame.finish();
  }

  /**
   * Reads a deny list file.
   *
   * @throws ProtocolException on any defect, naming line and field; PANs out of order or repeated included
   */
  public static Read read(InputStream in, FileLimits limits) {
    FileLimits bounded = new FileLimits(limits.lineBytesMax(), Math.min(limits.recordsMax(), DenyList.PANS_MAX));
    FramedFileReader frame = new FramedFileReader(in, bounded, FileKind.DENY_LIST);
    FileHeader header = frame.header();
    if (header.totalMinor() != 0) {
      throw new ProtocolException("line 1, field 'total': a deny list's total is 0, got " + header.totalMinor());
    }
    TreeSet<Pan> pans = new TreeSet<>();
    Pan previous = null;
    while (frame.next()) {
      FieldCursor f = frame.fields("D", 2, "deny list");
      Pan pan;
      try {
        pan = Pan.of(f.text(1, "PAN", Pan.DIGITS_MAX));
      } catch (ProtocolException e) {
        throw f.field("PAN", e.getMessage());
      }
      if (previous != null && pan.compareTo(previous) <= 0) {
        throw f.field("PAN", "not in strictly ascending order");
      }
      pans.add(pan);
      previous = pan;
    }
    return new Read(header, new DenyList(header.sender(), header.sequence(), pans));
  }
}
