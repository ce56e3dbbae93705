package io.iotpay.ledger.witness;

import static io.iotpay.ledger.witness.WitnessFixture.RANDOM;
import static io.iotpay.ledger.witness.WitnessFixture.grow;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.store.Database;
import io.iotpay.foundation.store.TestStores;
import io.iotpay.ledger.audit.AuditLog;
import io.iotpay.ledger.audit.AuditVerifier;
import io.iotpay.ledger.audit.Checkpoint;
import io.iotpay.ledger.audit.DatabaseAuditSource;
import io.iotpay.ledger.audit.LeafCheck;
import io.iotpay.ledger.audit.VerificationReport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The witness against a real audit log (SQLite files; PostgreSQL when configured), both suites: it
 * cosigns only checkpoints that extend what it cosigned, refuses forks, rollbacks and replays without
 * changing its record, keeps its files owner-only, and lets the verifier name a truncation and a
 * rewritten history that the database alone no longer shows.
 */
class WitnessTest {
  @TempDir Path tempDir;

  private Path witnessDirectory;

  private Witness initAndOpen(AlgorithmSuite suite, KeyPair logKey) throws Exception {
    witnessDirectory = tempDir.resolve("witness");
    Witness.init(witnessDirectory, suite, logKey.getPublic().getEncoded(), RANDOM);
    return Witness.open(witnessDirectory, Clock.systemUTC());
  }

  private static AddResult add(Witness witness, AuditLog log, Checkpoint checkpoint) throws Exception {
    long oldSize = witness.treeSize();
    return witness.add(checkpoint, oldSize, oldSize == 0 ? List.of() : log.consistencyProof(oldSize, checkpoint.treeSize()));
  }

  private String record() throws Exception {
    return Files.readString(witnessDirectory.resolve(WitnessFiles.COSIGNED), StandardCharsets.UTF_8);
  }

  private List<Cosignature> verifiedRecord(AlgorithmSuite suite, KeyPair logKey) throws Exception {
    PublicKey witnessKey = Witness.publicKey(witnessDirectory, suite);
    return Witness.readVerifiedRecord(witnessDirectory, witnessKey,
        Map.of(Checkpoint.keyIdOf(suite, logKey.getPublic().getEncoded()), logKey.getPublic()));
  }

  private VerificationReport verifyAgainstWitness(Database database, AlgorithmSuite suite, KeyPair logKey) throws Exception {
    return AuditVerifier.verify(DatabaseAuditSource.of(database),
        Map.of(Checkpoint.keyIdOf(suite, logKey.getPublic().getEncoded()), logKey.getPublic()), LeafCheck.none(),
        Witness.trustedHeads(verifiedRecord(suite, logKey)));
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void init_makesTheDirectoryAndEveryFileOwnerOnly_andOpenRefusesThemOpenedUp(AlgorithmSuite suite) throws Exception {
    KeyPair logKey = suite.signature().generateKeyPair(RANDOM);
    initAndOpen(suite, logKey).close();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(witnessDirectory))).isEqualTo("rwx------");
    try (var files = Files.list(witnessDirectory)) {
      for (Path file : files.toList()) {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).as(file.toString()).isEqualTo("rw-------");
      }
    }
    Files.setPosixFilePermissions(witnessDirectory.resolve(WitnessFiles.PRIVATE_KEY), PosixFilePermissions.fromString("rw-r-----"));
    assertThatThrownBy(() -> Witness.open(witnessDirectory, Clock.systemUTC()))
        .isInstanceOf(WitnessInputException.class)
        .hasMessageContaining("witness-private-key.pem is open to group or others (rw-r-----)");
    assertThatThrownBy(() -> Witness.init(witnessDirectory, suite, logKey.getPublic().getEncoded(), RANDOM))
        .isInstanceOf(WitnessInputException.class).hasMessageContaining("is not empty");
  }

  @ParameterizedTest
  @MethodSource("io.iotpay.ledger.witness.WitnessFixture#storesAndSuites")
  void cosignsCheckpointsThatExtendTheLastOne_andRemembersAcrossRestarts(Database.Dialect dialect, AlgorithmSuite suite)
      throws Exception {
    KeyPair logKey = suite.signature().generateKeyPair(RANDOM);
    try (Database database = TestStores.open(dialect, tempDir); AuditLog log = WitnessFixture.open(database, suite, logKey)) {
      try (Witness witness = initAndOpen(suite, logKey)) {
        assertThat(add(witness, log, grow(log, 0, 40, -1))).isInstanceOf(AddResult.Cosigned.class);
        Checkpoint second = grow(log, 40, 33, -1);
        AddResult result = add(witness, log, second);
        assertThat(result).isInstanceOf(AddResult.Cosigned.class);
        assertThat(((AddResult.Cosigned) result).cosignature().checkpoint()).isEqualTo(second);
        String before = record();
        assertThat(add(witness, log, second)).isInstanceOf(AddResult.AlreadyCosigned.class);
        assertThat(record()).isEqualTo(before);
      }
      try (Witness reopened = Witness.open(witnessDirectory, Clock.systemUTC())) {
        assertThat(reopened.treeSize()).isEqualTo(73);
        assertThat(add(reopened, log, grow(log, 73, 1, -1))).isInstanceOf(AddResult.Cosigned.class);
      }
      assertThat(verifiedRecord(suite, logKey)).extracting(c -> c.checkpoint().treeSize()).containsExactly(40L, 73L, 74L);
      assertThat(verifyAgainstWitness(database, suite, logKey).firstFailure()).isNull();
      assertThat(verifyAgainstWitness(database, suite, logKey).trustedHeadsChecked()).isEqualTo(3);
    }
  }

  @ParameterizedTest
  @MethodSource("io.iotpay.ledger.witness.WitnessFixture#storesAndSuites")
  void deletingTheNewest10Entries_isNamedAsATruncation(Database.Dialect dialect, AlgorithmSuite suite) throws Exception {
    KeyPair logKey = suite.signature().generateKeyPair(RANDOM);
    try (Database database = TestStores.open(dialect, tempDir)) {
      try (AuditLog log = WitnessFixture.open(database, suite, logKey); Witness witness = initAndOpen(suite, logKey)) {
        grow(log, 0, 50, -1);
        add(witness, log, grow(log, 50, 50, -1));
      }
      WitnessFixture.truncate(database, 100, 10);
      // The database alone verifies: the newest 10 leaves went with the checkpoints that covered them.
      VerificationReport alone = AuditVerifier.verify(DatabaseAuditSource.of(database),
          Map.of(Checkpoint.keyIdOf(suite, logKey.getPublic().getEncoded()), logKey.getPublic()), LeafCheck.none());
      assertThat(alone.firstFailure()).isNull();
      assertThat(alone.leavesChecked()).isEqualTo(90);

      VerificationReport report = verifyAgainstWitness(database, suite, logKey);
      assertThat(report.firstFailure().subject()).isEqualTo(VerificationReport.Subject.WITNESS);
      assertThat(report.firstFailure().describe())
          .startsWith("witness: truncation: witness ")
          .contains("holds a checkpoint of tree size 100 but the log holds only 90 leaves");
    }
  }

  @ParameterizedTest
  @MethodSource("io.iotpay.ledger.witness.WitnessFixture#storesAndSuites")
  void rewritingHistoryAfterACheckpointTheWitnessHolds_isNamedAsAFork(Database.Dialect dialect, AlgorithmSuite suite)
      throws Exception {
    KeyPair logKey = suite.signature().generateKeyPair(RANDOM);
    try (Database database = TestStores.open(dialect, tempDir)) {
      try (AuditLog log = WitnessFixture.open(database, suite, logKey); Witness witness = initAndOpen(suite, logKey)) {
        add(witness, log, grow(log, 0, 30, -1));
        add(witness, log, grow(log, 30, 30, -1));
      }
      WitnessFixture.rewrite(database, suite, logKey, new int[] {30, 60, 80}, 42);
      VerificationReport alone = AuditVerifier.verify(DatabaseAuditSource.of(database),
          Map.of(Checkpoint.keyIdOf(suite, logKey.getPublic().getEncoded()), logKey.getPublic()), LeafCheck.none());
      assertThat(alone.firstFailure()).as("the insider re-signed every checkpoint").isNull();

      VerificationReport report = verifyAgainstWitness(database, suite, logKey);
      assertThat(report.firstFailure().describe())
          .startsWith("witness: fork: witness ")
          .contains("at tree size 60 but the log's leaves give");
      assertThat(report.trustedHeadsChecked()).isEqualTo(1); // size 30 still matches: the change is in 30..59
    }
  }

  @ParameterizedTest
  @MethodSource("io.iotpay.ledger.witness.WitnessFixture#storesAndSuites")
  void askedToCosignAForkASmallerTreeOrAReplay_refuses_andChangesNothing(Database.Dialect dialect, AlgorithmSuite suite)
      throws Exception {
    KeyPair logKey = suite.signature().generateKeyPair(RANDOM);
    Database forkDatabase = TestStores.open(dialect, tempDir);
    try (Database database = TestStores.open(dialect, tempDir); forkDatabase;
        AuditLog log = WitnessFixture.open(database, suite, logKey);
        AuditLog fork = WitnessFixture.open(forkDatabase, suite, logKey);
        Witness witness = initAndOpen(suite, logKey)) {
      Checkpoint first = grow(log, 0, 20, -1);
      grow(fork, 0, 20, 7); // checkpoint 1 of another history under the same key: leaf 7 rewritten
      assertThat(add(witness, log, first)).isInstanceOf(AddResult.Cosigned.class);
      Checkpoint second = grow(log, 20, 20, -1);
      assertThat(add(witness, log, second)).isInstanceOf(AddResult.Cosigned.class);
      String before = record();

      grow(fork, 20, 10, -1); // checkpoint 2, size 30
      Checkpoint forkAt40 = grow(fork, 30, 10, -1); // checkpoint 3, size 40: the witness's size, another root
      assertRefused(witness, forkAt40, 40, List.of(), Refusal.FORK_SAME_SIZE);
      Checkpoint forkAt45 = grow(fork, 40, 5, -1);
      assertRefused(witness, forkAt45, 40, fork.consistencyProof(40, 45), Refusal.FORK_PROOF_INVALID);
      assertRefused(witness, grow(fork, 45, 2, -1), 20, fork.consistencyProof(20, 47), Refusal.OLD_SIZE_MISMATCH);
      assertRefused(witness, first, 40, List.of(), Refusal.REPLAY);
      // A smaller tree signed later (the log truncated and re-signed by its own key), and a number used twice.
      try (Database other = TestStores.open(dialect, tempDir); AuditLog truncated = WitnessFixture.open(other, suite, logKey)) {
        grow(truncated, 0, 10, -1);
        Checkpoint reusedNumber = grow(truncated, 10, 35, -1);
        assertThat(reusedNumber.number()).isEqualTo(2);
        assertRefused(witness, reusedNumber, 40, truncated.consistencyProof(40, 45), Refusal.NUMBER_REUSED);
        // The insider signs checkpoint 3 of the first 35 leaves with the log's key.
        String keyId = Checkpoint.keyIdOf(suite, logKey.getPublic().getEncoded());
        byte[] root = truncated.root(35);
        long timeMs = System.currentTimeMillis();
        Checkpoint smaller = new Checkpoint(3, 35, root, timeMs, suite, keyId,
            suite.signature().sign(logKey.getPrivate(), Checkpoint.signedBytes(3, 35, root, timeMs, suite, keyId)));
        assertRefused(witness, smaller, 35, List.of(), Refusal.ROLLBACK);
      }
      assertThat(record()).isEqualTo(before);
      assertThat(witness.latest().orElseThrow().checkpoint()).isEqualTo(second);
    }
  }

  private static void assertRefused(Witness witness, Checkpoint checkpoint, long oldSize, List<byte[]> proof, Refusal reason)
      throws Exception {
    AddResult result = witness.add(checkpoint, oldSize, proof);
    assertThat(result).isInstanceOf(AddResult.Refused.class);
    assertThat(((AddResult.Refused) result).reason()).isEqualTo(reason);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void checkpointsNotSignedByTheLogsKey_areRefused(AlgorithmSuite suite) throws Exception {
    KeyPair logKey = suite.signature().generateKeyPair(RANDOM);
    KeyPair otherKey = suite.signature().generateKeyPair(RANDOM);
    try (Database database = TestStores.open(Database.Dialect.SQLITE, tempDir);
        AuditLog other = WitnessFixture.open(database, suite, otherKey);
        Witness witness = initAndOpen(suite, logKey)) {
      Checkpoint foreign = grow(other, 0, 5, -1);
      assertRefused(witness, foreign, 0, List.of(), Refusal.UNKNOWN_LOG);
      // The log's key id on another key's signature.
      String logKeyId = Checkpoint.keyIdOf(suite, logKey.getPublic().getEncoded());
      Checkpoint forged = new Checkpoint(foreign.number(), foreign.treeSize(), foreign.rootHash(), foreign.timestampMs(), suite,
          logKeyId, foreign.signature());
      assertRefused(witness, forged, 0, List.of(), Refusal.LOG_SIGNATURE_INVALID);
      assertThat(witness.latest()).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void aForgedOrAlteredCosignature_isRefusedByTheVerifierAndByTheWitness(AlgorithmSuite suite) throws Exception {
    KeyPair logKey = suite.signature().generateKeyPair(RANDOM);
    try (Database database = TestStores.open(Database.Dialect.SQLITE, tempDir); AuditLog log = WitnessFixture.open(database, suite, logKey)) {
      try (Witness witness = initAndOpen(suite, logKey)) {
        add(witness, log, grow(log, 0, 10, -1));
        add(witness, log, grow(log, 10, 10, -1));
      }
      // Someone who can write the witness's directory but lacks its key moves its cosigned head back to size 10.
      List<Cosignature> record = verifiedRecord(suite, logKey);
      Cosignature last = record.get(1);
      Cosignature forged = new Cosignature(record.get(0).checkpoint(), last.witnessKeyId(), last.timestampMs() + 1, last.signature());
      String lines = WitnessFiles.toLine(record.get(0)) + "\n" + WitnessFiles.toLine(forged) + "\n";
      Files.writeString(witnessDirectory.resolve(WitnessFiles.COSIGNED), lines, StandardCharsets.UTF_8);
      assertThatThrownBy(() -> verifiedRecord(suite, logKey))
          .isInstanceOf(WitnessIntegrityException.class)
          .hasMessageContaining("line 2");
      // Signed with a key that is not the witness's: refused too.
      KeyPair impostor = suite.signature().generateKeyPair(RANDOM);
      byte[] impostorSignature = suite.signature().sign(impostor.getPrivate(), last.signedBytes());
      Files.writeString(witnessDirectory.resolve(WitnessFiles.COSIGNED), WitnessFiles.toLine(record.get(0)) + "\n"
          + WitnessFiles.toLine(new Cosignature(last.checkpoint(), last.witnessKeyId(), last.timestampMs(), impostorSignature)) + "\n");
      assertThatThrownBy(() -> verifiedRecord(suite, logKey))
          .isInstanceOf(WitnessIntegrityException.class)
          .hasMessageContaining("does not verify under witness key");
      assertThatThrownBy(() -> Witness.open(witnessDirectory, Clock.systemUTC()))
          .isInstanceOf(WitnessIntegrityException.class)
          .hasMessageContaining("(forged or altered)");
    }
  }

  @ParameterizedTest
  @MethodSource("io.iotpay.ledger.witness.WitnessFixture#storesAndSuites")
  void listener_exportsEveryCheckpointAsTheLogMakesIt(Database.Dialect dialect, AlgorithmSuite suite) throws Exception {
    KeyPair logKey = suite.signature().generateKeyPair(RANDOM);
    try (Database database = TestStores.open(dialect, tempDir); Witness witness = initAndOpen(suite, logKey)) {
      WitnessCheckpointListener listener = new WitnessCheckpointListener(witness);
      Checkpoint last;
      try (AuditLog log = AuditLog.open(database,
          io.iotpay.ledger.audit.AuditLogConfig.of(suite, logKey).withCheckpointIntervalMs(1000).withCheckpointListener(listener))) {
        listener.attach(log::consistencyProof);
        for (int i = 0; i < 5; i++) {
          grow(log, i * 7, 7, -1);
        }
        log.close(); // signs a last checkpoint if any leaf is uncovered
        last = log.latestCheckpoint().orElseThrow();
      }
      listener.close(); // waits for the exporter to finish what is queued
      assertThat(listener.refusedCount()).isZero();
      assertThat(witness.latest().orElseThrow().checkpoint()).isEqualTo(last);
      assertThat(verifyAgainstWitness(database, suite, logKey).firstFailure()).isNull();
    }
  }
}
