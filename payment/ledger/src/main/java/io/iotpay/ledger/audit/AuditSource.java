package io.iotpay.ledger.audit;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import java.io.IOException;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * A stored audit log as the verifier reads it: from the database ({@link DatabaseAuditSource}) or
 * from an export directory ({@link AuditExport#open}).
 */
public interface AuditSource {
  /** The log's suite (hash and signature). */
  AlgorithmSuite suite() throws IOException, SQLException;

  /** Every stored checkpoint, ordered by number. */
  List<Checkpoint> checkpoints() throws IOException, SQLException;

  /** The public keys the log says it signs with, by key id (DER, X.509). Not a trust anchor. */
  Map<String, byte[]> publicKeysDer() throws IOException, SQLException;

  /** Streams the leaves in index order until the visitor returns false. */
  void forEachLeaf(LeafVisitor visitor) throws IOException, SQLException;

  /** How many leaves the source claims to hold, when it says so apart from the leaves themselves. */
  default OptionalLong declaredLeafCount() throws IOException, SQLException {
    return OptionalLong.empty();
  }

  /** Receives leaves in order. */
  @FunctionalInterface
  interface LeafVisitor {
    /**
     * @param leafIndex the stored index (an export's line number)
     * @param entry the entry bytes
     * @param chainHash the stored row-chain value, or null when the source keeps none (exports)
     * @return false to stop reading
     */
    boolean visit(long leafIndex, byte[] entry, byte[] chainHash);
  }
}
