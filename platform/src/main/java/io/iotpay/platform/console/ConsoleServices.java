package io.iotpay.platform.console;

import io.iotpay.ledger.Ledger;
import io.iotpay.ledger.audit.AuditLog;
import io.iotpay.platform.decision.DecisionListing;
import io.iotpay.platform.operator.HttpApiServices;
import io.iotpay.platform.operator.OperatorAudit;
import java.util.Objects;

/**
 * What the operator console shows and acts on. Every component is never null.
 *
 * @param platform the services the HTTP API is a door to (devices, decisions, states, the inbox's
 *     security log, the operator token)
 * @param decisions pages of recorded decisions, newest first
 * @param ledger the platform's books (accounts and balances)
 * @param auditLog the audit log: checkpoints, and the public key the browser checks proofs with
 * @param auditCheck {@code audit verify} on demand
 * @param operatorAudit where the operator's acts from the console (clone verdicts, bulk registrations) are
 *     recorded, in the same audit log and leaf format as the HTTP API's
 */
public record ConsoleServices(HttpApiServices platform, DecisionListing decisions, Ledger ledger, AuditLog auditLog,
    AuditCheck auditCheck, OperatorAudit operatorAudit) {
  public ConsoleServices {
    Objects.requireNonNull(platform, "platform");
    Objects.requireNonNull(decisions, "decisions");
    Objects.requireNonNull(ledger, "ledger");
    Objects.requireNonNull(auditLog, "auditLog");
    Objects.requireNonNull(auditCheck, "auditCheck");
    Objects.requireNonNull(operatorAudit, "operatorAudit");
  }
}
