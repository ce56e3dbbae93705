package io.iotpay.ledger.audit;

import static io.iotpay.ledger.audit.AuditTestSupport.appendCommitted;
import static io.iotpay.ledger.audit.AuditTestSupport.count;
import static io.iotpay.ledger.audit.AuditTestSupport.entries;
import static io.iotpay.ledger.audit.AuditTestSupport.keyPair;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.store.Database;
import io.iotpay.foundation.store.TestStores;
import java.nio.file.Path;
import java.security.KeyPair;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class AuditLogTest {
  @TempDir Path tempDir;

  private static AuditLogConfig config(AlgorithmSuite suite, KeyPair keyPair) {
    return AuditLogConfig.of(suite, keyPair);
  }

  @ParameterizedTest
  @MethodSource("io.iotpay.ledger.audit.AuditTestSupport#storesAndSuites")
  void append_commitAddsLeaves_rollbackForgetsThem(Database.Dialect dialect, AlgorithmSuite suite) throws Exception {
    try (Database database = TestStores.open(dialect, tempDir);
        AuditLog log = AuditLog.open(database, config(suite, keyPair(suite)))) {
      assertThat(appendCommitted(database, log, entries(0, 3))).isZero();

      try (Connection connection = database.connection()) {
        connection.setAutoCommit(false);
        assertThat(log.append(connection, entries(3, 2))).isEqualTo(3);
        connection.rollback();
        log.rolledBack();
        connection.setAutoCommit(true);
      }
      assertThat(log.size()).isEqualTo(3);
      assertThat(count(database, "audit_leaf")).isEqualTo(3);

      assertThat(appendCommitted(database, log, entries(3, 4))).isEqualTo(3);
      assertThat(log.appendStandalone(entries(7, 1))).isEqualTo(7);
      assertThat(log.size()).isEqualTo(8);
      assertThat(log.root(8)).isEqualTo(new NaiveRfcTree(suite).mth(entries(0, 8)));
    }
  }

  @ParameterizedTest
  @MethodSource("io.iotpay.ledger.audit.AuditTestSupport#storesAndSuites")
  void append_ofOversizedEntry_isRefused_andLeavesTheLogUsable(Database.Dialect dialect, AlgorithmSuite suite) throws Exception {
    try (Database database = TestStores.open(dialect, tempDir);
        AuditLog log = AuditLog.open(database, config(suite, keyPair(suite)).withEntryBytesMax(16))) {
      assertThatThrownBy(() -> log.appendStandalone(List.of(new byte[4], new byte[17])))
          .isInstanceOf(AuditInputException.class)
          .hasMessageContaining("entry 1 of the batch has 17 bytes");
      assertThat(log.appendStandalone(List.of(new byte[16]))).isZero();
      assertThat(count(database, "audit_leaf")).isEqualTo(1);
    }
  }

  @ParameterizedTest
  @MethodSource("io.iotpay.ledger.audit.AuditTestSupport#storesAndSuites")
  void checkpoints_appearAtLeastEverySecond_underLoad(Database.Dialect dialect, AlgorithmSuite suite) throws Exception {
    CountDownLatch sixCheckpoints = new CountDownLatch(6);
    List<Checkpoint> told = new CopyOnWriteArrayList<>();
    AuditLogConfig config =
        config(suite, keyPair(suite))
            .withCheckpointListener(
                checkpoint -> {
                  told.add(checkpoint);
                  sixCheckpoints.countDown();
                });
    try (Database database = TestStores.open(dialect, tempDir);
        AuditLog log = AuditLog.open(database, config)) {
      AtomicBoolean loading = new AtomicBoolean(true);
      AtomicReference<Throwable> loaderFailure = new AtomicReference<>();
      Thread loader =
          new Thread(
              () -> {
                int next = 0;
                try {
                  while (loading.get()) {
                    appendCommitted(database, log, entries(next, 200));
                    next += 200;
                  }
                } catch (SQLException | RuntimeException e) {
                  loaderFailure.set(e);
                  sixCheckpoints.countDown(); // wake the test; the failure is asserted below
                }
              },
              "audit-test-loader");
      long startMs = System.currentTimeMillis();
      loader.start();
      boolean reached = sixCheckpoints.await(30, TimeUnit.SECONDS);
      loading.set(false);
      loader.join();
      assertThat(loaderFailure.get()).isNull();
      assertThat(reached).as("6 checkpoints within 30 s").isTrue();

      List<Checkpoint> checkpoints = log.checkpoints();
      assertThat(checkpoints.subList(0, 6)).isEqualTo(told.subList(0, 6));
      assertThat(checkpoints.get(0).timestampMs() - startMs).isLessThanOrEqualTo(1000);
      for (int i = 1; i < 6; i++) {
        Checkpoint previous = checkpoints.get(i - 1);
        Checkpoint current = checkpoints.get(i);
        assertThat(current.number()).isEqualTo(previous.number() + 1);
        assertThat(current.timestampMs() - previous.timestampMs()).as("gap before checkpoint %d", current.number()).isLessThanOrEqualTo(1000);
        assertThat(current.treeSize()).isGreaterThan(previous.treeSize());
        assertThat(current.signatureValidUnder(suite.signature().publicKeyFromDer(log.publicKeyDer()))).isTrue();
      }
    }
  }

  @ParameterizedTest
  @MethodSource("io.iotpay.ledger.audit.AuditTestSupport#storesAndSuites")
  void restart_rebuildsTheSameRoot_andContinues(Database.Dialect dialect, AlgorithmSuite suite) throws Exception {
    String url = TestStores.url(dialect, tempDir);
    KeyPair keyPair = keyPair(suite);
    byte[] rootBefore;
    Checkpoint checkpointBefore;
    try (Database database = Database.open(url, 2);
        AuditLog log = AuditLog.open(database, config(suite, keyPair))) {
      appendCommitted(database, log, entries(0, 1000));
      log.appendStandalone(entries(1000, 37));
      checkpointBefore = log.checkpointNow().orElseThrow();
      rootBefore = log.root(log.size());
    }
    try (Database database = Database.open(url, 2);
        AuditLog log = AuditLog.open(database, config(suite, keyPair))) {
      assertThat(log.size()).isEqualTo(1037);
      assertThat(log.root(1037)).isEqualTo(rootBefore);
      assertThat(log.latestCheckpoint()).contains(checkpointBefore);
      assertThat(appendCommitted(database, log, entries(1037, 3))).isEqualTo(1037);
      assertThat(log.root(1040)).isEqualTo(new NaiveRfcTree(suite).mth(entries(0, 1040)));
      List<byte[]> proof = log.consistencyProof(1037, 1040);
      assertThat(MerkleProofs.verifyConsistency(suite, 1037, 1040, rootBefore, log.root(1040), proof)).isTrue();
    }
  }

  @ParameterizedTest
  @MethodSource("io.iotpay.ledger.audit.AuditTestSupport#storesAndSuites")
  void restart_refusesALogWhoseLeafWasChanged(Database.Dialect dialect, AlgorithmSuite suite) throws Exception {
    String url = TestStores.url(dialect, tempDir);
    KeyPair keyPair = keyPair(suite);
    try (Database database = Database.open(url, 2);
        AuditLog log = AuditLog.open(database, config(suite, keyPair))) {
      appendCommitted(database, log, entries(0, 50));
    }
    try (Database database = Database.open(url, 2)) {
      AuditTestSupport.flipLeafByte(database, 17);
      assertThatThrownBy(() -> AuditLog.open(database, config(suite, keyPair)))
          .isInstanceOf(AuditIntegrityException.class)
          .hasMessageContaining("leaf 17");
    }
  }

  @ParameterizedTest
  @MethodSource("io.iotpay.ledger.audit.AuditTestSupport#storesAndSuites")
  void restart_refusesALogWhoseCheckpointDoesNotMatch(Database.Dialect dialect, AlgorithmSuite suite) throws Exception {
    String url = TestStores.url(dialect, tempDir);
    KeyPair keyPair = keyPair(suite);
    try (Database database = Database.open(url, 2);
        AuditLog log = AuditLog.open(database, config(suite, keyPair))) {
      appendCommitted(database, log, entries(0, 20));
    }
    try (Database database = Database.open(url, 2)) {
      // Removing the newest leaf keeps the row chain intact; only the signed checkpoint notices.
      AuditTestSupport.execute(database, "DELETE FROM audit_leaf WHERE leaf_index = 19");
      assertThatThrownBy(() -> AuditLog.open(database, config(suite, keyPair)))
          .isInstanceOf(AuditIntegrityException.class)
          .hasMessageContaining("checkpoint 1: covers 20 leaves but the log holds only 19");
    }
  }

  @ParameterizedTest
  @MethodSource("io.iotpay.ledger.audit.AuditTestSupport#storesAndSuites")
  void open_withTheOtherSuite_isRefused(Database.Dialect dialect, AlgorithmSuite suite) throws Exception {
    AlgorithmSuite other = suite == AlgorithmSuite.NATIONAL ? AlgorithmSuite.INTERNATIONAL : AlgorithmSuite.NATIONAL;
    try (Database database = TestStores.open(dialect, tempDir)) {
      AuditLog.open(database, config(suite, keyPair(suite))).close();
      assertThatThrownBy(() -> AuditLog.open(database, config(other, keyPair(other))))
          .isInstanceOf(AuditInputException.class)
          .hasMessageContaining("uses suite " + suite);
    }
  }

  @ParameterizedTest
  @MethodSource("io.iotpay.ledger.audit.AuditTestSupport#storesAndSuites")
  void proofsFromTheLog_verifyAgainstItsSignedCheckpoint(Database.Dialect dialect, AlgorithmSuite suite) throws Exception {
    try (Database database = TestStores.open(dialect, tempDir);
        AuditLog log = AuditLog.open(database, config(suite, keyPair(suite)))) {
      List<byte[]> all = new ArrayList<>(entries(0, 300));
      appendCommitted(database, log, all);
      Checkpoint checkpoint = log.checkpointNow().orElseThrow();
      TreeHasher hasher = TreeHasher.of(suite);
      for (long index : new long[] {0, 1, 150, 299}) {
        List<byte[]> path = log.inclusionProof(index, checkpoint.treeSize());
        assertThat(MerkleProofs.verifyInclusion(suite, index, checkpoint.treeSize(), hasher.leafHash(all.get((int) index)), path, checkpoint.rootHash()))
            .isTrue();
      }
    }
  }
}
