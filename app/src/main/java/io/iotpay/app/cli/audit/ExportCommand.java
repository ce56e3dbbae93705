package io.iotpay.app.cli.audit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iotpay.app.cli.AuditCommand;
import io.iotpay.ledger.audit.AuditExport;
import io.iotpay.ledger.audit.DatabaseAuditSource;
import io.iotpay.foundation.store.Database;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code iotpay audit export}: writes the log as a directory anyone can verify offline. */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = "Write the audit log to an empty directory (manifest, leaves, checkpoints, public key) for offline verification.")
public final class ExportCommand extends AuditSubcommand {
  @Option(names = "--db", paramLabel = "JDBC-URL-or-SQLite-path", description = "the database (default: ${DEFAULT-VALUE})")
  String database = AuditCommand.DEFAULT_DATABASE;

  @Option(names = "--out", paramLabel = "DIR", required = true, description = "the directory to create (must be empty)")
  Path out;

  @Override
  int execute() throws IOException, SQLException {
    try (Database db = AuditCli.openExisting(database)) {
      AuditExport.Summary summary = AuditExport.write(DatabaseAuditSource.of(db), out);
      ObjectNode node = AuditCli.JSON.createObjectNode();
      node.put("out", out.toString());
      node.put("suite", summary.suite().name());
      node.put("leaves", summary.leafCount());
      node.put("checkpoints", summary.checkpointCount());
      out().println(AuditCli.json(node));
      err().println("audit export: " + summary.leafCount() + " leaves and " + summary.checkpointCount() + " checkpoints written to " + out);
      return 0;
    }
  }
}
