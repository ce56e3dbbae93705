package io.iotpay.issuer.credit;

import java.time.LocalDate;
import java.util.Objects;

/**
 * The online part of a split payment that failed definitively (the POS, as the cardholder's agent,
 * could debit neither the online account nor the linked bank account), and how it was settled: it
 * becomes debt, recovered at a later load.
 *
 * @param partId the issuer's id of the online part, positive, unique per cardholder
 * @param failedOn the business date it failed definitively, not null
 * @param amountMinor the amount owed, minor units, 1..{@link DailyFacts#AMOUNT_MINOR_MAX}
 * @param recoveredOn the business date the debt was recovered, or null while it is outstanding;
 *     never before {@code failedOn}
 * @throws CreditInputException naming the field out of range
 */
public record FailedOnlinePart(long partId, LocalDate failedOn, long amountMinor, LocalDate recoveredOn) {
  public FailedOnlinePart {
    Objects.requireNonNull(failedOn, "failedOn");
    DailyFacts.requireRange("partId", partId, 1, Long.MAX_VALUE);
    DailyFacts.requireRange("amountMinor", amountMinor, 1, DailyFacts.AMOUNT_MINOR_MAX);
    if (recoveredOn != null && recoveredOn.isBefore(failedOn)) {
      throw new CreditInputException("online part " + partId + " recovered on " + recoveredOn + ", before it failed on "
          + failedOn);
    }
  }

  /** True when the debt was recovered on or before {@code asOf}. */
  public boolean recoveredBy(LocalDate asOf) {
    return recoveredOn != null && !recoveredOn.isAfter(asOf);
  }

  /** The same part, recovered on {@code date}. */
  public FailedOnlinePart recovered(LocalDate date) {
    return new FailedOnlinePart(partId, failedOn, amountMinor, date);
  }
}
