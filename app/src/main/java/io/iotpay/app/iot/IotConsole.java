package io.iotpay.app.iot;

import io.iotpay.platform.console.AuditCheck;
import io.iotpay.platform.console.ConsoleServices;
import io.iotpay.platform.console.OperatorConsole;
import io.iotpay.platform.decision.DecisionListing;
import io.iotpay.platform.operator.HttpApiServices;

/** The operator console of a node ({@code /console} on its HTTP API): its books, audit log and {@code audit verify}. */
public final class IotConsole {
  private IotConsole() {}

  /** The console over {@code node}, showing what {@code services} serve. */
  public static OperatorConsole of(IotNode node, HttpApiServices services) {
    AuditCheck verify = () -> {
      IotBooks.Audit audit = IotBooks.verifyAudit(node.database, node.auditKey, node.auditSuite);
      return new AuditCheck.Result(audit.verified(), audit.leaves(), audit.detail());
    };
    return new OperatorConsole(new ConsoleServices(services, new DecisionListing(node.database), node.ledger, node.auditLog, verify,
        leaf -> node.auditLog.appendStandalone(java.util.List.of(leaf))));
  }
}
