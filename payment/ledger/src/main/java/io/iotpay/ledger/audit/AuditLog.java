package io.iotpay.ledger.audit;

import io.iotpay.foundation.Assert;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.SignatureAlgorithm;
import io.iotpay.foundation.store.Database;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The verifiable audit log: every entry is a leaf of an RFC 9162 Merkle tree (SHA-256 or SM3 by
 * suite), stored in the database, with checkpoints signed (ECDSA or SM2) by a checkpointer thread
 * at least once a second while leaves arrive.
 *
 * <p><b>Two ways in.</b> As the ledger's {@link AuditJournal}: {@link #append} writes the batch's
 * leaves with one JDBC batch inside the writer's transaction, and {@link #committed()} adds them to
 * the tree. Or standalone, for entries that are not ledger transfers: {@link #appendStandalone} uses
 * its own transaction. Both paths take one lock from {@code append} to {@code committed}/{@code
 * rolledBack}, so leaf indices never interleave.
 *
 * <p><b>Checkpoints</b> are signed by the checkpointer thread every {@code checkpointIntervalMs}
 * when committed leaves exist that no checkpoint covers. A signed checkpoint is stored by the next
 * {@link #append} in the writer's own transaction (so under load it costs no extra commit and never
 * competes with the writer for SQLite's single write lock); if no append takes it within one
 * interval (an idle writer), the checkpointer stores it itself. Both use insert-if-absent, so the
 * same checkpoint may race to the store without harm.
 *
 * <p><b>Start-up</b> ({@link #open}) rebuilds the tree from the stored leaves, checks the row chain,
 * and checks that the latest checkpoint's signature and root match; otherwise it refuses to run
 * ({@link AuditIntegrityException}) rather than sign a rewritten history.
 *
 * <p>Only the public key is stored (DER, by key id); the private key stays with the caller.
 */
public final class AuditLog implements AuditJournal, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AuditLog.class);

  private final Database database;
  private final AuditLogConfig config;
  private final MerkleTree tree;
  private final String keyId;
  private final byte[] publicKeyDer;
  private final ReentrantLock appendLock = new ReentrantLock(true);
  private final Object checkpointLock = new Object();
  private final ScheduledExecutorService checkpointer;

  /** Used under {@link #appendLock}. */
  private final TreeHasher appendHasher;
  /** Used under {@link #checkpointLock}. */
  private final SignatureAlgorithm.Signer signer;

  private byte[] chainHead = TreeHasher.chainStart();
  private List<byte[]> pendingLeafHashes;
  private byte[] pendingChainHead;
  /** The newest stored checkpoint (null before the first); only moves forward. */
  private final AtomicReference<Checkpoint> latestCheckpoint = new AtomicReference<>();
  /** Signed, not yet known to be stored; at most one at a time. */
  private final AtomicReference<Checkpoint> signedCheckpoint = new AtomicReference<>();
  /** The checkpoint the current journal transaction inserts (under {@link #appendLock}). */
  private Checkpoint checkpointInTransaction;
  private boolean closed;

  private AuditLog(Database database, AuditLogConfig config) {
    this.database = database;
    this.config = config;
    this.tree = new MerkleTree(config.suite(), config.leavesMax());
    this.appendHasher = TreeHasher.of(config.suite());
    this.publicKeyDer = config.signingKey().getPublic().getEncoded();
    this.keyId = Checkpoint.keyIdOf(config.suite(), publicKeyDer);
    this.signer = config.suite().signature().newSigner(config.signingKey().getPrivate());
    this.checkpointer =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "iotpay-audit-checkpointer");
              thread.setDaemon(true);
              return thread;
            });
  }

  /**
   * Opens (creating on first use) the audit log in {@code database}: migrates its tables, rebuilds
   * the tree from the stored leaves, checks the latest checkpoint, and starts the checkpointer.
   * The caller keeps ownership of the database and closes it after this log.
   *
   * @throws AuditIntegrityException when the stored leaves or the latest checkpoint do not verify
   * @throws AuditInputException when the log was created with another suite
   * @throws SQLException when the store cannot be read
   */
  public static AuditLog open(Database database, AuditLogConfig config) throws SQLException {
    database.migrate("audit");
    AuditLog auditLog = new AuditLog(database, config);
    auditLog.prepareStore();
    auditLog.rebuild();
    // Fixed rate, not fixed delay: the time spent signing must not stretch the gap between checkpoints.
    auditLog.checkpointer.scheduleAtFixedRate(
        auditLog::checkpointTick, config.checkpointIntervalMs(), config.checkpointIntervalMs(), TimeUnit.MILLISECONDS);
    log.info("Audit log open [suite={}, leaves={}, keyId={}]", config.suite(), auditLog.size(), auditLog.keyId);
    return auditLog;
  }

  private void prepareStore() throws SQLException {
    try (Connection connection = database.connection()) {
      Optional<AlgorithmSuite> stored = AuditStore.suite(connection);
      if (stored.isEmpty()) {
        AuditStore.createInfo(connection, config.suite(), config.clock().millis());
      } else if (stored.get() != config.suite()) {
        throw new AuditInputException("the audit log uses suite " + stored.get() + ", not " + config.suite());
      }
      AuditStore.putKey(connection, keyId, config.suite(), publicKeyDer);
    }
  }

  private void rebuild() throws SQLException {
    LeafWalk walk = new LeafWalk(appendHasher);
    VerificationReport.Failure[] failure = {null};
    AuditStore.forEachLeaf(
        database,
        (leafIndex, entry, chainHash) -> {
          if (walk.nextIndex() >= config.leavesMax()) {
            failure[0] = VerificationReport.Failure.leaf(leafIndex, "beyond leavesMax " + config.leavesMax());
            return false;
          }
          failure[0] = walk.accept(leafIndex, entry, chainHash);
          if (failure[0] == null) {
            tree.appendLeafHash(walk.lastLeafHash());
          }
          return failure[0] == null;
        });
    if (failure[0] != null) {
      throw new AuditIntegrityException(failure[0]);
    }
    chainHead = walk.chain();
    try (Connection connection = database.connection()) {
      Optional<Checkpoint> latest = AuditStore.latestCheckpoint(connection);
      if (latest.isPresent()) {
        checkLatest(latest.get(), AuditStore.keys(connection).get(latest.get().keyId()));
      }
      latestCheckpoint.set(latest.orElse(null));
    }
  }

  private void checkLatest(Checkpoint checkpoint, byte[] storedKeyDer) {
    String problem = null;
    if (storedKeyDer == null) {
      problem = "signed by key " + checkpoint.keyId() + ", which the log does not list";
    } else if (checkpoint.suite() != config.suite()
        || !checkpoint.signatureValidUnder(config.suite().signature().publicKeyFromDer(storedKeyDer))) {
      problem = "signature does not verify";
    } else if (checkpoint.treeSize() > tree.size()) {
      problem = "covers " + checkpoint.treeSize() + " leaves but the log holds only " + tree.size();
    } else if (!MessageDigest.isEqual(tree.root(checkpoint.treeSize()), checkpoint.rootHash())) {
      problem = "root does not match the stored leaves at tree size " + checkpoint.treeSize();
    }
    if (problem != null) {
      throw new AuditIntegrityException(VerificationReport.Failure.checkpoint(checkpoint.number(), problem));
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>Inserts the leaves in {@code transaction} with multi-row statements of
   * {@value AuditStore#INSERT_ROWS_PER_STATEMENT} rows, sent in JDBC batches of up to
   * {@value AuditStore#INSERT_BATCH_ROWS_MAX} rows. Holds the log's append lock until {@link #committed()} or
   * {@link #rolledBack()}; when this method throws, the lock is already released and nothing is
   * pending.
   *
   * @throws AuditInputException when an entry is longer than {@code entryBytesMax}
   * @throws SQLException also when the batch would take the log past {@code leavesMax}
   */
  @Override
  public long append(Connection transaction, List<byte[]> leaves) throws SQLException {
    Assert.that(!appendLock.isHeldByCurrentThread(), "append() again before committed() or rolledBack()");
    appendLock.lock();
    boolean appended = false;
    try {
      long first = tree.size();
      if (first + leaves.size() > config.leavesMax()) {
        throw new SQLException("audit log full: " + first + " + " + leaves.size() + " leaves exceed leavesMax " + config.leavesMax());
      }
      insertLeaves(transaction, first, leaves);
      checkpointInTransaction = signedCheckpoint.get();
      if (checkpointInTransaction != null) {
        AuditStore.insertCheckpoint(transaction, checkpointInTransaction);
      }
      appended = true;
      return first;
    } finally {
      if (!appended) {
        pendingLeafHashes = null;
        checkpointInTransaction = null;
        appendLock.unlock();
      }
    }
  }

  private void insertLeaves(Connection transaction, long first, List<byte[]> leaves) throws SQLException {
    List<byte[]> leafHashes = new ArrayList<>(leaves.size());
    byte[][] chains = new byte[leaves.size()][];
    byte[] chain = chainHead;
    for (int i = 0; i < leaves.size(); i++) {
      byte[] entry = leaves.get(i);
      if (entry.length > config.entryBytesMax()) {
        throw new AuditInputException(
            "audit entry " + i + " of the batch has " + entry.length + " bytes, more than entryBytesMax " + config.entryBytesMax());
      }
      byte[] leafHash = appendHasher.leafHash(entry);
      chain = appendHasher.chainHash(chain, leafHash);
      leafHashes.add(leafHash);
      chains[i] = chain;
    }
    // Full chunks go through one multi-row statement, executed in JDBC batches; the rest row by row.
    int rowsPerStatement = AuditStore.INSERT_ROWS_PER_STATEMENT;
    int fullChunks = leaves.size() / rowsPerStatement;
    if (fullChunks > 0) {
      try (PreparedStatement insert = transaction.prepareStatement(AuditStore.INSERT_LEAF_CHUNK)) {
        for (int chunk = 0; chunk < fullChunks; chunk++) {
          for (int row = 0; row < rowsPerStatement; row++) {
            int i = chunk * rowsPerStatement + row;
            bindLeaf(insert, 3 * row, first + i, leaves.get(i), chains[i]);
          }
          insert.addBatch();
          if ((chunk + 1) % (AuditStore.INSERT_BATCH_ROWS_MAX / rowsPerStatement) == 0) {
            insert.executeBatch();
          }
        }
        insert.executeBatch();
      }
    }
    if (fullChunks * rowsPerStatement < leaves.size()) {
      try (PreparedStatement insert = transaction.prepareStatement(AuditStore.INSERT_LEAF)) {
        for (int i = fullChunks * rowsPerStatement; i < leaves.size(); i++) {
          bindLeaf(insert, 0, first + i, leaves.get(i), chains[i]);
          insert.addBatch();
        }
        insert.executeBatch();
      }
    }
    pendingLeafHashes = leafHashes;
    pendingChainHead = chain;
  }

  private static void bindLeaf(PreparedStatement insert, int offset, long leafIndex, byte[] entry, byte[] chain)
      throws SQLException {
    insert.setLong(offset + 1, leafIndex);
    insert.setBytes(offset + 2, entry);
    insert.setBytes(offset + 3, chain);
  }

  /** {@inheritDoc} The leaves join the tree; the next checkpoint covers them. */
  @Override
  public void committed() {
    Assert.that(appendLock.isHeldByCurrentThread() && pendingLeafHashes != null, "committed() without a pending append()");
    try {
      // One step, so a checkpoint never covers part of a batch.
      tree.appendLeafHashes(pendingLeafHashes);
      chainHead = pendingChainHead;
      if (checkpointInTransaction != null) {
        stored(checkpointInTransaction);
      }
    } finally {
      pendingLeafHashes = null;
      checkpointInTransaction = null;
      appendLock.unlock();
    }
  }

  /** {@inheritDoc} A no-op when the last {@link #append} already failed (it cleaned up itself). */
  @Override
  public void rolledBack() {
    if (appendLock.isHeldByCurrentThread()) {
      // A checkpoint that rode in the rolled-back transaction stays signed; the next append retries it.
      pendingLeafHashes = null;
      checkpointInTransaction = null;
      appendLock.unlock();
    }
  }

  /**
   * Appends entries in a transaction of their own (for entries that are not ledger transfers).
   *
   * @return the leaf index of the first entry
   * @throws SQLException when the store refuses; nothing was appended
   */
  public long appendStandalone(List<byte[]> entries) throws SQLException {
    return database.writing(() -> appendInTransaction(entries));
  }

  private long appendInTransaction(List<byte[]> entries) throws SQLException {
    try (Connection connection = database.connection()) {
      connection.setAutoCommit(false);
      long first;
      try {
        first = append(connection, entries);
        connection.commit();
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        rolledBack();
        throw e;
      } finally {
        connection.setAutoCommit(true);
      }
      committed();
      return first;
    }
  }

  private void checkpointTick() {
    try {
      synchronized (checkpointLock) {
        // A checkpoint signed at the previous tick that no append has stored since: the writer is idle.
        storeSignedCheckpoint();
        Checkpoint next = signIfBehind();
        if (next != null) {
          signedCheckpoint.set(next);
        }
      }
    } catch (SQLException | RuntimeException e) {
      // The next tick retries; a failing store is loud in the log but must not stop the schedule.
      log.error("Audit checkpoint failed [treeSize={}]", tree.size(), e);
    }
  }

  /**
   * Signs and stores a checkpoint of the committed leaves now, unless the latest one already covers
   * them (the checkpointer does this by itself every {@code checkpointIntervalMs}).
   *
   * @return the latest stored checkpoint after the call; empty while the log has no leaves
   * @throws SQLException when the store refuses
   */
  public Optional<Checkpoint> checkpointNow() throws SQLException {
    synchronized (checkpointLock) {
      storeSignedCheckpoint();
      Checkpoint next = signIfBehind();
      if (next != null) {
        signedCheckpoint.set(next);
        storeSignedCheckpoint();
      }
      return latestCheckpoint();
    }
  }

  /** A new signed checkpoint when committed leaves exist beyond the latest one; else null. Under the checkpoint lock. */
  private Checkpoint signIfBehind() {
    long size = tree.size();
    Checkpoint latest = latestCheckpoint.get();
    if (size == 0 || (latest != null && latest.treeSize() >= size)) {
      return null;
    }
    long number = latest == null ? 1 : latest.number() + 1;
    long timestampMs = config.clock().millis();
    byte[] root = tree.root(size);
    byte[] signature = signer.sign(Checkpoint.signedBytes(number, size, root, timestampMs, config.suite(), keyId));
    return new Checkpoint(number, size, root, timestampMs, config.suite(), keyId, signature);
  }

  /** Stores the signed checkpoint, if any, in a transaction of its own. Under the checkpoint lock. */
  private void storeSignedCheckpoint() throws SQLException {
    Checkpoint checkpoint = signedCheckpoint.get();
    if (checkpoint == null) {
      return;
    }
    // Through the database's writer lock like every other writer of the file: on SQLite a write
    // from outside it makes a transaction that read first and writes next fail SQLITE_BUSY at once.
    database.writing(() -> {
      try (Connection connection = database.connection()) {
        AuditStore.insertCheckpoint(connection, checkpoint);
      }
      return null;
    });
    stored(checkpoint);
  }

  /** Records that {@code checkpoint} is durable: it becomes the latest, and is no longer pending. */
  private void stored(Checkpoint checkpoint) {
    Checkpoint previous =
        latestCheckpoint.getAndAccumulate(
            checkpoint, (current, candidate) -> current == null || candidate.number() > current.number() ? candidate : current);
    signedCheckpoint.compareAndSet(checkpoint, null);
    if (previous != null && previous.number() >= checkpoint.number()) {
      return; // both paths stored it; the first one already told the listener
    }
    log.debug("Audit checkpoint stored [number={}, treeSize={}]", checkpoint.number(), checkpoint.treeSize());
    try {
      config.checkpointListener().stored(checkpoint);
    } catch (RuntimeException e) {
      log.error("Audit checkpoint listener failed [number={}]", checkpoint.number(), e);
    }
  }

  /** The latest stored checkpoint; empty before the first. */
  public Optional<Checkpoint> latestCheckpoint() {
    return Optional.ofNullable(latestCheckpoint.get());
  }

  /** Every stored checkpoint, by number. */
  public List<Checkpoint> checkpoints() throws SQLException {
    try (Connection connection = database.connection()) {
      return AuditStore.checkpoints(connection);
    }
  }

  /** Committed leaves. */
  public long size() {
    return tree.size();
  }

  /** Leaves the newest stored checkpoint covers (0 before the first); at most {@link #size()}. */
  public long checkpointedSize() {
    Checkpoint latest = latestCheckpoint.get();
    return latest == null ? 0 : latest.treeSize();
  }

  public AlgorithmSuite suite() {
    return config.suite();
  }

  /** Id of the signing key ({@link Checkpoint#keyIdOf}). */
  public String keyId() {
    return keyId;
  }

  /** The signing key's public half, X.509 DER (a copy). */
  public byte[] publicKeyDer() {
    return publicKeyDer.clone();
  }

  /** The tree head at {@code treeSize} (≤ {@link #size()}). @throws AuditInputException outside 0..size */
  public byte[] root(long treeSize) {
    return tree.root(treeSize);
  }

  /** Leaf hash at an index. @throws AuditInputException outside the log */
  public byte[] leafHash(long leafIndex) {
    return tree.leafHash(leafIndex);
  }

  /** See {@link MerkleTree#inclusionProof}. */
  public List<byte[]> inclusionProof(long leafIndex, long treeSize) {
    return tree.inclusionProof(leafIndex, treeSize);
  }

  /** See {@link MerkleTree#consistencyProof}. */
  public List<byte[]> consistencyProof(long firstSize, long secondSize) {
    return tree.consistencyProof(firstSize, secondSize);
  }

  /**
   * Stops the checkpointer and signs a last checkpoint for leaves not yet covered. Does not close
   * the database. Idempotent.
   */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    checkpointer.shutdown();
    try {
      if (!checkpointer.awaitTermination(10, TimeUnit.SECONDS)) {
        log.warn("Audit checkpointer did not stop within 10 s");
      }
      checkpointNow();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      log.warn("Interrupted while closing the audit log [treeSize={}]", tree.size());
    } catch (SQLException e) {
      log.error("Final audit checkpoint failed [treeSize={}]", tree.size(), e);
    }
  }
}
