package io.iotpay.protocol.file;

import io.iotpay.foundation.money.Money;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.ProtocolException;
import io.iotpay.protocol.settlement.NetPosition;
import io.iotpay.protocol.settlement.SettlementReport;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The settlement report file (docs/clearing-files.md §4): one {@code S} line with the number of
 * transactions settled, then one {@code P} line per participant's net position.
 */
public final class SettlementReportFile {
  /** A settlement has at most this many participants; bounds what a reader keeps in memory. */
  public static final int POSITIONS_MAX = 100_000;

  private SettlementReportFile() {}

  /**
   * A read report with the header it came with.
   *
   * @param header the file's header
   * @param report the settlement
   */
  public record Read(FileHeader header, SettlementReport report) {}

  /**
   * Writes {@code report} from {@code sender} to {@code receiver}.
   *
   * @throws ProtocolException when the report has more than {@link #POSITIONS_MAX} positions
   */
  public static void write(OutputStream out, PartyId sender, PartyId receiver, long sequence, SettlementReport report) {
    if (report.positions().size() > POSITIONS_MAX) {
      throw new ProtocolException("settlement report has " + report.positions().size() + " positions, more than "
          + POSITIONS_MAX);
    }
    long grossMinor = 0;
    for (NetPosition position : report.positions()) {
      grossMinor = addGross(grossMinor, position.net().amountMinor(), null);
    }
    FileHeader header = new FileHeader(FileKind.SETTLEMENT, sender, receiver, report.businessDate(), sequence,
        report.positions().size() + 1L, report.currency(), grossMinor);
    FramedFileWriter frame = new FramedFileWriter(out, header);
    frame.line().text("S").separator().number(report.recordsSettled());
    frame.endLine();
    for (NetPosition position : report.positions()) {
      frame.line().text("P").separator().text(position.party().value()).separator().number(position.net().amountMinor());
      frame.endLine();
    }
    frame.finish();
  }

  /**
   * Reads a settlement report file.
   *
   * @throws ProtocolException on any defect (naming line and field), a gross total that does not
   *     match, or positions that do not sum to zero
   */
  public static Read read(InputStream in, FileLimits limits) {
    FileLimits bounded = new FileLimits(limits.lineBytesMax(), Math.min(limits.recordsMax(), POSITIONS_MAX + 1L));
    FramedFileReader frame = new FramedFileReader(in, bounded, FileKind.SETTLEMENT);
    FileHeader header = frame.header();
    if (!frame.next()) {
      throw new ProtocolException("line " + frame.lineNumber() + ": a settlement file needs its S line");
    }
    long recordsSettled = frame.fields("S", 2, "records settled").number(1, "records settled", 0, Long.MAX_VALUE);
    List<NetPosition> positions = new ArrayList<>();
    long grossMinor = 0;
    while (frame.next()) {
      FieldCursor f = frame.fields("P", 3, "position");
      String party = f.text(1, "party", 16);
      long netMinor = f.number(2, "net");
      try {
        positions.add(new NetPosition(PartyId.of(party), Money.ofMinor(netMinor, header.currency())));
      } catch (ProtocolException e) {
        throw f.field("party", e.getMessage());
      }
      grossMinor = addGross(grossMinor, netMinor, f);
    }
    if (grossMinor != header.totalMinor()) {
      throw new ProtocolException("settlement file: header total " + header.totalMinor()
          + " does not match the positions' gross " + grossMinor);
    }
    return new Read(header, new SettlementReport(header.businessDate(), header.currency(), positions, recordsSettled));
  }

  private static long addGross(long grossMinor, long netMinor, FieldCursor at) {
    try {
      return Math.addExact(grossMinor, Math.max(0, netMinor));
    } catch (ArithmeticException e) {
      String where = at == null ? "settlement report" : "line " + at.lineNumber();
      throw new ProtocolException(where + ": the gross of the positive positions overflows");
    }
  }
}
