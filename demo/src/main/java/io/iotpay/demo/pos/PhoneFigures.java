package io.iotpay.demo.pos;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The onboarding and phone figures of the report, each read from the acquirer's records: its
 * registry ({@code pos_merchant}, {@code pos_terminal}, the audited {@code pos_event} history) and
 * terminal risk sensing's log of verdicts ({@code risk_event}).
 *
 * @param merchantsActivated merchants ever activated (a suspended one was activated)
 * @param attestationFailures attestation verdicts other than APPROVE
 * @param phonePayments the phones' payments that reached the POS kernel (their journals' FINAL entries)
 */
public record PhoneFigures(long merchantsRegistered, long merchantsActivated, long merchantsRejected, long merchantsSuspended,
    long terminalsBlocked, long attestationFailures, long phonePayments) {

  static PhoneFigures read(AcquirerNode acquirer, long phonePayments) {
    return new PhoneFigures(
        acquirer.registryCount("SELECT COUNT(*) FROM pos_merchant"),
        acquirer.registryCount("SELECT COUNT(DISTINCT subject_id) FROM pos_event WHERE subject_kind = 'MERCHANT'"
            + " AND to_state = 'ACTIVATED'"),
        acquirer.registryCount("SELECT COUNT(*) FROM pos_merchant WHERE state = 'REJECTED'"),
        acquirer.registryCount("SELECT COUNT(*) FROM pos_merchant WHERE state = 'SUSPENDED'"),
        acquirer.registryCount("SELECT COUNT(*) FROM pos_terminal WHERE state = 'BLOCKED'"),
        acquirer.riskCount("SELECT COUNT(*) FROM risk_event WHERE stage = 'ATTESTATION' AND outcome <> 'APPROVE'"),
        phonePayments);
  }

  public Map<String, Object> toJson() {
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("merchants_registered", merchantsRegistered);
    j.put("merchants_activated", merchantsActivated);
    j.put("merchants_rejected", merchantsRejected);
    j.put("merchants_suspended", merchantsSuspended);
    j.put("terminals_blocked", terminalsBlocked);
    j.put("attestation_failures", attestationFailures);
    j.put("phone_payments", phonePayments);
    return j;
  }
}
