package io.iotpay.app.party;

import static io.iotpay.app.party.PartyProcessesTest.cny;
import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.acquirer.party.AcquirerParty;
import io.iotpay.app.party.FaultProxy.Fault;
import io.iotpay.issuer.party.IssuerParty;
import io.iotpay.protocol.iso8583.CardResponse;
import io.iotpay.protocol.iso8583.Iso8583Client;
import io.iotpay.protocol.iso8583.Iso8583Wire;
import io.iotpay.protocol.iso8583.LinkSettings;
import io.iotpay.protocol.iso8583.MonthDayTime;
import io.iotpay.protocol.iso8583.Outcome;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * All three parties as processes: a terminal (the test) → acquirer JVM → switch JVM → issuer JVMs,
 * both suites end to end; then the acquirer's own failure exit across a kill -9 of the acquirer
 * (as the receiver of the 0110 and as the sender of the 0100) and a lost 0110: what the acquirer
 * could not answer is reversed from its queue after the restart, and no card keeps a hold for it.
 */
class AcquirerProcessTest {
  @TempDir Path dir;

  /** A terminal of the harness: field 41 an enrolled terminal id, the terminals' zone keys. */
  static final class Terminal implements AutoCloseable {
    final SchemeSetup.TerminalLink link;
    final Iso8583Client client;
    final String terminalId;

    Terminal(SchemeSetup.TerminalLink link) {
      this.link = link;
      this.terminalId = link.terminalIds().get(0);
      this.client = new Iso8583Client(new InetSocketAddress(InetAddress.getLoopbackAddress(), link.acquirerAddress().getPort()),
          LinkSettings.defaults(link.institutionId(), terminalId).withEchoIntervalMs(0).withRequestTimeoutMs(20_000),
          link.keys().zoneKeys(), Iso8583Wire.load());
    }

    record Tap(HarnessCard.Tap tap, Outcome outcome) {
      CardResponse response() {
        return outcome instanceof Outcome.Answered a && a.response() instanceof CardResponse r ? r : null;
      }

      boolean approved() {
        return response() != null && response().responseCode().approved();
      }
    }

    Tap tap(HarnessCard card, long amountMinor) {
      HarnessCard.Tap tap = card.authorisation(client.nextStan(), cny(amountMinor), 1, link.institutionId(), terminalId,
          "MERCHANT0000001", MonthDayTime.utc(Instant.now()));
      return new Tap(tap, client.send(tap.request()));
    }

    @Override
    public void close() {
      client.close();
    }
  }

  @Test
  void terminalToAcquirerToSwitchToIssuerAsProcessesAndTheAcquirersFailureExitAcrossAKill() throws Exception {
    SchemeSetup.Written scheme = PartyProcessesTest.scheme(dir, 6);
    List<HarnessCard> cards = SchemeSetup.cards(dir);
    List<HarnessCard> iss1 = cards.stream().filter(c -> c.issuer().equals("ISS1")).toList();
    List<HarnessCard> iss2 = cards.stream().filter(c -> c.issuer().equals("ISS2")).toList();
    PartyProcess issuer1 = PartyProcessesTest.issuer(scheme, 0);
    PartyProcess issuer2 = PartyProcessesTest.issuer(scheme, 1);
    PartyProcess switchProcess = PartyProcessesTest.switchProcess(scheme);
    PartyProcessesTest.startAll(issuer1, issuer2, switchProcess);
    step("issuers and switch up");
    FaultProxy proxy = new FaultProxy(switchProcess.ports().get(0));
    PartyProcess acquirer1 = acquirer(scheme, 0, "--switch-address", "127.0.0.1:" + proxy.port());
    PartyProcess acquirer2 = acquirer(scheme, 1);
    PartyProcessesTest.startAll(acquirer1, acquirer2);
    step("acquirers up");
    List<long[]> expected = new ArrayList<>(); // {issuer index, card index, amount}
    try (Terminal t1 = new Terminal(SchemeSetup.terminalLink(scheme.acquirerDirs().get(0)));
        Terminal t2 = new Terminal(SchemeSetup.terminalLink(scheme.acquirerDirs().get(1)))) {
      assertThat(t1.link.keys().suite()).isNotEqualTo(t2.link.keys().suite());
      // Every pair of suites: acquirer INTERNATIONAL/NATIONAL × issuer INTERNATIONAL/NATIONAL.
      Object[][] online = {{t1, iss1.get(0), 0, 1_111L}, {t2, iss2.get(0), 1, 2_222L}, {t2, iss1.get(1), 0, 3_333L},
          {t1, iss2.get(1), 1, 4_444L}};
      for (Object[] o : online) {
        HarnessCard card = (HarnessCard) o[1];
        Terminal.Tap tap = ((Terminal) o[0]).tap(card, (Long) o[3]);
        assertThat(tap.approved()).as("%s via %s", card, ((Terminal) o[0]).link.keys().suite()).isTrue();
        assertThat(card.arpcValid(tap.tap(), tap.response())).isTrue();
        expected.add(new long[] {(Integer) o[2], card.accountIndex(), (Long) o[3]});
      }

      step("online");
      // kill -9 the acquirer as the 0110 reaches it: the issuer holds, the acquirer reverses after its restart.
      List<CompletableFuture<Void>> restarts = new ArrayList<>();
      proxy.arm("0110", Fault.ACT, () -> killAndRestart(acquirer1, restarts));
      Terminal.Tap killedOnAnswer = t1.tap(iss1.get(2), 500);
      // kill -9 the acquirer as it sends the 0100: the request is stored SENT, reversed after the restart.
      awaitRestarts(restarts);
      t1.client.close();
      try (Terminal t1b = new Terminal(SchemeSetup.terminalLink(scheme.acquirerDirs().get(0)))) {
        proxy.arm("0100", Fault.ACT, () -> killAndRestart(acquirer1, restarts));
        step("killed on 0110, restarted");
        Terminal.Tap killedOnRequest = t1b.tap(iss1.get(3), 600);
        awaitRestarts(restarts);
        step("killed on 0100, restarted");
        try (Terminal t1c = new Terminal(SchemeSetup.terminalLink(scheme.acquirerDirs().get(0)))) {
          // the 0110 lost on its way to the acquirer: 91 to the terminal, the 0400 from the queue.
          proxy.arm("0110", Fault.LOSE, null);
          Terminal.Tap lost = t1c.tap(iss2.get(2), 700);
          step("lost 0110");
          assertThat(lost.response()).as("the terminal's answer: %s", lost.outcome()).isNotNull();
          assertThat(lost.response().responseCode().code()).isEqualTo("91");
          assertThat(killedOnAnswer.approved()).isFalse();
          assertThat(killedOnRequest.approved()).isFalse();
          assertThat(proxy.applied()).containsExactly("0110 ACT", "0100 ACT", "0110 LOSE");
          PartyProcessesTest.await(() -> pendingReversals(scheme.acquirerDirs().get(0)) == 0
              && reversals(scheme.acquirerDirs().get(0)) == 3, "the acquirer's three reversals acknowledged");
          step("reversals acknowledged");
          // and an approval after all that
          Terminal.Tap after = t1c.tap(iss1.get(4), 800);
          assertThat(after.approved()).isTrue();
          expected.add(new long[] {0, iss1.get(4).accountIndex(), 800});
        }
      }
    } finally {
      proxy.close();
      for (PartyProcess p : List.of(acquirer1, acquirer2, switchProcess, issuer1, issuer2)) {
        assertThat(p.stop()).isIn(0, 143);
      }
    }
    List<IssuerParty.Books> books = List.of(IssuerParty.books(scheme.issuerDirs().get(0), null),
        IssuerParty.books(scheme.issuerDirs().get(1), null));
    for (int i = 0; i < 2; i++) {
      assertThat(books.get(i).balanced()).isTrue();
      for (int card = 0; card < 6; card++) {
        long want = 0;
        for (long[] e : expected) {
          if (e[0] == i && e[1] == card) {
            want += e[2];
          }
        }
        assertThat(books.get(i).cardDebitedMinor(card)).as("issuer %d card %d", i, card).isEqualTo(want);
      }
    }
  }

  private final long startNs = System.nanoTime();

  private void step(String what) {
    System.err.printf("acquirer test: %s at %d ms%n", what, (System.nanoTime() - startNs) / 1_000_000);
  }

  static PartyProcess acquirer(SchemeSetup.Written scheme, int index, String... extra) {
    Path d = scheme.acquirerDirs().get(index);
    List<String> args = new ArrayList<>(List.of("acquirer", "--data-dir", d.toString()));
    args.addAll(List.of(extra));
    return new PartyProcess("acquirer " + index, d.resolveSibling(d.getFileName() + ".log"), args.toArray(String[]::new));
  }

  static void killAndRestart(PartyProcess process, List<CompletableFuture<Void>> restarts) {
    try {
      process.kill();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    restarts.add(process.restartAsync());
  }

  static void awaitRestarts(List<CompletableFuture<Void>> restarts) {
    restarts.forEach(CompletableFuture::join);
    restarts.clear();
  }

  static long pendingReversals(Path acquirerDir) {
    return Long.parseLong(PartyProcessesTest.rows(acquirerDir.resolve(AcquirerParty.HOST_DATABASE_FILE),
        "SELECT COUNT(*) FROM online_reversal WHERE acked_at_ms IS NULL").get(0));
  }

  static long reversals(Path acquirerDir) {
    return Long.parseLong(PartyProcessesTest.rows(acquirerDir.resolve(AcquirerParty.HOST_DATABASE_FILE),
        "SELECT COUNT(*) FROM online_reversal").get(0));
  }
}
