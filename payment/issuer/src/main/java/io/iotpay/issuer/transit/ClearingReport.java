package io.iotpay.issuer.transit;

import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.transit.RecordId;
import io.iotpay.protocol.transit.TransitRecord.CardTransactionKey;
import java.time.LocalDate;
import java.util.List;

/**
 * What the issuer did with one clearing file.
 *
 * @param accepted records whose TAC verified and that were booked (entries, and exits debited)
 * @param debitedMinor fares debited from riders' accounts
 * @param arrearsMinor fares the issuer owes the switch but could not debit (booked to arrears)
 * @param refusals every record not debited, with its reason
 * @param denyListVersion the deny list's version after the file
 */
public record ClearingReport(PartyId issuer, LocalDate businessDate, long sequence, int accepted, long debitedMinor,
    long arrearsMinor, List<Refusal> refusals, long denyListVersion) {
  public ClearingReport {
    refusals = List.copyOf(refusals);
  }

  /** One record not debited; {@code key}'s PAN prints masked. */
  public record Refusal(RecordId recordId, CardTransactionKey key, RefusalReason reason, String detail) {}
}
