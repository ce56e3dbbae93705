package io.iotpay.app.cli.audit;

import io.iotpay.app.cli.Progress;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.ledger.audit.AuditSource;
import io.iotpay.ledger.audit.Checkpoint;
import java.io.IOException;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/** An audit source that reports each leaf read to a {@link Progress}; otherwise the source itself. */
final class ProgressAuditSource implements AuditSource {
  private final AuditSource source;
  private final Progress progress;

  ProgressAuditSource(AuditSource source, Progress progress) {
    this.source = source;
    this.progress = progress;
  }

  /**
   * How many leaves verifying {@code source} will read, as far as known before reading them: the count
   * the source declares, else the newest checkpoint's tree size (leaves after it are read too), else -1.
   */
  static long expectedLeaves(AuditSource source) throws IOException, SQLException {
    OptionalLong declared = source.declaredLeafCount();
    if (declared.isPresent()) {
      return declared.getAsLong();
    }
    List<Checkpoint> checkpoints = source.checkpoints();
    return checkpoints.isEmpty() ? -1 : checkpoints.get(checkpoints.size() - 1).treeSize();
  }

  @Override
  public AlgorithmSuite suite() throws IOException, SQLException {
    return source.suite();
  }

  @Override
  public List<Checkpoint> checkpoints() throws IOException, SQLException {
    return source.checkpoints();
  }

  @Override
  public Map<String, byte[]> publicKeysDer() throws IOException, SQLException {
    return source.publicKeysDer();
  }

  @Override
  public void forEachLeaf(LeafVisitor visitor) throws IOException, SQLException {
    long[] read = {0};
    source.forEachLeaf((leafIndex, entry, chainHash) -> {
      progress.stepTo(++read[0]);
      return visitor.visit(leafIndex, entry, chainHash);
    });
  }

  @Override
  public OptionalLong declaredLeafCount() throws IOException, SQLException {
    return source.declaredLeafCount();
  }
}
