package io.iotpay.app.cli.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iotpay.app.cli.AuditCommand;
import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.ledger.audit.AuditLog;
import io.iotpay.ledger.audit.AuditLogConfig;
import io.iotpay.ledger.audit.PublicKeyPem;
import io.iotpay.foundation.store.Database;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code iotpay audit …} end to end through {@code Main.run}, on logs written by {@link AuditLog} to
 * SQLite and (when {@code IOTPAY_TEST_POSTGRES_URL} is set) PostgreSQL, tampered with by direct SQL.
 */
class AuditCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String POSTGRES_URL_VARIABLE = "IOTPAY_TEST_POSTGRES_URL";

  @TempDir Path tempDir;
  private Path dbFile;
  private Path publicKeyFile;
  /** The JDBC URL of the test's database. */
  private String dbUrl;
  /** What the test passes as {@code --db}: a plain path for SQLite (the demo's form), the URL for PostgreSQL. */
  private String dbArg;

  @BeforeEach
  void paths() {
    dbFile = tempDir.resolve("iotpay.db");
    publicKeyFile = tempDir.resolve("audit-key.pem");
    dbUrl = "jdbc:sqlite:" + dbFile;
    dbArg = dbFile.toString();
  }

  /** Both stores × both suites; PostgreSQL cases skip unless IOTPAY_TEST_POSTGRES_URL is set. */
  static Stream<Arguments> storesAndSuites() {
    List<Arguments> out = new ArrayList<>();
    for (Database.Dialect dialect : Database.Dialect.values()) {
      for (AlgorithmSuite suite : AlgorithmSuite.values()) {
        out.add(Arguments.of(dialect, suite));
      }
    }
    return out.stream();
  }

  private void useStore(Database.Dialect dialect) throws Exception {
    if (dialect == Database.Dialect.SQLITE) {
      return;
    }
    String base = System.getenv(POSTGRES_URL_VARIABLE);
    Assumptions.assumeTrue(base != null && !base.isBlank(), POSTGRES_URL_VARIABLE + " not set: PostgreSQL test skipped");
    String schema = "t_" + UUID.randomUUID().toString().replace("-", "");
    try (Connection connection = DriverManager.getConnection(base);
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE SCHEMA " + schema);
    }
    dbUrl = base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    dbArg = dbUrl;
  }

  /** On the store: 100 leaves under checkpoints at sizes 40, 70 and 100; writes the public key PEM. */
  private void populate(Database.Dialect dialect, AlgorithmSuite suite) throws Exception {
    useStore(dialect);
    populate(suite);
  }

  /** On SQLite: 100 leaves under checkpoints at sizes 40, 70 and 100; writes the public key PEM. */
  private void populate(AlgorithmSuite suite) throws Exception {
    KeyPair keyPair = suite.signature().generateKeyPair(new SecureRandom());
    Files.writeString(publicKeyFile, PublicKeyPem.encode(keyPair.getPublic().getEncoded()));
    try (Database database = Database.open(dbUrl, 2);
        AuditLog log = AuditLog.open(database, AuditLogConfig.of(suite, keyPair).withCheckpointIntervalMs(1000))) {
      log.appendStandalone(entries(0, 40));
      log.checkpointNow();
      log.appendStandalone(entries(40, 30));
      log.checkpointNow();
      log.appendStandalone(entries(70, 30));
      log.checkpointNow();
    }
  }

  private static List<byte[]> entries(int from, int count) {
    List<byte[]> out = new ArrayList<>();
    for (int i = from; i < from + count; i++) {
      out.add(("decision " + i + " amountMinor=" + (i * 53 % 997)).getBytes(StandardCharsets.UTF_8));
    }
    return out;
  }

  private void sql(String statement, Object... parameters) throws Exception {
    try (Database database = Database.open(dbUrl, 1);
        Connection connection = database.connection();
        PreparedStatement update = connection.prepareStatement(statement)) {
      for (int i = 0; i < parameters.length; i++) {
        update.setObject(i + 1, parameters[i]);
      }
      update.executeUpdate();
    }
  }

  private byte[] bytes(String query, long key) throws Exception {
    try (Database database = Database.open(dbUrl, 1);
        Connection connection = database.connection();
        PreparedStatement select = connection.prepareStatement(query)) {
      select.setLong(1, key);
      try (ResultSet rows = select.executeQuery()) {
        rows.next();
        return rows.getBytes(1);
      }
    }
  }

  private CliRun verifyDb() {
    return CliRun.of("audit", "verify", "--db", dbArg, "--public-key", publicKeyFile.toString());
  }

  @ParameterizedTest
  @MethodSource("storesAndSuites")
  void verify_untamperedLog_exits0(Database.Dialect dialect, AlgorithmSuite suite) throws Exception {
    populate(dialect, suite);
    CliRun run = verifyDb();
    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode report = JSON.readTree(run.out());
    assertThat(report.get("verified").asBoolean()).isTrue();
    assertThat(report.get("leaves").asLong()).isEqualTo(100);
    assertThat(report.get("checkpoints").asLong()).isEqualTo(3);
    assertThat(report.get("suite").asText()).isEqualTo(suite.name());

    CliRun withoutKey = CliRun.of("audit", "verify", "--db", dbUrl);
    assertThat(withoutKey.exitCode()).isEqualTo(2);
    assertThat(withoutKey.out()).isEmpty();
    assertThat(withoutKey.err().strip()).doesNotContain("\n")
        .startsWith("iotpay: audit verify needs --public-key PEM").contains("--self-consistency-only");

    CliRun withStoredKey = CliRun.of("audit", "verify", "--db", dbUrl, "--self-consistency-only");
    assertThat(withStoredKey.exitCode()).isZero();
    assertThat(withStoredKey.err()).startsWith("audit verify: SELF-CONSISTENCY ONLY: the signing key was read from the log being checked")
        .contains("audit verify: OK, SELF-CONSISTENCY ONLY (");
    assertThat(JSON.readTree(withStoredKey.out()).get("selfConsistencyOnly").asBoolean()).isTrue();
    assertThat(JSON.readTree(withStoredKey.out()).get("keySource").asText()).isEqualTo("log");
    assertThat(JSON.readTree(run.out()).get("selfConsistencyOnly").asBoolean()).isFalse();

    CliRun both = CliRun.of("audit", "verify", "--db", dbUrl, "--self-consistency-only", "--public-key", publicKeyFile.toString());
    assertThat(both.exitCode()).isEqualTo(2);
  }

  @ParameterizedTest
  @MethodSource("storesAndSuites")
  void verify_afterOneLeafByteChanged_exits1NamingTheLeaf(Database.Dialect dialect, AlgorithmSuite suite) throws Exception {
    populate(dialect, suite);
    byte[] entry = bytes("SELECT entry FROM audit_leaf WHERE leaf_index = ?", 17);
    entry[3] ^= 0x20;
    sql("UPDATE audit_leaf SET entry = ? WHERE leaf_index = 17", entry);
    CliRun run = verifyDb();
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("FAILED at leaf 17:");
    JsonNode failure = JSON.readTree(run.out()).get("firstFailure");
    assertThat(failure.get("entry").asText()).isEqualTo("leaf");
    assertThat(failure.get("number").asLong()).isEqualTo(17);
  }

  @ParameterizedTest
  @MethodSource("storesAndSuites")
  void verify_afterALeafRowDeleted_exits1NamingTheLeaf(Database.Dialect dialect, AlgorithmSuite suite) throws Exception {
    populate(dialect, suite);
    sql("DELETE FROM audit_leaf WHERE leaf_index = 42");
    CliRun run = verifyDb();
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("FAILED at leaf 42: missing");
  }

  @ParameterizedTest
  @MethodSource("storesAndSuites")
  void verify_afterTwoRowsReordered_exits1NamingTheFirst(Database.Dialect dialect, AlgorithmSuite suite) throws Exception {
    populate(dialect, suite);
    byte[] entry5 = bytes("SELECT entry FROM audit_leaf WHERE leaf_index = ?", 5);
    byte[] chain5 = bytes("SELECT chain_hash FROM audit_leaf WHERE leaf_index = ?", 5);
    byte[] entry9 = bytes("SELECT entry FROM audit_leaf WHERE leaf_index = ?", 9);
    byte[] chain9 = bytes("SELECT chain_hash FROM audit_leaf WHERE leaf_index = ?", 9);
    sql("UPDATE audit_leaf SET entry = ?, chain_hash = ? WHERE leaf_index = 5", entry9, chain9);
    sql("UPDATE audit_leaf SET entry = ?, chain_hash = ? WHERE leaf_index = 9", entry5, chain5);
    CliRun run = verifyDb();
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("FAILED at leaf 5:");
  }

  @ParameterizedTest
  @MethodSource("storesAndSuites")
  void verify_afterCheckpointSignaturesSwapped_exits1NamingTheCheckpoint(Database.Dialect dialect, AlgorithmSuite suite) throws Exception {
    populate(dialect, suite);
    byte[] first = bytes("SELECT signature FROM audit_checkpoint WHERE checkpoint_number = ?", 1);
    byte[] second = bytes("SELECT signature FROM audit_checkpoint WHERE checkpoint_number = ?", 2);
    sql("UPDATE audit_checkpoint SET signature = ? WHERE checkpoint_number = 1", second);
    sql("UPDATE audit_checkpoint SET signature = ? WHERE checkpoint_number = 2", first);
    CliRun run = verifyDb();
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("FAILED at checkpoint 1: signature does not verify");
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void verify_withSomeoneElsesKey_exits1(AlgorithmSuite suite) throws Exception {
    populate(suite);
    KeyPair other = suite.signature().generateKeyPair(new SecureRandom());
    Files.writeString(publicKeyFile, PublicKeyPem.encode(other.getPublic().getEncoded()));
    CliRun run = verifyDb();
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("FAILED at checkpoint 1: signed by key").contains("not trusted");
  }

  @ParameterizedTest
  @MethodSource("storesAndSuites")
  void exportThenVerifyFrom_exits0_andATamperedExportExits1(Database.Dialect dialect, AlgorithmSuite suite) throws Exception {
    populate(dialect, suite);
    Path out = tempDir.resolve("export");
    CliRun export = CliRun.of("audit", "export", "--db", dbArg, "--out", out.toString());
    assertThat(export.exitCode()).as(export.err()).isZero();
    assertThat(JSON.readTree(export.out()).get("leaves").asLong()).isEqualTo(100);

    CliRun verify = CliRun.of("audit", "verify", "--from", out.toString(), "--public-key", publicKeyFile.toString());
    assertThat(verify.exitCode()).as(verify.err()).isZero();

    List<String> lines = new ArrayList<>(Files.readAllLines(out.resolve("leaves.txt")));
    lines.remove(80);
    Files.write(out.resolve("leaves.txt"), lines);
    CliRun tampered = CliRun.of("audit", "verify", "--from", out.toString(), "--public-key", publicKeyFile.toString());
    assertThat(tampered.exitCode()).isEqualTo(1);
    assertThat(tampered.err()).contains("FAILED at checkpoint 3:");
  }

  @Test
  void root_ofTheCertificateTransparencyLeaves_isThePublishedRoot() throws Exception {
    // RFC 6962 test data of the CT reference implementations (transparency-dev/merkle
    // proof/verify_test.go, `leaves` and `roots[7]`): the head of all 8 leaves.
    Path leaves = tempDir.resolve("leaves.txt");
    Files.writeString(leaves, "\n00\n10\n2021\n3031\n40414243\n5051525354555657\n606162636465666768696a6b6c6d6e6f\n");
    CliRun run = CliRun.of("audit", "root", "--suite", "INTERNATIONAL", "--leaves", leaves.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out().strip()).isEqualTo("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328");
  }

  @Test
  void root_underSm3_equalsTheRfcFormulaComputedByHand() throws Exception {
    // Three leaves: MTH = H(0x01 || H(0x01 || H(0x00||a) || H(0x00||b)) || H(0x00||c)) per RFC 9162 §2.1.1,
    // computed here with the suite's digest directly.
    Path leaves = tempDir.resolve("leaves.txt");
    Files.writeString(leaves, "61\n62\n63\n");
    var sm3 = AlgorithmSuite.NATIONAL.digest();
    byte[] a = sm3.digest(new byte[] {0}, new byte[] {0x61});
    byte[] b = sm3.digest(new byte[] {0}, new byte[] {0x62});
    byte[] c = sm3.digest(new byte[] {0}, new byte[] {0x63});
    byte[] expected = sm3.digest(new byte[] {1}, sm3.digest(new byte[] {1}, a, b), c);
    CliRun run = CliRun.of("audit", "root", "--suite", "national", "--leaves", leaves.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out().strip()).isEqualTo(Hex.encode(expected).toLowerCase(Locale.ROOT));
  }

  @Test
  void root_withABadLine_exits2NamingTheLine() throws Exception {
    Path leaves = tempDir.resolve("leaves.txt");
    Files.writeString(leaves, "00\n10\n2x21\n");
    CliRun run = CliRun.of("audit", "root", "--suite", "INTERNATIONAL", "--leaves", leaves.toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("line 3").contains("not a hex digit");
  }

  @ParameterizedTest
  @MethodSource("storesAndSuites")
  void proveThenCheckProof_holds_andAFlippedRootFails(Database.Dialect dialect, AlgorithmSuite suite) throws Exception {
    populate(dialect, suite);
    CliRun prove = CliRun.of("audit", "prove", "--db", dbArg, "--entry", "57");
    assertThat(prove.exitCode()).as(prove.err()).isZero();
    ObjectNode proof = (ObjectNode) JSON.readTree(prove.out());
    assertThat(proof.get("treeSize").asLong()).isEqualTo(100);
    assertThat(proof.get("leafIndex").asLong()).isEqualTo(57);
    assertThat(proof.get("checkpoint").get("number").asLong()).isEqualTo(3);
    Path proofFile = tempDir.resolve("proof.json");
    Files.writeString(proofFile, prove.out());

    CliRun withoutKey = CliRun.of("audit", "check-proof", proofFile.toString());
    assertThat(withoutKey.exitCode()).isEqualTo(2);
    assertThat(withoutKey.err()).contains("audit check-proof needs --public-key PEM");
    CliRun selfConsistent = CliRun.of("audit", "check-proof", proofFile.toString(), "--self-consistency-only");
    assertThat(selfConsistent.exitCode()).isZero();
    assertThat(selfConsistent.err()).contains("OK, SELF-CONSISTENCY ONLY");
    assertThat(CliRun.of("audit", "check-proof", proofFile.toString(), "--public-key", publicKeyFile.toString()).exitCode()).isZero();

    String root = proof.get("root").asText();
    proof.put("root", (root.charAt(0) == '0' ? "1" : "0") + root.substring(1));
    Files.writeString(proofFile, JSON.writeValueAsString(proof));
    CliRun flipped = CliRun.of("audit", "check-proof", proofFile.toString(), "--self-consistency-only");
    assertThat(flipped.exitCode()).isEqualTo(1);
    assertThat(JSON.readTree(flipped.out()).get("valid").asBoolean()).isFalse();
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void proveAgainstAnEarlierCheckpoint_isSignedThere_andOtherKeysAreRefused(AlgorithmSuite suite) throws Exception {
    populate(suite);
    CliRun prove = CliRun.of("audit", "prove", "--db", dbFile.toString(), "--entry", "3", "--against", "40");
    assertThat(prove.exitCode()).as(prove.err()).isZero();
    assertThat(JSON.readTree(prove.out()).get("checkpoint").get("number").asLong()).isEqualTo(1);
    Path proofFile = tempDir.resolve("proof.json");
    Files.writeString(proofFile, prove.out());
    Path otherKey = tempDir.resolve("other.pem");
    Files.writeString(otherKey, PublicKeyPem.encode(suite.signature().generateKeyPair(new SecureRandom()).getPublic().getEncoded()));
    CliRun run = CliRun.of("audit", "check-proof", proofFile.toString(), "--public-key", otherKey.toString());
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("not signed by a trusted key");
  }

  @ParameterizedTest
  @MethodSource("storesAndSuites")
  void consistencyProofBetweenCheckpoints_holds_andAFlippedRootFails(Database.Dialect dialect, AlgorithmSuite suite) throws Exception {
    populate(dialect, suite);
    CliRun prove = CliRun.of("audit", "prove", "--db", dbArg, "--since", "40");
    assertThat(prove.exitCode()).as(prove.err()).isZero();
    ObjectNode proof = (ObjectNode) JSON.readTree(prove.out());
    assertThat(proof.get("firstSize").asLong()).isEqualTo(40);
    assertThat(proof.get("secondSize").asLong()).isEqualTo(100);
    assertThat(proof.get("firstCheckpoint").get("number").asLong()).isEqualTo(1);
    assertThat(proof.get("secondCheckpoint").get("number").asLong()).isEqualTo(3);
    Path proofFile = tempDir.resolve("consistency.json");
    Files.writeString(proofFile, prove.out());
    CliRun check = CliRun.of("audit", "check-proof", proofFile.toString(), "--public-key", publicKeyFile.toString());
    assertThat(check.exitCode()).as(check.err()).isZero();
    assertThat(JSON.readTree(check.out()).get("kind").asText()).isEqualTo("consistency");

    String firstRoot = proof.get("firstRoot").asText();
    proof.put("firstRoot", firstRoot.substring(0, 63) + (firstRoot.charAt(63) == '0' ? "1" : "0"));
    Files.writeString(proofFile, JSON.writeValueAsString(proof));
    CliRun flipped = CliRun.of("audit", "check-proof", proofFile.toString(), "--self-consistency-only");
    assertThat(flipped.exitCode()).isEqualTo(1);
    assertThat(flipped.err()).contains("does not show that tree size 100 extends tree size 40");
  }

  @Test
  void prove_withNeitherEntryNorSince_exits2() throws Exception {
    populate(AlgorithmSuite.INTERNATIONAL);
    assertThat(CliRun.of("audit", "prove", "--db", dbArg).exitCode()).isEqualTo(2);
    assertThat(CliRun.of("audit", "prove", "--db", dbArg, "--entry", "1", "--since", "2").exitCode()).isEqualTo(2);
  }

  @Test
  void prove_beyondTheLog_exits2() throws Exception {
    populate(AlgorithmSuite.NATIONAL);
    CliRun run = CliRun.of("audit", "prove", "--db", dbFile.toString(), "--entry", "100");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("leaf index 100 outside 0..99");
  }

  @Test
  void verify_withoutADatabase_exits2NamingThePath() {
    CliRun run = CliRun.of("audit", "verify", "--db", tempDir.resolve("absent.db").toString(), "--self-consistency-only");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("no database at").contains("absent.db");
  }

  @Test
  void verify_withBothDbAndFrom_exits2() {
    CliRun run = CliRun.of("audit", "verify", "--db", dbFile.toString(), "--from", tempDir.toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("give --db or --from, not both");
  }

  @Test
  void checkProof_ofMalformedJson_exits2NamingTheField() throws Exception {
    Path proofFile = tempDir.resolve("proof.json");
    Files.writeString(proofFile, "{\"suite\":\"NATIONAL\",\"leafIndex\":1,\"path\":[],\"leafHash\":\"00\",\"root\":\"00\"}");
    CliRun run = CliRun.of("audit", "check-proof", proofFile.toString(), "--self-consistency-only");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("field 'treeSize' missing");
  }

  @Test
  void defaultDatabase_isTheDemosSqliteFile() {
    assertThat(AuditCommand.DEFAULT_DATABASE).isEqualTo("iotpay-data/iotpay.db");
    assertThat(AuditCli.jdbcUrl(AuditCommand.DEFAULT_DATABASE)).isEqualTo("jdbc:sqlite:iotpay-data/iotpay.db");
  }
}
