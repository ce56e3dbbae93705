package io.iotpay.protocol.file;

import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.ProtocolException;
import java.time.LocalDate;

/**
 * The first line of every file (docs/clearing-files.md §2).
 *
 * @param kind what the file carries
 * @param sender the party that wrote it
 * @param receiver the party it is for
 * @param businessDate day T the file is about
 * @param sequence the sender's file number for this kind and receiver, from 1 (a deny list: its version)
 * @param recordCount how many body records follow
 * @param currency the currency of every amount in the file
 * @param totalMinor the control total: the sum of the records' amounts (see each kind's definition)
 */
public record FileHeader(
    FileKind kind,
    PartyId sender,
    PartyId receiver,
    LocalDate businessDate,
    long sequence,
    long recordCount,
    CurrencyUnit currency,
    long totalMinor) {
  /** The only format version this code writes and reads. */
  public static final int VERSION = 1;
  /** The header's first two fields: the record tag and the format's magic name. */
  static final String MAGIC = "IOTPAY-FILE";

  /** @throws ProtocolException when a field is missing or out of range */
  public FileHeader {
    if (kind == null || sender == null || receiver == null || businessDate == null || currency == null) {
      throw new ProtocolException("file header: kind, sender, receiver, business date and currency are required");
    }
    if (sequence < 1) {
      throw new ProtocolException("file header: sequence " + sequence + " is below 1");
    }
    if (recordCount < 0) {
      throw new ProtocolException("file header: record count " + recordCount + " is negative");
    }
  }
}
