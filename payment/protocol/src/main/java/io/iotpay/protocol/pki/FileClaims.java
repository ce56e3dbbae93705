package io.iotpay.protocol.pki;

import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.ProtocolException;
import io.iotpay.protocol.file.FileHeader;
import io.iotpay.protocol.file.FileKind;
import java.time.LocalDate;

/**
 * What a signature says about the file it signs, so the receiver can check sender, role, receiver and
 * replay before reading a byte of the file: the header fields that identify it, and its exact length.
 *
 * @param kind the file's kind
 * @param sender the header's sender
 * @param receiver the header's receiver
 * @param businessDate the header's business date (certificates are checked at this date)
 * @param sequence the header's sequence (a deny list: its version), from 1
 * @param lengthBytes the file's exact length in bytes
 */
public record FileClaims(FileKind kind, PartyId sender, PartyId receiver, LocalDate businessDate, long sequence,
    long lengthBytes) {
  /** @throws ProtocolException when a field is missing or out of range */
  public FileClaims {
    if (kind == null || sender == null || receiver == null || businessDate == null) {
      throw new ProtocolException("signed file claims: kind, sender, receiver and business date are required");
    }
    if (sequence < 1 || lengthBytes < 0) {
      throw new ProtocolException("signed file claims: sequence " + sequence + " or length " + lengthBytes + " out of range");
    }
  }

  /** The claims of a file with {@code header} and {@code lengthBytes} bytes. */
  public static FileClaims of(FileHeader header, long lengthBytes) {
    return new FileClaims(header.kind(), header.sender(), header.receiver(), header.businessDate(), header.sequence(),
        lengthBytes);
  }

  /** True when {@code header} names the same kind, sender, receiver, business date and sequence. */
  public boolean matches(FileHeader header) {
    return header.kind() == kind && header.sender().equals(sender) && header.receiver().equals(receiver)
        && header.businessDate().equals(businessDate) && header.sequence() == sequence;
  }
}
