package io.iotpay.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.app.Main;
import io.iotpay.demo.books.BooksWalkthrough;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** The walk-through end to end, and the audit verifier catching edits to the books it produced. */
class BooksWalkthroughTest {
  @TempDir Path tempDir;

  @ParameterizedTest
  @CsvSource({"1, INTERNATIONAL", "7, NATIONAL", "42, INTERNATIONAL", "2026, NATIONAL"})
  void walkthrough_conservesMoney_balancesBooks_andVerifies(long seed, AlgorithmSuite suite) throws Exception {
    BooksWalkthrough.Result result = BooksWalkthrough.run(tempDir, seed, 150, suite, null);

    assertThat(result.booksBalanced()).isTrue();
    assertThat(result.conserved()).isTrue();
    assertThat(result.verification().verified()).as("%s", result.verification().failure()).isTrue();
    assertThat(result.spentByCardholders()).isEqualTo(result.receivedByMerchants());
    assertThat(result.captured() + result.voided() + result.expired() + result.declined()).isEqualTo(150);
    assertThat(result.declined()).as("some authorisations exceed the deposits").isPositive();
    assertThat(result.checkpoint()).isPresent();
    assertThat(verify()).isZero();
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void verify_namesTheLeaf_whenOneAmountIsChanged(AlgorithmSuite suite) throws Exception {
    BooksWalkthrough.run(tempDir, 3, 60, suite, null);
    sql("UPDATE ledger_entry SET amount_minor = amount_minor + 1 WHERE seq = 50");
    String err = verifyErr();
    assertThat(lastExit).isEqualTo(1);
    assertThat(err).contains("FAILED at leaf " + leafOf(50) + ":").contains("ledger row");
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void verify_namesTheLeaf_whenARowIsDeleted(AlgorithmSuite suite) throws Exception {
    BooksWalkthrough.run(tempDir, 4, 60, suite, null);
    long leaf = leafOf(30); // accounts are leaves too, so an entry's leaf is not seq - 1
    sql("DELETE FROM ledger_entry WHERE seq = 30");
    assertThat(verifyErr()).contains("FAILED at leaf " + leaf + ":").contains("no ledger row");
    assertThat(lastExit).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void verify_namesTheLeaf_whenTwoRowsAreReordered(AlgorithmSuite suite) throws Exception {
    BooksWalkthrough.run(tempDir, 5, 60, suite, null);
    long leaf40 = leafOf(40);
    long leaf41 = leafOf(41);
    sql("UPDATE ledger_entry SET audit_index = -1 WHERE seq = 40");
    sql("UPDATE ledger_entry SET audit_index = " + leaf40 + " WHERE seq = 41");
    sql("UPDATE ledger_entry SET audit_index = " + leaf41 + " WHERE seq = 40");
    assertThat(verifyErr()).contains("FAILED at leaf " + leaf40 + ":");
    assertThat(lastExit).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void verify_namesTheCheckpoint_whenItsSignatureIsReplaced(AlgorithmSuite suite) throws Exception {
    BooksWalkthrough.run(tempDir, 6, 60, suite, null);
    // A signature from elsewhere: the root hash bytes, which no key signed.
    sql("UPDATE audit_checkpoint SET signature = root_hash WHERE checkpoint_number = (SELECT MAX(checkpoint_number) FROM audit_checkpoint)");
    assertThat(verifyErr()).contains("FAILED at checkpoint");
    assertThat(lastExit).isEqualTo(1);
  }

  private int lastExit;

  private int verify() {
    verifyErr();
    return lastExit;
  }

  private String verifyErr() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream originalErr = System.err;
    PrintStream originalOut = System.out;
    try {
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
      lastExit = Main.run("audit", "verify", "--db", tempDir.resolve("iotpay.db").toString(),
          "--public-key", tempDir.resolve("audit-public-key.pem").toString());
    } finally {
      System.setErr(originalErr);
      System.setOut(originalOut);
    }
    return err.toString(StandardCharsets.UTF_8);
  }

  /** The audit leaf of ledger entry {@code seq}, as its row records it. */
  private long leafOf(long seq) throws Exception {
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + tempDir.resolve("iotpay.db"));
        Statement s = connection.createStatement();
        java.sql.ResultSet rows = s.executeQuery("SELECT audit_index FROM ledger_entry WHERE seq = " + seq)) {
      rows.next();
      return rows.getLong(1);
    }
  }

  private void sql(String statement) throws Exception {
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + tempDir.resolve("iotpay.db"));
        Statement s = connection.createStatement()) {
      s.executeUpdate(statement);
    }
  }
}
