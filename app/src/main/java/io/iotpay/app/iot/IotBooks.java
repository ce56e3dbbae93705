package io.iotpay.app.iot;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.ledger.AccountBalance;
import io.iotpay.ledger.Ledger;
import io.iotpay.ledger.LedgerAuditCheck;
import io.iotpay.ledger.audit.AuditVerifier;
import io.iotpay.ledger.audit.Checkpoint;
import io.iotpay.ledger.audit.DatabaseAuditSource;
import io.iotpay.ledger.audit.LeafCheck;
import io.iotpay.ledger.audit.VerificationReport;
import io.iotpay.foundation.store.Database;
import io.iotpay.platform.decision.DecisionAuditCheck;
import java.security.KeyPair;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** The IoT demo's end checks: books balance, and the audit log verifies with every row cross-checked. */
public final class IotBooks {
  private IotBooks() {}

  /** The audit verification's outcome. */
  public record Audit(boolean verified, long leaves, String detail) {}

  /**
   * Per book and currency, posted debits equal posted credits and pending debits equal pending credits
   * (holds still open at the end of a run are pending on both sides).
   */
  public static boolean balanced(Ledger ledger) {
    Map<String, long[]> sums = new HashMap<>();
    for (AccountBalance balance : ledger.balances().values()) {
      long[] sum = sums.computeIfAbsent(balance.account().bookId() + "/" + balance.account().currency(), k -> new long[4]);
      sum[0] += balance.debitsPendingMinor();
      sum[1] += balance.creditsPendingMinor();
      sum[2] += balance.debitsPostedMinor();
      sum[3] += balance.creditsPostedMinor();
    }
    return sums.values().stream().allMatch(s -> s[0] == s[1] && s[2] == s[3]);
  }

  /** Both cross-checks on every leaf: the first problem found is the leaf's. */
  public static LeafCheck ledgerAndDecisions(Database database) {
    LeafCheck ledger = LedgerAuditCheck.of(database);
    LeafCheck decisions = DecisionAuditCheck.of(database);
    return (index, entry) -> {
      Optional<String> problem = ledger.problem(index, entry);
      return problem.isPresent() ? problem : decisions.problem(index, entry);
    };
  }

  /** Verifies the log against the audit key, with the ledger and decision rows cross-checked. */
  public static Audit verifyAudit(Database database, KeyPair auditKey, AlgorithmSuite suite) throws Exception {
    VerificationReport report = AuditVerifier.verify(DatabaseAuditSource.of(database),
        Map.of(Checkpoint.keyIdOf(suite, auditKey.getPublic().getEncoded()), auditKey.getPublic()), ledgerAndDecisions(database));
    String detail = report.verified() ? "OK (" + report.checkpointsChecked() + " checkpoints)"
        : "FAILED at " + report.failure().orElseThrow().describe();
    return new Audit(report.verified(), report.leavesChecked(), detail);
  }
}
