package io.iotpay.ledger.audit;

import static io.iotpay.ledger.audit.AuditTestSupport.appendCommitted;
import static io.iotpay.ledger.audit.AuditTestSupport.entries;
import static io.iotpay.ledger.audit.AuditTestSupport.keyPair;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.store.Database;
import io.iotpay.foundation.store.TestStores;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The verifier on both stores and suites: untampered logs verify; each kind of tampering is named. */
class AuditVerifierTest {
  @TempDir Path tempDir;

  /** A log of 3 checkpoints (sizes 40, 70, 100) and 5 unsigned leaves. Returns the key pair. */
  private static KeyPair populate(Database database, AlgorithmSuite suite) throws Exception {
    KeyPair keyPair = keyPair(suite);
    // An interval of 1 s and explicit checkpointNow() calls keep the checkpoint sizes predictable.
    try (AuditLog log = AuditLog.open(database, AuditLogConfig.of(suite, keyPair).withCheckpointIntervalMs(1000))) {
      appendCommitted(database, log, entries(0, 40));
      log.checkpointNow();
      appendCommitted(database, log, entries(40, 30));
      log.checkpointNow();
      log.appendStandalone(entries(70, 30));
      log.checkpointNow();
    }
    return keyPair;
  }

  private static Map<String, PublicKey> trusted(AlgorithmSuite suite, KeyPair keyPair) {
    byte[] der = keyPair.getPublic().getEncoded();
    return Map.of(Checkpoint.keyIdOf(suite, der), keyPair.getPublic());
  }

  private static VerificationReport verify(Database database, AlgorithmSuite suite, KeyPair keyPair) throws Exception {
    return AuditVerifier.verify(DatabaseAuditSource.of(database), trusted(suite, keyPair), LeafCheck.none());
  }

  @ParameterizedTest
  @MethodSource("io.iotpay.ledger.audit.AuditTestSupport#storesAndSuites")
  void untamperedLog_verifies(Database.Dialect dialect, AlgorithmSuite suite) throws Exception {
    try (Database database = TestStores.open(dialect, tempDir)) {
      KeyPair keyPair = populate(database, suite);
      VerificationReport report = verify(database, suite, keyPair);
      assertThat(report.firstFailure()).isNull();
      assertThat(report.leavesChecked()).isEqualTo(100);
      assertThat(report.checkpointsChecked()).isEqualTo(3);
      assertThat(report.signedTreeSize()).isEqualTo(100);
    }
  }

  @ParameterizedTest
  @MethodSource("io.iotpay.ledger.audit.AuditTestSupport#storesAndSuites")
  void changedLeafByte_isNamed(Database.Dialect dialect, AlgorithmSuite suite) throws Exception {
    try (Database database = TestStores.open(dialect, tempDir)) {
      KeyPair keyPair = populate(database, suite);
      AuditTestSupport.flipLeafByte(database, 55);
      assertThat(verify(database, suite, keyPair).firstFailure().describe()).startsWith("leaf 55: entry bytes changed or moved");
    }
  }

  @ParameterizedTest
  @MethodSource("io.iotpay.ledger.audit.AuditTestSupport#storesAndSuites")
  void deletedLeafRow_isNamed(Database.Dialect dialect, AlgorithmSuite suite) throws Exception {
    try (Database database = TestStores.open(dialect, tempDir)) {
      KeyPair keyPair = populate(database, suite);
      AuditTestSupport.execute(database, "DELETE FROM audit_leaf WHERE leaf_index = 12");
      assertThat(verify(database, suite, keyPair).firstFailure().describe()).isEqualTo("leaf 12: missing (the next stored leaf is 13)");
    }
  }

  @ParameterizedTest
  @MethodSource("io.iotpay.ledger.audit.AuditTestSupport#storesAndSuites")
  void reorderedLeafRows_areNamed(Database.Dialect dialect, AlgorithmSuite suite) throws Exception {
    try (Database database = TestStores.open(dialect, tempDir)) {
      KeyPair keyPair = populate(database, suite);
      AuditTestSupport.swapLeafRows(database, 63, 64);
      assertThat(verify(database, suite, keyPair).firstFailure().describe()).startsWith("leaf 63: ");
    }
  }

  @ParameterizedTest
  @MethodSource("io.iotpay.ledger.audit.AuditTestSupport#storesAndSuites")
  void swappedCheckpointSignatures_areNamed(Database.Dialect dialect, AlgorithmSuite suite) throws Exception {
    try (Database database = TestStores.open(dialect, tempDir)) {
      KeyPair keyPair = populate(database, suite);
      AuditTestSupport.swapSignatures(database, 2, 3);
      assertThat(verify(database, suite, keyPair).firstFailure().describe()).startsWith("checkpoint 2: signature does not verify");
    }
  }

  @ParameterizedTest
  @MethodSource("io.iotpay.ledger.audit.AuditTestSupport#storesAndSuites")
  void leafAndChainRewritten_isCaughtByTheSignedRoot(Database.Dialect dialect, AlgorithmSuite suite) throws Exception {
    try (Database database = TestStores.open(dialect, tempDir)) {
      KeyPair keyPair = populate(database, suite);
      // An attacker who also rewrites the row chain from leaf 45 on: only the checkpoint can tell.
      TreeHasher hasher = TreeHasher.of(suite);
      byte[] chain = AuditTestSupport.bytesOf(database, "SELECT chain_hash FROM audit_leaf WHERE leaf_index = ?", 44);
      for (long index = 45; index < 100; index++) {
        byte[] entry = AuditTestSupport.bytesOf(database, "SELECT entry FROM audit_leaf WHERE leaf_index = ?", index);
        if (index == 45) {
          entry = "transfer 45 amountMinor=999999".getBytes(StandardCharsets.UTF_8);
        }
        chain = hasher.chainHash(chain, hasher.leafHash(entry));
        AuditTestSupport.execute(database, "UPDATE audit_leaf SET entry = ?, chain_hash = ? WHERE leaf_index = ?", entry, chain, index);
      }
      assertThat(verify(database, suite, keyPair).firstFailure().describe())
          .startsWith("checkpoint 2: signed root")
          .contains("a leaf in 40..69");
    }
  }

  @ParameterizedTest
  @MethodSource("io.iotpay.ledger.audit.AuditTestSupport#storesAndSuites")
  void checkpointsSignedByAnotherKey_areNotTrusted(Database.Dialect dialect, AlgorithmSuite suite) throws Exception {
    try (Database database = TestStores.open(dialect, tempDir)) {
      populate(database, suite);
      VerificationReport report = verify(database, suite, keyPair(suite));
      assertThat(report.firstFailure().describe()).startsWith("checkpoint 1: signed by key ").endsWith("which is not trusted");
    }
  }

  @ParameterizedTest
  @MethodSource("io.iotpay.ledger.audit.AuditTestSupport#storesAndSuites")
  void leafCheckHook_namesTheLeafItRejects(Database.Dialect dialect, AlgorithmSuite suite) throws Exception {
    try (Database database = TestStores.open(dialect, tempDir)) {
      KeyPair keyPair = populate(database, suite);
      LeafCheck ledgerRows = (index, entry) -> index == 77 ? Optional.of("ledger row differs") : Optional.empty();
      VerificationReport report = AuditVerifier.verify(DatabaseAuditSource.of(database), trusted(suite, keyPair), ledgerRows);
      assertThat(report.firstFailure().describe()).isEqualTo("leaf 77: ledger row differs");
      assertThat(report.leavesChecked()).isEqualTo(77);
    }
  }

  @ParameterizedTest
  @MethodSource("io.iotpay.ledger.audit.AuditTestSupport#storesAndSuites")
  void export_verifiesOffline_andATamperedExportIsNamed(Database.Dialect dialect, AlgorithmSuite suite) throws Exception {
    Path directory = tempDir.resolve("export");
    try (Database database = TestStores.open(dialect, tempDir)) {
      KeyPair keyPair = populate(database, suite);
      AuditExport.Summary summary = AuditExport.write(DatabaseAuditSource.of(database), directory);
      assertThat(summary).isEqualTo(new AuditExport.Summary(suite, 100, 3));

      AuditSource exported = AuditExport.open(directory);
      assertThat(AuditVerifier.keysOf(exported)).containsOnlyKeys(Checkpoint.keyIdOf(suite, keyPair.getPublic().getEncoded()));
      VerificationReport report = AuditVerifier.verify(exported, trusted(suite, keyPair), LeafCheck.none());
      assertThat(report.firstFailure()).isNull();
      assertThat(report.leavesChecked()).isEqualTo(100);

      List<String> lines = Files.readAllLines(directory.resolve(AuditExport.LEAVES));
      lines.set(50, lines.get(50).replace('A', 'B').replace('0', '1'));
      Files.write(directory.resolve(AuditExport.LEAVES), lines);
      assertThat(AuditVerifier.verify(AuditExport.open(directory), trusted(suite, keyPair), LeafCheck.none()).firstFailure().describe())
          .startsWith("checkpoint 2: signed root");
    }
  }

  @ParameterizedTest
  @MethodSource("io.iotpay.ledger.audit.AuditTestSupport#storesAndSuites")
  void export_withMalformedLine_isRefusedNamingTheLine(Database.Dialect dialect, AlgorithmSuite suite) throws Exception {
    Path directory = tempDir.resolve("export");
    try (Database database = TestStores.open(dialect, tempDir)) {
      KeyPair keyPair = populate(database, suite);
      AuditExport.write(DatabaseAuditSource.of(database), directory);
      List<String> lines = Files.readAllLines(directory.resolve(AuditExport.LEAVES));
      lines.set(9, "zz");
      Files.write(directory.resolve(AuditExport.LEAVES), lines);
      assertThatThrownBy(() -> AuditVerifier.verify(AuditExport.open(directory), trusted(suite, keyPair), LeafCheck.none()))
          .isInstanceOf(AuditInputException.class)
          .hasMessageContaining("leaves.txt line 10");
      assertThatThrownBy(() -> AuditExport.write(DatabaseAuditSource.of(database), directory))
          .isInstanceOf(AuditInputException.class)
          .hasMessageContaining("not empty");
    }
  }
}
