package io.iotpay.app.party;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.money.Money;
import io.iotpay.issuer.party.IssuerParty;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scheme as three kinds of processes (issue 15, item 3): {@code iotpay party init}, then two
 * issuer JVMs (INTERNATIONAL and NATIONAL) and a switch JVM started with the test's own class
 * path, and two acquirer links (one per suite) driven from the test (docs/parties.md).
 */
class PartyProcessesTest {
  static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir Path dir;

  /** A scheme with fast stand-in and advice retries, so the faults resolve in seconds. */
  static SchemeSetup.Written scheme(Path dir, int cards) throws Exception {
    SchemeSetup.Options d = SchemeSetup.Options.defaults();
    return SchemeSetup.init(dir, new SchemeSetup.Options(2, 2, cards, d.suites(), 0, 100_000, 50_000, 100_000,
        10_000_000, 1_000, 4_000, 200, 1, null), new SecureRandom());
  }

  static Money cny(long minor) {
    return Money.ofMinor(minor, CurrencyUnit.CNY);
  }

  @Test
  void authorisesEndToEndUnderBothSuitesAndStandsInWhileTheIssuerProcessIsKilled() throws Exception {
    SchemeSetup.Written scheme = scheme(dir, 4);
    List<HarnessCard> cards = SchemeSetup.cards(dir);
    List<HarnessCard> iss1 = cards.stream().filter(c -> c.issuer().equals("ISS1")).toList();
    List<HarnessCard> iss2 = cards.stream().filter(c -> c.issuer().equals("ISS2")).toList();
    assertThat(iss1.get(0).suite()).isNotEqualTo(iss2.get(0).suite());
    PartyProcess issuer1 = issuer(scheme, 0);
    PartyProcess issuer2 = issuer(scheme, 1);
    PartyProcess switchProcess = switchProcess(scheme);
    startAll(issuer1, issuer2, switchProcess);
    try (TestAcquirer acq1 = acquirer(scheme, 0, switchProcess, "TERM0001");
        TestAcquirer acq2 = acquirer(scheme, 1, switchProcess, "TERM0002")) {
      // Every pair of link suites: acquirer INTERNATIONAL/NATIONAL × issuer INTERNATIONAL/NATIONAL.
      List<TestAcquirer.Result> online = List.of(acq1.authorise(iss1.get(0), cny(1_234), 1),
          acq2.authorise(iss2.get(0), cny(2_345), 1), acq2.authorise(iss1.get(1), cny(3_456), 1),
          acq1.authorise(iss2.get(1), cny(4_567), 1));
      for (int i = 0; i < online.size(); i++) {
        TestAcquirer.Result r = online.get(i);
        HarnessCard card = List.of(iss1.get(0), iss2.get(0), iss1.get(1), iss2.get(1)).get(i);
        assertThat(r.approved()).as("authorisation %d", i).isTrue();
        assertThat(r.response().approvalCode()).doesNotStartWith("S");
        assertThat(card.arpcValid(r.tap(), r.response())).as("the issuer's ARPC, %s", card.suite()).isTrue();
      }

      issuer1.kill(); // kill -9 mid-day
      TestAcquirer.Result standIn = acq1.authorise(iss1.get(2), cny(2_000), 1);
      TestAcquirer.Result overLimit = acq1.authorise(iss1.get(3), cny(60_000), 1);
      TestAcquirer.Result stillOnline = acq2.authorise(iss2.get(2), cny(700), 1);
      assertThat(standIn.approved()).isTrue();
      assertThat(standIn.response().approvalCode()).startsWith("S");
      assertThat(overLimit.response().responseCode().code()).isEqualTo("91");
      assertThat(stillOnline.approved()).isTrue();
      assertThat(stillOnline.response().approvalCode()).doesNotStartWith("S");
      assertThat(undeliveredAdvices(scheme, "ISS1")).isEqualTo(2);

      issuer1 = issuer(scheme, 0).start(); // back: the switch delivers the two 0120s
      await(() -> undeliveredAdvices(scheme, "ISS1") == 0, "the advices reached the restarted issuer");
      switchProcess.kill(); // and a switch crash afterwards sends nothing twice
      switchProcess = switchProcess(scheme).start();
      try (TestAcquirer again = acquirer(scheme, 0, switchProcess, "TERM0003")) {
        assertThat(again.authorise(iss1.get(2), cny(100), 2).approved()).isTrue();
      }
    } finally {
      assertThat(issuer1.stop()).isIn(0, 143);
      assertThat(issuer2.stop()).isIn(0, 143);
      assertThat(switchProcess.stop()).isIn(0, 143);
    }
    IssuerParty.Books books1 = IssuerParty.books(scheme.issuerDirs().get(0), null);
    IssuerParty.Books books2 = IssuerParty.books(scheme.issuerDirs().get(1), null);
    assertThat(books1.balanced()).isTrue();
    assertThat(books2.balanced()).isTrue();
    assertThat(books1.cardDebitedMinor(0)).isEqualTo(1_234);
    assertThat(books1.cardDebitedMinor(1)).isEqualTo(3_456);
    assertThat(books1.cardDebitedMinor(2)).as("stand-in 2000 posted once, then 100 held").isEqualTo(2_100);
    assertThat(books1.cardDebitedMinor(3)).as("declined in stand-in").isZero();
    assertThat(books2.cardDebitedMinor(0)).isEqualTo(2_345);
    assertThat(books2.cardDebitedMinor(1)).isEqualTo(4_567);
    assertThat(books2.cardDebitedMinor(2)).isEqualTo(700);
    assertThat(rows(scheme.issuerDirs().get(0).resolve(IssuerParty.DATABASE_FILE),
        "SELECT kind || ' ' || state || ' ' || response_code FROM issuer_auth_txn WHERE kind = 'ADVICE' ORDER BY 1"))
        .containsExactly("ADVICE DECLINED 91", "ADVICE POSTED 00");
  }

  static PartyProcess issuer(SchemeSetup.Written scheme, int index) {
    Path d = scheme.issuerDirs().get(index);
    return new PartyProcess("issuer " + index, d.resolveSibling(d.getFileName() + ".log"), "issuer", "--data-dir",
        d.toString());
  }

  static PartyProcess switchProcess(SchemeSetup.Written scheme, String... extra) {
    Path d = scheme.switchDir();
    List<String> args = new ArrayList<>(List.of("switch", "--data-dir", d.toString()));
    args.addAll(List.of(extra));
    return new PartyProcess("switch", d.resolveSibling("switch.log"), args.toArray(String[]::new));
  }

  static TestAcquirer acquirer(SchemeSetup.Written scheme, int index, PartyProcess switchProcess, String terminal) {
    return acquirer(scheme, index, switchProcess.ports().get(index), terminal, 6_000);
  }

  static TestAcquirer acquirer(SchemeSetup.Written scheme, int index, int port, String terminal, long timeoutMs) {
    return new TestAcquirer(SchemeSetup.acquirerLink(scheme.acquirerDirs().get(index)), port, terminal, timeoutMs);
  }

  /** Starts the processes side by side (each JVM takes seconds on a busy machine). */
  static void startAll(PartyProcess... processes) {
    CompletableFuture<?>[] started = new CompletableFuture<?>[processes.length];
    for (int i = 0; i < processes.length; i++) {
      PartyProcess p = processes[i];
      started[i] = CompletableFuture.runAsync(() -> {
        try {
          p.start();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }, Thread::startVirtualThread);
    }
    CompletableFuture.allOf(started).join();
  }

  static long undeliveredAdvices(SchemeSetup.Written scheme, String issuer) {
    List<String> count = rows(scheme.switchDir().resolve("switch.db"),
        "SELECT COUNT(*) FROM online_advice WHERE delivered_at_ms IS NULL AND issuer = '" + issuer + "'");
    return Long.parseLong(count.get(0));
  }

  /** One text column per row of a read-only query on a party's SQLite file (the party may be running). */
  static List<String> rows(Path database, String sql) {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + database + "?open_mode=1");
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery(sql)) {
      List<String> rows = new ArrayList<>();
      while (r.next()) {
        rows.add(r.getString(1));
      }
      return rows;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  static void await(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      LockSupport.parkNanos(50_000_000);
    }
  }
}
