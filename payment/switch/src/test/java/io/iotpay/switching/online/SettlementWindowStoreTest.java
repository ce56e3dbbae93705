package io.iotpay.switching.online;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.store.Database;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.file.FileLimits;
import io.iotpay.protocol.file.PresentmentFile;
import io.iotpay.protocol.iso8583.CardTransaction;
import io.iotpay.protocol.iso8583.Mti;
import io.iotpay.protocol.iso8583.OriginalData;
import io.iotpay.protocol.online.Presentment;
import io.iotpay.switching.online.SettlementWindowStore.Direction;
import io.iotpay.switching.online.SettlementWindowStore.FileEvent;
import io.iotpay.switching.online.SettlementWindowStore.Position;
import io.iotpay.switching.online.SettlementWindowStore.Window;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The switch process's settlement windows, file log and refused presentments on SQLite and, when
 * IOTPAY_TEST_POSTGRES_URL is set, PostgreSQL (a schema of its own, dropped after): a window is stored
 * once and never replaced, positions that do not sum to zero are refused before anything is written,
 * the close is idempotent and refuses a future date or a bad operator name without changing anything,
 * lists page. Both store suites.
 */
class SettlementWindowStoreTest {
  private static final PartyId SWITCH = PartyId.of("SWITCH");
  private static final LocalDate TODAY = LocalDate.of(2026, 12, 7);
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-07T18:00:00Z"), ZoneOffset.UTC);
  private static final List<PartyId> ISSUERS = List.of(OnlineFixture.ISSUER_A, OnlineFixture.ISSUER_B);
  private static final List<PartyId> ACQUIRERS = List.of(OnlineFixture.ACQUIRER);

  @TempDir Path directory;

  static Stream<Arguments> databases() {
    return Stream.of(AlgorithmSuite.values()).flatMap(s -> Stream.of(Arguments.of("sqlite", s), Arguments.of("postgresql", s)));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("databases")
  void windowsAreStoredOnce_sumToZero_andTheCloseIsIdempotent(String kind, AlgorithmSuite suite) throws Exception {
    try (Db db = open(kind)) {
      SettlementWindowStore store = new SettlementWindowStore(db.database);
      Window first = window(TODAY.minusDays(3), "alice", new Position("ACQ1", "acquirer", 0, 700, 700),
          new Position("ISSA", "issuer", 700, 0, -700));
      assertThat(store.insertIfAbsent(first)).isEqualTo(first);
      Window other = window(TODAY.minusDays(3), "bob", new Position("ACQ1", "acquirer", 0, 900, 900),
          new Position("ISSA", "issuer", 900, 0, -900));
      assertThat(store.insertIfAbsent(other)).as("the first window stands").isEqualTo(first);
      Window unbalanced = window(TODAY.minusDays(2), "alice", new Position("ACQ1", "acquirer", 0, 700, 700),
          new Position("ISSA", "issuer", 600, 0, -600));
      assertThatThrownBy(() -> store.insertIfAbsent(unbalanced)).isInstanceOf(AssertionError.class).hasMessageContaining("sum to zero");
      assertThat(store.window(TODAY.minusDays(2))).isEmpty();
      assertThatThrownBy(() -> new Position("ACQ1", "acquirer", 1, 5, 3)).isInstanceOf(AssertionError.class);

      // The close on the switch's clearing: a day with only rejected presentments nets to zero for everyone, once.
      OnlineClearing clearing = new OnlineClearing(new OnlineClearing.Config(SWITCH, CurrencyUnit.CNY, OnlineFixture.RANGES,
          ACQUIRERS, FileLimits.defaults()), db.database, OnlineFixture.storeKeys(suite), directory.resolve("clearing"));
      LocalDate day = TODAY.minusDays(1);
      assertThat(clearing.accept(presentmentFile(day)).accepted()).isZero();
      assertThat(store.openDates(10)).containsExactly(day);
      SettlementClose close = new SettlementClose(clearing, store, CurrencyUnit.CNY, ISSUERS, ACQUIRERS, CLOCK);
      assertThatThrownBy(() -> close.close(TODAY.plusDays(1), "alice")).isInstanceOf(SettlementClose.RefusedException.class)
          .hasMessageContaining("has not begun");
      assertThatThrownBy(() -> close.close(day, "al\nice")).isInstanceOf(SettlementClose.RefusedException.class);
      assertThat(store.window(day)).isEmpty();
      Window closed = close.close(day, "alice");
      assertThat(closed.state()).isEqualTo(SettlementWindowStore.State.SETTLED);
      assertThat(closed.positions()).extracting(Position::party, Position::netMinor)
          .containsExactly(tuple("ACQ1", 0L), tuple("ISSA", 0L), tuple("ISSB", 0L));
      assertThat(close.close(day, "bob")).isEqualTo(closed);
      assertThat(store.openDates(10)).isEmpty();
      assertThat(store.windows(null, 10)).extracting(Window::businessDate).containsExactly(day, TODAY.minusDays(3));
      assertThat(store.windows(null, 1)).extracting(Window::businessDate).containsExactly(day);
      assertThat(store.windows(day, 10)).extracting(Window::businessDate).containsExactly(TODAY.minusDays(3));
      assertThat(store.refused(day, null, null, 10)).extracting(SettlementWindowStore.Refused::presentmentId,
          SettlementWindowStore.Refused::status, SettlementWindowStore.Refused::panMasked)
          .containsExactly(tuple("X1", "NO_AUTHORISATION", OnlineFixture.CARD_A.masked()),
              tuple("X2", "UNKNOWN_CARD_RANGE", OnlineFixture.CARD_UNKNOWN.masked()));
      assertThat(store.refused(day, "ACQ1", "X1", 10)).extracting(SettlementWindowStore.Refused::presentmentId).containsExactly("X2");
      assertThat(store.refused(TODAY, null, null, 10)).isEmpty();
    }
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("databases")
  void theFileLogPagesNewestFirst_byDirectionAndParty(String kind, AlgorithmSuite suite) throws Exception {
    try (Db db = open(kind)) {
      SettlementWindowStore store = new SettlementWindowStore(db.database);
      for (int n = 1; n <= 5; n++) {
        store.record(new FileEvent(0, CLOCK.instant(), Direction.RECEIVED, "PRESENTMENT", "f-" + n, n % 2 == 0 ? "ACQ2" : "ACQ1",
            TODAY, (long) n, "unsigned", n == 5 ? "REFUSED" : "TAKEN", n == 5 ? "OUT_OF_SEQUENCE: sequence 5, expected 3" : null, n, n));
      }
      store.record(new FileEvent(0, CLOCK.instant(), Direction.SENT, "PRESENTMENT", "to-issa", "ISSA", TODAY, 1L, "unsigned",
          "WRITTEN", null, 2, 2));
      store.record(new FileEvent(0, CLOCK.instant(), Direction.RECEIVED, "PRESENTMENT", "unreadable", null, null, null, "unsigned",
          "REFUSED", "FORMAT: truncated", 0, 0));
      List<FileEvent> received = store.files(Direction.RECEIVED, null, null, 3);
      assertThat(received).extracting(FileEvent::fileName).containsExactly("unreadable", "f-5", "f-4");
      assertThat(received.get(0).party()).isNull();
      assertThat(received.get(0).sequence()).isNull();
      assertThat(received.get(1).reason()).isEqualTo("OUT_OF_SEQUENCE: sequence 5, expected 3");
      List<String> rest = new ArrayList<>();
      store.files(Direction.RECEIVED, null, received.get(2).id(), 10).forEach(e -> rest.add(e.fileName()));
      assertThat(rest).containsExactly("f-3", "f-2", "f-1");
      assertThat(store.files(Direction.RECEIVED, "ACQ2", null, 10)).extracting(FileEvent::fileName).containsExactly("f-4", "f-2");
      assertThat(store.files(Direction.SENT, null, null, 10)).extracting(FileEvent::fileName, FileEvent::party)
          .containsExactly(tuple("to-issa", "ISSA"));
    }
  }

  private static Window window(LocalDate day, String operator, Position... positions) {
    return new Window("SW-" + day.toString().replace("-", ""), day, "CNY", 1, SettlementWindowStore.State.CLOSED, operator,
        Instant.parse("2026-12-07T18:00:00Z"), List.of(positions));
  }

  /** ACQ1's file for {@code day}: one capture with no authorisation in the log, one of an unknown card range. */
  private Path presentmentFile(LocalDate day) throws Exception {
    CardTransaction t = OnlineFixture.transaction(OnlineFixture.CARD_A, 1, OnlineFixture.cny(1_000));
    List<Presentment> presentments = List.of(
        new Presentment("X1", Presentment.Kind.CAPTURE, OnlineFixture.ACQUIRER, OriginalData.of(Mti.AUTHORISATION_REQUEST, t),
            t.rrn(), t.terminalId(), t.merchantId(), OnlineFixture.CARD_A, 1_000, CurrencyUnit.CNY, "A00001", day),
        new Presentment("X2", Presentment.Kind.CAPTURE, OnlineFixture.ACQUIRER, OriginalData.of(Mti.AUTHORISATION_REQUEST, t),
            t.rrn(), t.terminalId(), t.merchantId(), OnlineFixture.CARD_UNKNOWN, 1_000, CurrencyUnit.CNY, "A00001", day));
    Path path = directory.resolve("presentment-" + day + ".txt");
    try (OutputStream out = Files.newOutputStream(path)) {
      PresentmentFile.write(out, OnlineFixture.ACQUIRER, SWITCH, day, 1, CurrencyUnit.CNY, presentments);
    }
    return path;
  }

  /** A database of the kind; PostgreSQL in a schema of its own, dropped at close. */
  private Db open(String kind) throws Exception {
    if (kind.equals("sqlite")) {
      return new Db(Database.open("jdbc:sqlite:" + directory.resolve("switch-online.db"), 4), null, null);
    }
    String base = System.getenv("IOTPAY_TEST_POSTGRES_URL");
    Assumptions.assumeTrue(base != null && !base.isBlank(), "IOTPAY_TEST_POSTGRES_URL not set: PostgreSQL case skipped");
    String schema = "t_" + UUID.randomUUID().toString().replace("-", "");
    try (Connection c = DriverManager.getConnection(base); Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    }
    return new Db(Database.open(base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema, 4), base, schema);
  }

  private record Db(Database database, String base, String schema) implements AutoCloseable {
    @Override
    public void close() throws Exception {
      database.close();
      if (schema != null) {
        try (Connection c = DriverManager.getConnection(base); Statement s = c.createStatement()) {
          s.execute("DROP SCHEMA " + schema + " CASCADE");
        }
      }
    }
  }
}
