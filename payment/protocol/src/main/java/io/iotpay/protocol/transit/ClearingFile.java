package io.iotpay.protocol.transit;

import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.ProtocolException;
import java.time.LocalDate;
import java.util.List;

/**
 * What the switch sends an issuer after settling day T: every transaction on its cards, routed by
 * card range, de-duplicated across files and re-uploads.
 *
 * @param issuer the receiving issuer
 * @param businessDate day T
 * @param sequence the switch's file number for this issuer, from 1
 * @param records the transactions, each once
 */
public record ClearingFile(PartyId issuer, LocalDate businessDate, long sequence, List<TransitRecord> records) {
  public ClearingFile {
    if (issuer == null || businessDate == null || records == null) {
      throw new ProtocolException("clearing file: issuer, business date and records are required");
    }
    if (sequence < 1) {
      throw new ProtocolException("clearing file for " + issuer + ": sequence " + sequence + " is below 1");
    }
    records = List.copyOf(records);
  }
}
