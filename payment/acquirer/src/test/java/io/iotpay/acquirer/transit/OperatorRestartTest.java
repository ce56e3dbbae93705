package io.iotpay.acquirer.transit;

import static io.iotpay.acquirer.transit.OperatorBackOfficeTest.DAY;
import static io.iotpay.acquirer.transit.OperatorBackOfficeTest.METRO;
import static io.iotpay.acquirer.transit.OperatorBackOfficeTest.SWITCH;
import static io.iotpay.acquirer.transit.OperatorBackOfficeTest.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.store.Database;
import io.iotpay.ledger.Ledger;
import io.iotpay.ledger.LedgerConfig;
import io.iotpay.ledger.audit.AuditJournal;
import io.iotpay.protocol.file.ExceptionFile;
import io.iotpay.protocol.file.FileKind;
import io.iotpay.protocol.file.FileLimits;
import io.iotpay.protocol.file.IntakeReceipt;
import io.iotpay.protocol.file.IntakeStatus;
import io.iotpay.protocol.file.OfflineFileInbox;
import io.iotpay.protocol.file.TransitFileReader;
import io.iotpay.protocol.transit.ExceptionReason;
import io.iotpay.protocol.transit.ExceptionStage;
import io.iotpay.protocol.transit.TransitException;
import io.iotpay.protocol.transit.TransitRecord;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The operator's back office keeps its state in its database (docs/clearing-files.md §13), on SQLite
 * and PostgreSQL: a restart loses no record, file number, upload, settlement, dispute or deny list,
 * and an upload a crash interrupted is sent again and booked once.
 */
class OperatorRestartTest {
  enum Store { SQLITE, POSTGRESQL }

  @TempDir Path directory;
  private Database ledgerDatabase;
  private Ledger ledger;
  private Database store;
  private String schema;
  private String postgresBase;
  /** The files the switch side received, read back. */
  private final List<List<TransitRecord>> received = new ArrayList<>();

  /** The switch's side: reads each file strictly and accepts every record, like a switch seeing it first. */
  private final OfflineFileInbox inbox = file -> {
    List<TransitRecord> records = read(file);
    received.add(records);
    return new IntakeReceipt(IntakeStatus.ACCEPTED, records.size(), 0,
        records.stream().mapToLong(r -> r.fare().amountMinor()).sum(), "");
  };

  private static List<TransitRecord> read(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return TransitFileReader.readAll(in, FileKind.OFFLINE, FileLimits.defaults());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private OperatorBackOffice open(Store kind) throws Exception {
    if (ledger == null) {
      ledgerDatabase = Database.open("jdbc:sqlite:" + directory.resolve("ledger.db"), 4);
      ledger = Ledger.open(ledgerDatabase, LedgerConfig.defaults(), Clock.systemUTC(), AuditJournal.none());
    }
    if (store == null) {
      store = switch (kind) {
        case SQLITE -> Database.open("jdbc:sqlite:" + directory.resolve("operator.db"), 2);
        case POSTGRESQL -> postgres();
      };
    }
    return new OperatorBackOffice(OperatorConfig.of(METRO, SWITCH, 20, 20_000, 2_000_000_000L), ledger,
        directory.resolve("operator"), null, store);
  }

  private Database postgres() throws Exception {
    postgresBase = System.getenv("IOTPAY_TEST_POSTGRES_URL");
    Assumptions.assumeTrue(postgresBase != null && !postgresBase.isBlank(),
        "IOTPAY_TEST_POSTGRES_URL not set: PostgreSQL test skipped");
    schema = "t_" + UUID.randomUUID().toString().replace("-", "");
    try (Connection c = DriverManager.getConnection(postgresBase); Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    }
    return Database.open(postgresBase + (postgresBase.contains("?") ? "&" : "?") + "currentSchema=" + schema, 4);
  }

  /** As a crash: the store closed under the back office, then opened again. */
  private OperatorBackOffice crashAndReopen(Store kind) throws Exception {
    store.close();
    store = switch (kind) {
      case SQLITE -> Database.open("jdbc:sqlite:" + directory.resolve("operator.db"), 2);
      case POSTGRESQL -> Database.open(postgresBase + (postgresBase.contains("?") ? "&" : "?") + "currentSchema="
          + schema, 4);
    };
    return open(kind);
  }

  @AfterEach
  void close() throws Exception {
    if (store != null) {
      store.close();
    }
    if (schema != null) {
      try (Connection c = DriverManager.getConnection(postgresBase); Statement s = c.createStatement()) {
        s.execute("DROP SCHEMA " + schema + " CASCADE");
      }
    }
    if (ledger != null) {
      ledger.close();
      ledgerDatabase.close();
    }
  }

  @ParameterizedTest
  @EnumSource(Store.class)
  void restart_losesNoRecordFileNumberSettlementOrDispute(Store kind) throws Exception {
    OperatorBackOffice office = open(kind);
    TransitRecord first = record(METRO, "G1", 1, 1, 300);
    TransitRecord second = record(METRO, "G1", 2, 2, 400);
    TransitRecord late = record(METRO, "G2", 1, 3, 500);
    office.collect(List.of(first, second));
    office.upload(DAY, inbox);
    office.collect(List.of(late));

    office = crashAndReopen(kind);
    assertThat(office.collect(List.of(first, second, late)).added()).as("collected before the restart").isZero();
    assertThat(office.pendingDays()).containsExactly(DAY);
    office.upload(DAY, inbox);
    assertThat(received).extracting(List::size).containsExactly(2, 1);
    assertThat(office.uploadedRecords()).hasSize(3);
    assertThat(office.fareRevenueMinor()).isEqualTo(1_200);

    Path notice = notice(List.of(new TransitException(ExceptionStage.CHARGEBACK, ExceptionReason.BAD_TAC, METRO, DAY,
        first.id(), first.cardKey(), 300, TransitException.NO_EVIDENCE)));
    assertThat(office.receiveExceptionNotice(notice)).isEqualTo(300);
    office = crashAndReopen(kind);
    assertThat(office.receiveExceptionNotice(notice)).as("read again after a restart: booked once").isEqualTo(300);
    assertThat(office.chargebacksMinor()).isEqualTo(300);
    assertThat(office.chargebacks()).extracting(TransitException::recordId).containsExactly(first.id());

    List<Path> sent = new ArrayList<>();
    IntakeReceipt represented = office.represent(first.id(), file -> {
      sent.add(file);
      return new IntakeReceipt(IntakeStatus.ACCEPTED, 1, 0, 300, "");
    });
    assertThat(represented.recordsAccepted()).isEqualTo(1);
    assertThat(read(sent.get(0), ExceptionStage.REPRESENTMENT).evidence()).startsWith("journal-sha256:")
        .isEqualTo(OperatorBackOffice.evidence(first));
    office = crashAndReopen(kind);
    OperatorBackOffice restarted = office;
    assertThatThrownBy(() -> restarted.represent(first.id(), file -> {
      throw new AssertionError("a second re-presentment must not be sent");
    })).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("re-presented already");
    assertThat(office.chargebacksMinor()).isZero();
    assertThat(office.receivableMinor()).isEqualTo(1_200);
  }

  @ParameterizedTest
  @EnumSource(Store.class)
  void uploadInterruptedAfterTheSwitchTookIt_isSentAgain_andBookedOnce(Store kind) throws Exception {
    OperatorBackOffice office = open(kind);
    office.collect(List.of(record(METRO, "G1", 1, 1, 300), record(METRO, "G1", 2, 2, 400)));
    // The switch takes the file, then the operator dies before it books the receipt.
    assertThatThrownBy(() -> office.upload(DAY, file -> {
      inbox.receive(file);
      store.close();
      throw new IllegalStateException("killed before the receipt was booked");
    })).isInstanceOf(IllegalStateException.class);
    assertThat(office.fareRevenueMinor()).isZero();

    OperatorBackOffice restarted = crashAndReopen(kind);
    assertThat(restarted.pendingDays()).as("the records travel in the prepared upload").isEmpty();
    // The switch answers the same file with its first receipt; the operator books it once.
    restarted.resumeUploads(file -> {
      assertThat(read(file)).isEqualTo(received.get(0));
      return new IntakeReceipt(IntakeStatus.ALREADY_ACCEPTED, 2, 0, 700, "file already accepted");
    });
    restarted.resumeUploads(file -> {
      throw new AssertionError("nothing is left to resend");
    });
    assertThat(restarted.fareRevenueMinor()).isEqualTo(700);
    assertThat(restarted.receivableMinor()).isEqualTo(700);
  }

  private Path notice(List<TransitException> lines) throws Exception {
    Path path = directory.resolve("notice-" + UUID.randomUUID() + ".txt");
    try (OutputStream out = Files.newOutputStream(path)) {
      ExceptionFile.write(out, SWITCH, METRO, DAY.plusDays(1), 1, CurrencyUnit.CNY, lines);
    }
    return path;
  }

  private static TransitException read(Path file, ExceptionStage stage) throws Exception {
    try (InputStream in = Files.newInputStream(file)) {
      TransitException line = ExceptionFile.read(in, FileLimits.defaults()).exceptions().get(0);
      assertThat(line.stage()).isEqualTo(stage);
      return line;
    }
  }
}
