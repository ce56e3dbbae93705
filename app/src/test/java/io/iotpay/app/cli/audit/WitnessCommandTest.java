package io.iotpay.app.cli.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.store.Database;
import io.iotpay.ledger.Account;
import io.iotpay.ledger.Ledger;
import io.iotpay.ledger.LedgerConfig;
import io.iotpay.ledger.Transfer;
import io.iotpay.ledger.TransferResult;
import io.iotpay.ledger.audit.AuditLog;
import io.iotpay.ledger.audit.AuditLogConfig;
import io.iotpay.ledger.audit.PublicKeyPem;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code iotpay witness …} and {@code iotpay audit verify --witness} end to end through {@code Main.run}, on
 * real books (a ledger with its audit log) in a SQLite file, or in a fresh PostgreSQL schema when
 * {@code IOTPAY_TEST_POSTGRES_URL} is set; both suites. The attacks are direct SQL, as an insider would.
 */
class WitnessCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String POSTGRES_URL_VARIABLE = "IOTPAY_TEST_POSTGRES_URL";
  private static final int TRANSFERS = 120;

  @TempDir Path tempDir;
  private String dbUrl;
  private Path logKeyFile;
  private Path witnessDir;

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
    logKeyFile = tempDir.resolve("audit-public-key.pem");
    witnessDir = tempDir.resolve("witness");
    if (dialect == Database.Dialect.SQLITE) {
      dbUrl = "jdbc:sqlite:" + tempDir.resolve("iotpay.db");
      return;
    }
    String base = System.getenv(POSTGRES_URL_VARIABLE);
    Assumptions.assumeTrue(base != null && !base.isBlank(), POSTGRES_URL_VARIABLE + " not set: PostgreSQL test skipped");
    String schema = "w_" + UUID.randomUUID().toString().replace("-", "");
    try (Connection connection = DriverManager.getConnection(base); Statement statement = connection.createStatement()) {
      statement.execute("CREATE SCHEMA " + schema);
    }
    dbUrl = base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema;
  }

  /** Books: 4 accounts, then transfers in batches of 10, the log signing a checkpoint after each batch. */
  private KeyPair books(AlgorithmSuite suite, int transfers, KeyPair key) throws Exception {
    Files.writeString(logKeyFile, PublicKeyPem.encode(key.getPublic().getEncoded()));
    try (Database database = Database.open(dbUrl, 2);
        AuditLog log = AuditLog.open(database, AuditLogConfig.of(suite, key).withCheckpointIntervalMs(1000));
        Ledger ledger = Ledger.open(database, LedgerConfig.defaults(), Clock.systemUTC(), log)) {
      ledger.createAccounts(List.of(Account.of(1, 7, CurrencyUnit.CNY), Account.of(2, 7, CurrencyUnit.CNY),
          Account.of(3, 8, CurrencyUnit.CNY), Account.of(4, 8, CurrencyUnit.CNY))).get(30, TimeUnit.SECONDS);
      long firstId = 1000 + count("SELECT COUNT(*) FROM ledger_entry");
      for (int batch = 0; batch < transfers / 10; batch++) {
        List<Transfer> transfers10 = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
          long id = firstId + batch * 10L + i;
          transfers10.add(id % 2 == 0 ? Transfer.single(id, 1, 2, id) : Transfer.single(id, 3, 4, id));
        }
        assertThat(ledger.submit(transfers10).get(30, TimeUnit.SECONDS)).containsOnly(TransferResult.OK);
        log.checkpointNow();
      }
    }
    return key;
  }

  private long count(String sql) throws Exception {
    try (Connection connection = DriverManager.getConnection(dbUrl); Statement statement = connection.createStatement();
        var rows = statement.executeQuery(sql)) {
      rows.next();
      return rows.getLong(1);
    }
  }

  private void sql(String statement, long parameter) throws Exception {
    try (Connection connection = DriverManager.getConnection(dbUrl); PreparedStatement update = connection.prepareStatement(statement)) {
      update.setLong(1, parameter);
      update.executeUpdate();
    }
  }

  private CliRun verify(String... extra) {
    List<String> args = new ArrayList<>(List.of("audit", "verify", "--db", dbUrl, "--public-key", logKeyFile.toString()));
    args.addAll(List.of(extra));
    return CliRun.of(args.toArray(String[]::new));
  }

  private void initAndAdd(AlgorithmSuite suite) throws Exception {
    CliRun init = CliRun.of("witness", "init", "--dir", witnessDir.toString(), "--suite", suite.name(),
        "--log-public-key", logKeyFile.toString());
    assertThat(init.exitCode()).as(init.err()).isZero();
    CliRun add = CliRun.of("witness", "add", "--dir", witnessDir.toString(), "--db", dbUrl);
    assertThat(add.exitCode()).as(add.err()).isZero();
    assertThat(JSON.readTree(add.out()).get("result").asText()).isEqualTo("cosigned");
  }

  @ParameterizedTest
  @MethodSource("storesAndSuites")
  void witnessedBooks_verify_andNameTheKindsOfLeafChecked(Database.Dialect dialect, AlgorithmSuite suite) throws Exception {
    useStore(dialect);
    books(suite, TRANSFERS, suite.signature().generateKeyPair(RANDOM));
    initAndAdd(suite);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(witnessDir))).isEqualTo("rwx------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(witnessDir.resolve("witness-private-key.pem"))))
        .isEqualTo("rw-------");
    CliRun again = CliRun.of("witness", "add", "--dir", witnessDir.toString(), "--db", dbUrl);
    assertThat(again.exitCode()).isZero();
    assertThat(JSON.readTree(again.out()).get("result").asText()).isEqualTo("already-cosigned");

    CliRun run = verify("--witness", witnessDir.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode report = JSON.readTree(run.out());
    assertThat(report.get("witness").get("checkpointsMatched").asLong()).isEqualTo(1);
    assertThat(report.get("leafKinds").get("account").asLong()).isEqualTo(4);
    assertThat(report.get("leafKinds").get("ledger-entry").asLong()).isEqualTo(TRANSFERS);
    assertThat(report.get("rowCrossChecks").toString()).contains("ledger_entry", "ledger_account", "platform_decision");
    assertThat(run.err()).contains("leaf kinds checked: 4 account, " + TRANSFERS + " ledger-entry, 0 platform-decision, 0 other");
  }

  @ParameterizedTest
  @MethodSource("storesAndSuites")
  void deletingTheNewest10Entries_isNamedByVerify_andTheWitnessRefusesTheOlderCheckpoint(Database.Dialect dialect,
      AlgorithmSuite suite) throws Exception {
    useStore(dialect);
    books(suite, TRANSFERS, suite.signature().generateKeyPair(RANDOM));
    initAndAdd(suite);
    long leaves = count("SELECT COUNT(*) FROM audit_leaf");
    // The insider removes the newest 10 entries, their rows and every checkpoint that covered them.
    sql("DELETE FROM audit_leaf WHERE leaf_index >= ?", leaves - 10);
    sql("DELETE FROM ledger_entry WHERE audit_index >= ?", leaves - 10);
    sql("DELETE FROM audit_checkpoint WHERE tree_size > ?", leaves - 10);
    assertThat(verify().exitCode()).as("the database alone no longer shows it").isZero();

    CliRun run = verify("--witness", witnessDir.toString());
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("FAILED at witness: truncation: witness ")
        .contains("holds a checkpoint of tree size " + leaves + " but the log holds only " + (leaves - 10) + " leaves");
    assertThat(JSON.readTree(run.out()).get("firstFailure").get("entry").asText()).isEqualTo("witness");

    String record = Files.readString(witnessDir.resolve("cosigned.log"), StandardCharsets.UTF_8);
    CliRun add = CliRun.of("witness", "add", "--dir", witnessDir.toString(), "--db", dbUrl);
    assertThat(add.exitCode()).isEqualTo(1);
    assertThat(add.err()).contains("REFUSED REPLAY (409)").contains("nothing changed");
    assertThat(Files.readString(witnessDir.resolve("cosigned.log"), StandardCharsets.UTF_8)).isEqualTo(record);
  }

  @ParameterizedTest
  @MethodSource("storesAndSuites")
  void rewritingHistoryAfterAWitnessedCheckpoint_isNamedAsAFork_andTheWitnessRefusesIt(Database.Dialect dialect,
      AlgorithmSuite suite) throws Exception {
    useStore(dialect);
    KeyPair key = suite.signature().generateKeyPair(RANDOM);
    books(suite, 60, key);
    initAndAdd(suite);
    long witnessed = count("SELECT COUNT(*) FROM audit_leaf");
    // An insider with the log's key rewrites the books: the transfer at leaf 20 gets a larger amount, the whole
    // history is posted again (every leaf, row chain and checkpoint recomputed and re-signed), and the books grow on.
    long changedSeq = count("SELECT seq FROM ledger_entry WHERE audit_index = 20");
    rewriteFromTheStart(suite, key, changedSeq);
    assertThat(verify().exitCode()).as("the rewritten database is self-consistent under the log's own key").isZero();

    CliRun run = verify("--witness", witnessDir.toString());
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("FAILED at witness: fork: witness ").contains("at tree size " + witnessed + " but the log's leaves give");

    String record = Files.readString(witnessDir.resolve("cosigned.log"), StandardCharsets.UTF_8);
    CliRun add = CliRun.of("witness", "add", "--dir", witnessDir.toString(), "--db", dbUrl);
    assertThat(add.exitCode()).isEqualTo(1);
    assertThat(add.err()).contains("REFUSED FORK_PROOF_INVALID (422)");
    assertThat(Files.readString(witnessDir.resolve("cosigned.log"), StandardCharsets.UTF_8)).isEqualTo(record);
  }

  /**
   * Empties the books and the log and posts the same 60 transfers again, entry {@code seq} with its amount
   * raised by one, with the log's own key (leaves, row chain and checkpoints all recomputed), then 20 more
   * transfers so the forged log is longer than what the witness saw.
   */
  private void rewriteFromTheStart(AlgorithmSuite suite, KeyPair key, long seq) throws Exception {
    sql("DELETE FROM audit_leaf WHERE leaf_index >= ?", 0);
    sql("DELETE FROM audit_checkpoint WHERE checkpoint_number >= ?", 0);
    sql("DELETE FROM ledger_entry WHERE seq >= ?", 0);
    sql("DELETE FROM ledger_account WHERE id >= ?", 0);
    // The ledger replays nothing now; re-posting the same history (with the raised amount) re-creates every leaf.
    try (Database database = Database.open(dbUrl, 2);
        AuditLog log = AuditLog.open(database, AuditLogConfig.of(suite, key).withCheckpointIntervalMs(1000));
        Ledger ledger = Ledger.open(database, LedgerConfig.defaults(), Clock.systemUTC(), log)) {
      ledger.createAccounts(List.of(Account.of(1, 7, CurrencyUnit.CNY), Account.of(2, 7, CurrencyUnit.CNY),
          Account.of(3, 8, CurrencyUnit.CNY), Account.of(4, 8, CurrencyUnit.CNY))).get(30, TimeUnit.SECONDS);
      for (int batch = 0; batch < 8; batch++) {
        List<Transfer> transfers10 = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
          long id = 1000 + batch * 10L + i;
          long amount = id + (id - 1000 + 1 == seq ? 1 : 0);
          transfers10.add(id % 2 == 0 ? Transfer.single(id, 1, 2, amount) : Transfer.single(id, 3, 4, amount));
        }
        ledger.submit(transfers10).get(30, TimeUnit.SECONDS);
        log.checkpointNow();
      }
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void anAccountInsertedBehindTheLedgersBack_failsVerify(AlgorithmSuite suite) throws Exception {
    useStore(Database.Dialect.SQLITE);
    books(suite, 20, suite.signature().generateKeyPair(RANDOM));
    sql("INSERT INTO ledger_account (id, book_id, currency, flags) VALUES (?, 7, 156, 0)", 666);
    CliRun run = verify();
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("FAILED at log: 1 ledger_account row(s) have no audit leaf (inserted behind the ledger's back),"
        + " first: account 666 of book 7");
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void aForgedCosignature_failsVerify_andAWitnessKeyFromElsewhereIsUsed(AlgorithmSuite suite) throws Exception {
    useStore(Database.Dialect.SQLITE);
    books(suite, 20, suite.signature().generateKeyPair(RANDOM));
    initAndAdd(suite);
    Path witnessKeyCopy = tempDir.resolve("witness-key-copy.pem");
    Files.copy(witnessDir.resolve("witness-public-key.pem"), witnessKeyCopy);
    assertThat(verify("--witness", witnessDir.toString(), "--witness-public-key", witnessKeyCopy.toString()).exitCode()).isZero();

    // Someone rewrites the witness's record and its public key file with a key pair of their own.
    Path impostor = tempDir.resolve("impostor");
    CliRun init = CliRun.of("witness", "init", "--dir", impostor.toString(), "--suite", suite.name(), "--log-public-key",
        logKeyFile.toString());
    assertThat(init.exitCode()).isZero();
    assertThat(CliRun.of("witness", "add", "--dir", impostor.toString(), "--db", dbUrl).exitCode()).isZero();
    Files.writeString(witnessDir.resolve("cosigned.log"), Files.readString(impostor.resolve("cosigned.log")));

    CliRun run = verify("--witness", witnessDir.toString(), "--witness-public-key", witnessKeyCopy.toString());
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("FAILED at witness: cosigned.log line 1: the cosignature does not verify under witness key");
  }
}
