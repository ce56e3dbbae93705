package io.iotpay.app.cli.audit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iotpay.app.cli.AuditCommand;
import io.iotpay.app.cli.Progress;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.store.Database;
import io.iotpay.ledger.audit.AuditExport;
import io.iotpay.ledger.audit.AuditInputException;
import io.iotpay.ledger.audit.AuditSource;
import io.iotpay.ledger.audit.AuditVerifier;
import io.iotpay.ledger.audit.DatabaseAuditSource;
import io.iotpay.ledger.audit.LeafCheck;
import io.iotpay.ledger.audit.TrustedHead;
import io.iotpay.ledger.audit.VerificationReport;
import io.iotpay.ledger.witness.Witness;
import io.iotpay.ledger.witness.WitnessIntegrityException;
import java.io.IOException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code iotpay audit verify}: recomputes the tree from the stored (or exported) leaves and checks
 * every checkpoint, the rows behind the leaves, and (with {@code --witness}) the heads a witness
 * cosigned; exit 0 when everything holds, 1 naming the first bad entry, 2 for refused input.
 *
 * <p>The key rule: the checkpoints' signatures are checked only against a key given with
 * {@code --public-key}. The key stored in the log proves nothing about who signed (whoever rewrote the
 * log can rewrite the key too), so without {@code --public-key} the command refuses, unless told
 * {@code --self-consistency-only}, and then says so first and last.
 */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
      "Recompute the audit tree and check every checkpoint's signature and root, the rows behind the leaves,",
      "and with --witness the checkpoints a witness cosigned (truncation and forks).",
      "Needs --public-key (the log's key, obtained from its operator) or --self-consistency-only.",
      "Exit 0 if all holds; 1 naming the first leaf, checkpoint or witness head that does not; 2 refused input."
    })
public final class VerifyCommand extends AuditSubcommand {
  static final String SELF_CONSISTENCY_WARNING = "SELF-CONSISTENCY ONLY: the signing key was read from the log being checked;"
      + " this shows the log agrees with itself, not that the log's operator signed it";

  @Option(names = "--db", paramLabel = "JDBC-URL-or-SQLite-path", description = "the database (default: ${DEFAULT-VALUE})")
  String database = AuditCommand.DEFAULT_DATABASE;

  @Option(names = "--from", paramLabel = "DIR", description = "verify an export directory instead (offline, no database)")
  Path from;

  @Option(names = "--public-key", paramLabel = "PEM", description = "the log's trusted public key(s), obtained from its operator")
  Path publicKey;

  @Option(
      names = "--self-consistency-only",
      description = "without --public-key: trust the key(s) stored in the log itself, and say that only self-consistency was checked")
  boolean selfConsistencyOnly;

  @Option(names = "--witness", paramLabel = "DIR", description = "a witness directory: hold the log to the checkpoints it cosigned")
  Path witness;

  @Option(
      names = "--witness-public-key",
      paramLabel = "PEM",
      description = "the witness's public key (default: DIR/witness-public-key.pem, trusted as the witness's own)")
  Path witnessPublicKey;

  private final Function<Database, LeafKinds> databaseLeafCheck;

  /**
   * Verifies the audit log and cross-checks every ledger entry row, ledger account row and platform
   * decision row against its leaf.
   */
  public VerifyCommand() {
    this.databaseLeafCheck = LeafKinds::ofDatabase;
  }

  /** Verifies the audit log and, for a database, runs {@code databaseLeafCheck} on every leaf. */
  public VerifyCommand(Function<Database, LeafCheck> databaseLeafCheck) {
    this.databaseLeafCheck = db -> LeafKinds.around(databaseLeafCheck.apply(db), List.of("custom"));
  }

  @Override
  int execute() throws IOException, SQLException {
    if (from != null && spec.commandLine().getParseResult().hasMatchedOption("--db")) {
      throw new AuditInputException("give --db or --from, not both");
    }
    AuditCli.requireKeyRule(publicKey, selfConsistencyOnly, "audit verify");
    if (witnessPublicKey != null && witness == null) {
      throw new AuditInputException("--witness-public-key needs --witness DIR");
    }
    if (from != null) {
      return verify(AuditExport.open(from), LeafKinds.around(LeafCheck.none(), List.of()), "export " + from);
    }
    try (Database db = AuditCli.openExisting(database)) {
      return verify(DatabaseAuditSource.of(db), databaseLeafCheck.apply(db), "database " + database);
    }
  }

  private int verify(AuditSource source, LeafKinds leafCheck, String what) throws IOException, SQLException {
    AlgorithmSuite suite = source.suite();
    Map<String, PublicKey> trusted;
    if (publicKey != null) {
      trusted = AuditCli.readPublicKeys(publicKey, suite);
    } else {
      trusted = AuditVerifier.keysOf(source);
      err().println("audit verify: " + SELF_CONSISTENCY_WARNING);
    }
    List<TrustedHead> heads;
    try {
      heads = witnessHeads(suite, trusted);
    } catch (WitnessIntegrityException e) {
      VerificationReport refused = new VerificationReport(suite, 0, 0, 0, 0, VerificationReport.Failure.witness(-1, e.getMessage()));
      return report(refused, leafCheck, what);
    }
    VerificationReport report;
    try (Progress progress = Progress.start("audit verify", ProgressAuditSource.expectedLeaves(source), err())) {
      report = AuditVerifier.verify(new ProgressAuditSource(source, progress), trusted, leafCheck, heads);
    }
    return report(report, leafCheck, what);
  }

  /** The witness's cosigned heads, each cosignature checked under the witness key and the log key. */
  private List<TrustedHead> witnessHeads(AlgorithmSuite suite, Map<String, PublicKey> trusted) throws IOException {
    if (witness == null) {
      return List.of();
    }
    AlgorithmSuite witnessSuite = Witness.suiteOf(witness);
    if (witnessSuite != suite) {
      throw new AuditInputException("the witness at " + witness + " uses suite " + witnessSuite + "; the log uses " + suite);
    }
    PublicKey witnessKey = witnessPublicKey != null
        ? AuditCli.readPublicKeys(witnessPublicKey, suite).values().iterator().next()
        : Witness.publicKey(witness, suite);
    return Witness.trustedHeads(Witness.readVerifiedRecord(witness, witnessKey, trusted));
  }

  private int report(VerificationReport report, LeafKinds leafCheck, String what) {
    out().println(AuditCli.json(toJson(report, leafCheck)));
    String scope = selfConsistencyOnly ? ", " + "SELF-CONSISTENCY ONLY" : "";
    if (report.verified()) {
      err().println("audit verify: OK" + scope + " (" + what + ": " + report.leavesChecked() + " leaves, "
          + report.checkpointsChecked() + " checkpoints, " + report.unsignedLeaves() + " leaves after the last checkpoint"
          + (witness != null ? ", " + report.trustedHeadsChecked() + " witness checkpoints" : "") + ")");
      err().println("audit verify: leaf kinds checked: " + describe(leafCheck.counts()) + "; rows cross-checked: "
          + (leafCheck.rowCrossChecks().isEmpty() ? "none" : String.join(", ", leafCheck.rowCrossChecks())));
      return 0;
    }
    err().println("audit verify: FAILED" + scope + " at " + report.firstFailure().describe());
    return AuditCommand.EXIT_NOT_VERIFIED;
  }

  private static String describe(Map<String, Long> counts) {
    StringBuilder out = new StringBuilder();
    counts.forEach((kind, count) -> out.append(out.isEmpty() ? "" : ", ").append(String.format(Locale.ROOT, "%,d %s", count, kind)));
    return out.toString();
  }

  private ObjectNode toJson(VerificationReport report, LeafKinds leafCheck) {
    ObjectNode node = AuditCli.JSON.createObjectNode();
    node.put("verified", report.verified());
    node.put("selfConsistencyOnly", selfConsistencyOnly);
    node.put("suite", report.suite().name());
    node.put("leaves", report.leavesChecked());
    node.put("checkpoints", report.checkpointsChecked());
    node.put("signedTreeSize", report.signedTreeSize());
    node.put("unsignedLeaves", report.unsignedLeaves());
    node.put("keySource", publicKey != null ? publicKey.toString() : "log");
    ObjectNode kinds = node.putObject("leafKinds");
    leafCheck.counts().forEach(kinds::put);
    leafCheck.rowCrossChecks().forEach(node.putArray("rowCrossChecks")::add);
    if (witness != null) {
      ObjectNode witnessNode = node.putObject("witness");
      witnessNode.put("directory", witness.toString());
      witnessNode.put("keySource", witnessPublicKey != null ? witnessPublicKey.toString() : witness.resolve("witness-public-key.pem").toString());
      witnessNode.put("checkpointsMatched", report.trustedHeadsChecked());
    }
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
