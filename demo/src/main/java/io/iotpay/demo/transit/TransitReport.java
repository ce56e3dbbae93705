package io.iotpay.demo.transit;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one run of the transit demo found. Amounts are CNY minor units.
 *
 * @param tapsIn entry gates that opened
 * @param tapsOut exit gates that opened
 * @param refusals gates that stayed shut, by reason (DENIED, LOW_QUOTA, ...)
 * @param faresMinor fares in the gates' journals, each card transaction once (de-duplicated on
 *     PAN, PSN, ATC)
 * @param faresOnCardsMinor quota consumed on the cards, read from the cards: quota pushed − quota
 *     left − amount still locked by open journeys
 * @param clearedMinor fares in the clearing files the switch sent the issuers
 * @param issuerDebitedMinor fares the issuers debited from riders' accounts
 * @param arrearsMinor fares the issuers owe but could not debit (riders then deny-listed)
 * @param riderDebitsInLedgerMinor what the riders' ledger accounts lost (deposits − balances)
 * @param operatorSettledMinor what the operators received in settlement
 * @param flashInjected taps torn by an injected fault
 * @param flashTornAfterCommit of those, taps where the card had committed a transaction the gate
 *     never journaled (the recoverable ones; the others tore before the card moved money)
 * @param flashRecovered card transactions present in the journals only as recovered copies
 * @param recoveredMatchesTorn true when the recovered card keys are exactly the torn-after-commit ones
 * @param operatorRefusedDuplicatesMinor fares of recovered copies an operator uploaded that the switch
 *     refused as duplicates: they stay on the operator's receivable for reconciliation
 * @param foreignRecoveredCopies recovered copies journaled at one operator's gate of a transaction
 *     taken at the other's, handed to the other (which uploads them; the switch refuses those whose
 *     original it has)
 * @param lateRecoveredCopies recovered copies of a transaction of an already settled day, uploaded late
 *     and refused by the switch as duplicates (the original was settled)
 * @param inFlight what is not yet settled, by kind (all 0 after the final night)
 * @param events counts of the scenario's rarer events (forgotten tap-outs, EXIT_INCOMPLETE records, ...)
 * @param counterfeitPresented counterfeit cards presented at entry gates ({@code --counterfeit-rate})
 * @param counterfeitRefused of those, the gates that stayed shut (from the gates' refusals)
 * @param checks each conservation equation and whether it held
 * @param disputes chargebacks, re-presentments and late presentments, from the parties' records
 * @param rates the fault rates the run was asked for (counterfeit, late, dispute)
 */
public record TransitReport(
    int riders,
    int days,
    long seed,
    double flashRate,
    int enabled,
    long tapsIn,
    long tapsOut,
    Map<String, Long> refusals,
    long faresMinor,
    long faresOnCardsMinor,
    long clearedMinor,
    long issuerDebitedMinor,
    long arrearsMinor,
    long riderDebitsInLedgerMinor,
    long operatorSettledMinor,
    int quotaRestores,
    long flashInjected,
    long flashTornAfterCommit,
    long flashRecovered,
    boolean recoveredMatchesTorn,
    int denyListed,
    long clearingRefusals,
    long switchRejections,
    long operatorRefusedDuplicatesMinor,
    long foreignRecoveredCopies,
    long lateRecoveredCopies,
    Map<String, Long> inFlight,
    Map<String, Long> events,
    long counterfeitPresented,
    long counterfeitRefused,
    Map<String, Boolean> checks,
    boolean booksBalanced,
    boolean auditVerified,
    String auditDetail,
    long auditLeaves,
    boolean conserved,
    List<String> notes,
    Disputes disputes,
    Rates rates) {
  /**
   * Disputes and late presentments, from the parties' own records.
   *
   * @param chargebacks chargebacks the switch accepted (each an issuer's refusal)
   * @param chargebacksMinor their fares, as charged back (the switch's records; the operators' notices agree)
   * @param representments re-presentments the switch accepted (corrected records, each once)
   * @param representmentsMinor the fares they claimed back
   * @param representmentsRefused second re-presentments of a record, refused by the operator's back office
   * @param chargebacksKeptMinor what is left on the operators' chargebacks accounts (their ledger):
   *     charged back − re-presented
   * @param misPriced records an operator uploaded with another fare than its gate journaled (its
   *     uploaded files against the gates' journals)
   * @param misPricedExcessMinor by how much those uploaded fares exceed the journaled ones
   * @param latePresentments records the switch accepted from files whose day had settled
   * @param latePresentedMinor their fares
   */
  public record Disputes(long chargebacks, long chargebacksMinor, long representments, long representmentsMinor,
      long representmentsRefused, long chargebacksKeptMinor, long misPriced, long misPricedExcessMinor,
      long latePresentments, long latePresentedMinor) {}

  /** The fault rates of the run: counterfeit cards, walked-away torn taps, back-office mis-pricing. */
  public record Rates(double counterfeit, double late, double dispute) {
    static Rates of(TransitSettings settings) {
      return new Rates(settings.counterfeitRate(), settings.lateRate(), settings.disputeRate());
    }
  }

  public TransitReport {
    refusals = Map.copyOf(refusals);
    inFlight = Map.copyOf(inFlight);
    events = Map.copyOf(events);
    checks = Map.copyOf(checks);
    notes = List.copyOf(notes);
  }

  /** This report with the audit verifier's verdict. */
  public TransitReport withAudit(boolean verified, String detail, long leaves) {
    return new TransitReport(riders, days, seed, flashRate, enabled, tapsIn, tapsOut, refusals, faresMinor,
        faresOnCardsMinor, clearedMinor, issuerDebitedMinor, arrearsMinor, riderDebitsInLedgerMinor,
        operatorSettledMinor, quotaRestores, flashInjected, flashTornAfterCommit, flashRecovered, recoveredMatchesTorn,
        denyListed, clearingRefusals, switchRejections, operatorRefusedDuplicatesMinor, foreignRecoveredCopies,
        lateRecoveredCopies, inFlight, events, counterfeitPresented, counterfeitRefused, checks, booksBalanced, verified,
        detail, leaves, conserved, notes, disputes, rates);
  }

  /** True when money was conserved, every book balances and the audit log verifies. */
  public boolean ok() {
    return conserved && booksBalanced && auditVerified;
  }

  /** Sum of the in-flight amounts. */
  public long inFlightMinor() {
    return inFlight.values().stream().mapToLong(Long::longValue).sum();
  }

  /** The one JSON object of {@code --json}, in a stable field order. */
  public Map<String, Object> toJson() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("riders", riders);
    out.put("days", days);
    out.put("seed", seed);
    out.put("flash_rate", flashRate);
    out.put("counterfeit_rate", rates.counterfeit());
    out.put("late_rate", rates.late());
    out.put("dispute_rate", rates.dispute());
    out.put("enabled", enabled);
    out.put("taps_in", tapsIn);
    out.put("taps_out", tapsOut);
    out.put("refused", new TreeMap<>(refusals));
    out.put("fares_minor", faresMinor);
    out.put("fares_on_cards_minor", faresOnCardsMinor);
    out.put("cleared_minor", clearedMinor);
    out.put("issuer_debited_minor", issuerDebitedMinor);
    out.put("arrears_minor", arrearsMinor);
    out.put("rider_debits_in_ledger_minor", riderDebitsInLedgerMinor);
    out.put("operator_settled_minor", operatorSettledMinor);
    out.put("quota_restores", quotaRestores);
    out.put("flash_injected", flashInjected);
    out.put("flash_torn_after_commit", flashTornAfterCommit);
    out.put("flash_recovered", flashRecovered);
    out.put("flash_recovered_matches_torn", recoveredMatchesTorn);
    out.put("deny_listed", denyListed);
    out.put("clearing_refusals", clearingRefusals);
    out.put("switch_rejections", switchRejections);
    out.put("operator_refused_duplicates_minor", operatorRefusedDuplicatesMinor);
    out.put("foreign_recovered_copies", foreignRecoveredCopies);
    out.put("late_recovered_copies", lateRecoveredCopies);
    out.put("in_flight_minor", inFlightMinor());
    out.put("in_flight", new TreeMap<>(inFlight));
    out.put("events", new TreeMap<>(events));
    out.put("counterfeit_presented", counterfeitPresented);
    out.put("counterfeit_refused", counterfeitRefused);
    out.put("checks", new TreeMap<>(checks));
    out.put("books_balanced", booksBalanced);
    out.put("audit_verified", auditVerified);
    out.put("audit_leaves", auditLeaves);
    out.put("mispriced_uploaded", disputes.misPriced());
    out.put("mispriced_excess_minor", disputes.misPricedExcessMinor());
    out.put("chargebacks", disputes.chargebacks());
    out.put("chargebacks_minor", disputes.chargebacksMinor());
    out.put("representments", disputes.representments());
    out.put("representments_minor", disputes.representmentsMinor());
    out.put("representments_refused", disputes.representmentsRefused());
    out.put("chargebacks_kept_minor", disputes.chargebacksKeptMinor());
    out.put("late_presentments", disputes.latePresentments());
    out.put("late_presented_minor", disputes.latePresentedMinor());
    out.put("conserved", conserved);
    return out;
  }
}
