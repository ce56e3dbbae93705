package io.iotpay.app.cli.audit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iotpay.app.cli.AuditCommand;
import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.store.Database;
import io.iotpay.ledger.audit.AuditInputException;
import io.iotpay.ledger.audit.AuditIntegrityException;
import io.iotpay.ledger.audit.AuditVerifier;
import io.iotpay.ledger.audit.Checkpoint;
import io.iotpay.ledger.audit.DatabaseAuditSource;
import io.iotpay.ledger.audit.MerkleTree;
import io.iotpay.ledger.witness.AddResult;
import io.iotpay.ledger.witness.Cosignature;
import io.iotpay.ledger.witness.Witness;
import io.iotpay.ledger.witness.WitnessIntegrityException;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code iotpay witness add}: hands the database's newest checkpoint and a consistency proof from the
 * witness's last cosigned size to the witness, which verifies both and cosigns, or refuses with a
 * reason and changes nothing. The database is only read; the witness trusts nothing it says without
 * checking (the log's signature under the key given at init, the proof against its own record).
 */
@Command(
    name = "add",
    mixinStandardHelpOptions = true,
    description = {
      "Give the witness the database's newest checkpoint with a consistency proof from the last one it cosigned.",
      "Exit 0: cosigned (or already cosigned); 1: refused (fork, smaller tree, replay, bad signature), nothing changed;",
      "2: refused input."
    })
public final class WitnessAddCommand extends AuditSubcommand {
  @Option(names = "--dir", required = true, paramLabel = "DIR", description = "the witness directory")
  Path directory;

  @Option(names = "--db", paramLabel = "JDBC-URL-or-SQLite-path", description = "the log's database (default: ${DEFAULT-VALUE})")
  String database = AuditCommand.DEFAULT_DATABASE;

  @Override
  int execute() throws IOException, SQLException {
    try (Witness witness = Witness.open(directory, Clock.systemUTC()); Database db = AuditCli.openExisting(database)) {
      DatabaseAuditSource source = DatabaseAuditSource.of(db);
      if (source.suite() != witness.suite()) {
        throw new AuditInputException("the log uses suite " + source.suite() + "; the witness at " + directory + " serves " + witness.suite());
      }
      List<Checkpoint> checkpoints = source.checkpoints();
      if (checkpoints.isEmpty()) {
        err().println("witness add: the log has no checkpoint yet; nothing to cosign");
        return 0;
      }
      Checkpoint newest = checkpoints.get(checkpoints.size() - 1);
      long oldSize = witness.treeSize();
      return report(witness.add(newest, oldSize, proof(source, oldSize, newest.treeSize())));
    } catch (WitnessIntegrityException e) {
      err().println("witness add: the witness's own record does not hold: " + e.getMessage());
      return AuditCommand.EXIT_NOT_VERIFIED;
    } catch (AuditIntegrityException e) {
      err().println("witness add: the database's leaves do not hold, no proof can be made: " + e.getMessage());
      return AuditCommand.EXIT_NOT_VERIFIED;
    }
  }

  /** The consistency proof the database's leaves give from {@code oldSize}; empty when none exists (the witness then refuses). */
  private static List<byte[]> proof(DatabaseAuditSource source, long oldSize, long newSize) throws IOException, SQLException {
    if (oldSize == 0 || oldSize > newSize) {
      return List.of();
    }
    MerkleTree tree = AuditVerifier.loadTree(source);
    return newSize <= tree.size() ? tree.consistencyProof(oldSize, newSize) : List.of();
  }

  private int report(AddResult result) {
    ObjectNode node = AuditCli.JSON.createObjectNode();
    return switch (result) {
      case AddResult.Cosigned cosigned -> {
        out().println(AuditCli.json(describe(node.put("result", "cosigned"), cosigned.cosignature())));
        err().println("witness add: cosigned checkpoint " + cosigned.cosignature().checkpoint().number() + " (tree size "
            + cosigned.cosignature().checkpoint().treeSize() + ")");
        yield 0;
      }
      case AddResult.AlreadyCosigned already -> {
        out().println(AuditCli.json(describe(node.put("result", "already-cosigned"), already.cosignature())));
        err().println("witness add: checkpoint " + already.cosignature().checkpoint().number() + " is already cosigned; nothing changed");
        yield 0;
      }
      case AddResult.Refused refused -> {
        node.put("result", "refused").put("reason", refused.reason().name()).put("c2spHttpStatus", refused.reason().c2spHttpStatus());
        node.put("detail", refused.detail()).put("witnessTreeSize", refused.witnessTreeSize());
        out().println(AuditCli.json(node));
        err().println("witness add: REFUSED " + refused.describe() + "; nothing changed");
        yield AuditCommand.EXIT_NOT_VERIFIED;
      }
    };
  }

  private static ObjectNode describe(ObjectNode node, Cosignature cosignature) {
    node.put("checkpoint", cosignature.checkpoint().number());
    node.put("treeSize", cosignature.checkpoint().treeSize());
    node.put("rootHash", Hex.encode(cosignature.checkpoint().rootHash()));
    node.put("witnessKeyId", cosignature.witnessKeyId());
    node.put("timestampMs", cosignature.timestampMs());
    node.put("cosignature", Hex.encode(cosignature.signature()));
    return node;
  }
}
