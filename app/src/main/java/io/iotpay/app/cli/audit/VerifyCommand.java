package io.iotpay.app.cli.audit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iotpay.app.cli.AuditCommand;
import io.iotpay.ledger.LedgerAuditCheck;
import io.iotpay.ledger.audit.AuditExport;
import io.iotpay.ledger.audit.AuditInputException;
import io.iotpay.ledger.audit.AuditSource;
import io.iotpay.ledger.audit.AuditVerifier;
import io.iotpay.ledger.audit.DatabaseAuditSource;
import io.iotpay.ledger.audit.LeafCheck;
import io.iotpay.ledger.audit.VerificationReport;
import io.iotpay.foundation.store.Database;
import java.io.IOException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code iotpay audit verify}: recomputes the tree from the stored (or exported) leaves and checks
 * every checkpoint; exit 0 when everything holds, 1 naming the first bad entry.
 */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
      "Recompute the audit tree and check every checkpoint's signature and root.",
      "Exit 0 if all holds; 1 naming the first leaf or checkpoint that does not."
    })
public final class VerifyCommand extends AuditSubcommand {
  @Option(names = "--db", paramLabel = "JDBC-URL-or-SQLite-path", description = "the database (default: ${DEFAULT-VALUE})")
  String database = AuditCommand.DEFAULT_DATABASE;

  @Option(names = "--from", paramLabel = "DIR", description = "verify an export directory instead (offline, no database)")
  Path from;

  @Option(
      names = "--public-key",
      paramLabel = "PEM",
      description = "the trusted public key(s); without it the keys stored in the log are used, which proves integrity but not origin")
  Path publicKey;

  private final Function<Database, LeafCheck> databaseLeafCheck;

  /**
   * Verifies the audit log and cross-checks every ledger row ({@link LedgerAuditCheck}) and every
   * platform decision row against its leaf.
   */
  public VerifyCommand() {
    this(io.iotpay.app.iot.IotBooks::ledgerAndDecisions);
  }

  /**
   * Verifies the audit log and, for a database, runs {@code databaseLeafCheck} on every leaf (the
   * ledger's row cross-check, for example).
   */
  public VerifyCommand(Function<Database, LeafCheck> databaseLeafCheck) {
    this.databaseLeafCheck = databaseLeafCheck;
  }

  @Override
  int execute() throws IOException, SQLException {
    if (from != null && spec.commandLine().getParseResult().hasMatchedOption("--db")) {
      throw new AuditInputException("give --db or --from, not both");
    }
    if (from != null) {
      return verify(AuditExport.open(from), LeafCheck.none(), "export " + from);
    }
    try (Database db = AuditCli.openExisting(database)) {
      return verify(DatabaseAuditSource.of(db), databaseLeafCheck.apply(db), "database " + database);
    }
  }

  private int verify(AuditSource source, LeafCheck leafCheck, String what) throws IOException, SQLException {
    Map<String, PublicKey> trusted;
    String keySource;
    if (publicKey != null) {
      trusted = AuditCli.readPublicKeys(publicKey, source.suite());
      keySource = publicKey.toString();
    } else {
      trusted = AuditVerifier.keysOf(source);
      keySource = "log";
      err().println("audit verify: trusting the public key(s) stored in the " + (from != null ? "export" : "log")
          + "; pass --public-key to check who signed");
    }
    VerificationReport report = AuditVerifier.verify(source, trusted, leafCheck);
    out().println(AuditCli.json(toJson(report, keySource)));
    if (report.verified()) {
      err().println("audit verify: OK (" + what + ": " + report.leavesChecked() + " leaves, " + report.checkpointsChecked()
          + " checkpoints, " + report.unsignedLeaves() + " leaves after the last checkpoint)");
      return 0;
    }
    err().println("audit verify: FAILED at " + report.firstFailure().describe());
    return AuditCommand.EXIT_NOT_VERIFIED;
  }

  private static ObjectNode toJson(VerificationReport report, String keySource) {
    ObjectNode node = AuditCli.JSON.createObjectNode();
    node.put("verified", report.verified());
    node.put("suite", report.suite().name());
    node.put("leaves", report.leavesChecked());
    node.put("checkpoints", report.checkpointsChecked());
    node.put("signedTreeSize", report.signedTreeSize());
    node.put("unsignedLeaves", report.unsignedLeaves());
    node.put("keySource", keySource);
    VerificationReport.Failure failure = report.firstFailure();
    if (failure == null) {
      node.putNull("firstFailure");
    } else {
      ObjectNode failed = node.putObject("firstFailure");
      failed.put("entry", failure.subject().name().toLowerCase(Locale.ROOT));
      failed.put("number", failure.number());
      failed.put("reason", failure.reason());
      failed.put("description", failure.describe());
    }
    return node;
  }
}
