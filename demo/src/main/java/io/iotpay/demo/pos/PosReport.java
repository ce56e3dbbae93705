package io.iotpay.demo.pos;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one run of the POS demo found, every figure read back from a party's records at the end
 * (docs/demo-pos.md says which record each comes from). Amounts are CNY minor units.
 */
public record PosReport(
    int merchants,
    int days,
    long seed,
    int cardholders,
    long transactions,
    long approved,
    long declined,
    long otherOutcomes,
    Map<String, Long> outcomes,
    long standIn,
    long reversals,
    long refunds,
    long scriptsApplied,
    long duplicates,
    long lateAnswers,
    long advicesDelivered,
    long lostResponses,
    long qrMpm,
    long qrCpm,
    long qrMpmSettledMinor,
    long qrMpmPaidOutMinor,
    long pinVerified,
    long pinFailed,
    long hanging,
    Map<String, Long> hangingByKind,
    long merchantsPaidMinor,
    long mdrMinor,
    long cardholdersDebitedMinor,
    long standInExposureMinor,
    long inFlightMinor,
    Map<String, Long> inFlight,
    long settledByIssuersMinor,
    long settledToAcquirerMinor,
    boolean booksBalanced,
    boolean auditVerified,
    String auditDetail,
    boolean conserved,
    Map<String, Boolean> checks,
    List<String> notes,
    PhoneFigures phones) {

  /** Exit 0 only when nothing hangs, every book balances, every audit log verifies and money is conserved. */
  public boolean ok() {
    return hanging == 0 && booksBalanced && auditVerified && conserved;
  }

  /** The JSON object of {@code --json}. */
  public Map<String, Object> toJson() {
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("merchants", merchants);
    j.put("days", days);
    j.put("seed", seed);
    j.put("cardholders", cardholders);
    j.put("transactions", transactions);
    j.put("approved", approved);
    j.put("declined", declined);
    j.put("other_outcomes", otherOutcomes);
    j.put("outcomes", outcomes);
    j.put("stand_in", standIn);
    j.put("reversals", reversals);
    j.put("refunds", refunds);
    j.put("scripts_applied", scriptsApplied);
    j.put("duplicates", duplicates);
    j.put("late_answers", lateAnswers);
    j.put("advices_delivered", advicesDelivered);
    j.put("lost_responses", lostResponses);
    j.put("qr_mpm", qrMpm);
    j.put("qr_cpm", qrCpm);
    j.put("qr_mpm_settled_minor", qrMpmSettledMinor);
    j.put("qr_mpm_paid_out_minor", qrMpmPaidOutMinor);
    j.put("pin_verified", pinVerified);
    j.put("pin_failed", pinFailed);
    j.put("hanging", hanging);
    j.put("hanging_by_kind", hangingByKind);
    j.put("merchants_paid_minor", merchantsPaidMinor);
    j.put("mdr_minor", mdrMinor);
    j.put("cardholders_debited_minor", cardholdersDebitedMinor);
    j.put("stand_in_exposure_minor", standInExposureMinor);
    j.put("in_flight_minor", inFlightMinor);
    j.put("in_flight", inFlight);
    j.put("settled_by_issuers_minor", settledByIssuersMinor);
    j.put("settled_to_acquirer_minor", settledToAcquirerMinor);
    j.put("books_balanced", booksBalanced);
    j.put("audit_verified", auditVerified);
    j.put("audit_detail", auditDetail);
    j.put("conserved", conserved);
    j.put("checks", checks);
    j.putAll(phones.toJson());
    j.put("notes", notes);
    j.put("ok", ok());
    return j;
  }
}
