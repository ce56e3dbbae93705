package io.iotpay.app.party;

import static io.iotpay.app.party.PartyProcessesTest.cny;
import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.app.party.FaultProxy.Fault;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.issuer.party.IssuerParty;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The failure exit as a matrix (issue 15, "What it must show"): issuers and the switch as real
 * JVMs, a frame-aware {@link FaultProxy} on every acquirer↔switch and switch↔issuer link, and for
 * each of 0100, 0110, 0400, 0410: the message lost, duplicated, and its sender or receiver killed
 * with kill -9 at that step. The acquirer's side is the test ({@link TestAcquirer}: no answer →
 * 0400 until acknowledged). Afterwards every authorisation is either approved and held/posted once
 * at the issuer or reversed and released, no card is debited twice, and each issuer's books balance.
 * Runs under both suites at once, each on its own links: ACQ1 → ISS1 (INTERNATIONAL) and ACQ2 → ISS2
 * (NATIONAL); every loss and duplicate runs under both, the kills take turns between them.
 */
class FailureExitMatrixTest {
  static final int CARDS = 24;
  /** The acquirer's wait for an 0110: above the switch's stand-in wait (1 s), so stand-in answers in time. */
  static final long ACQUIRER_TIMEOUT_MS = 2_000;

  @TempDir Path dir;

  /** Where a fault is placed: the acquirer↔switch link or the switch↔issuer link. */
  enum Link {
    ACQUIRER_SWITCH,
    SWITCH_ISSUER
  }

  /** One cell: the message, the link, and what happens to it; a reversal case first loses the 0110 to the acquirer. */
  record Case(String mti, Link link, Fault fault) {
    boolean needsReversal() {
      return mti.equals("0400") || mti.equals("0410");
    }

    @Override
    public String toString() {
      return mti + " " + (fault == Fault.ACT ? "kill -9 " + (link == Link.SWITCH_ISSUER ? "issuer" : "switch") : fault)
          + " on " + link;
    }
  }

  /** One suite's lane: its acquirer link, issuer, proxies and the results of its cases. */
  final class Lane {
    final AlgorithmSuite suite;
    final int index;
    final List<HarnessCard> cards;
    final PartyProcess issuer;
    FaultProxy acquirerProxy;
    FaultProxy issuerProxy;
    TestAcquirer acquirer;
    final List<Outcome> outcomes = new ArrayList<>();
    int nextCard;

    Lane(int index, List<HarnessCard> cards, PartyProcess issuer) {
      this.index = index;
      this.cards = cards;
      this.suite = cards.get(0).suite();
      this.issuer = issuer;
    }

    /** Runs one case with a fresh card and records what the acquirer saw. */
    void run(Case c) throws Exception {
      acquirerProxy.reset();
      issuerProxy.reset();
      FaultProxy proxy = c.link() == Link.ACQUIRER_SWITCH ? acquirerProxy : issuerProxy;
      if (c.needsReversal()) {
        acquirerProxy.arm("0110", Fault.LOSE, null); // no answer: the acquirer reverses
      }
      List<CompletableFuture<Void>> restarts = new ArrayList<>();
      Runnable kill = () -> {
        PartyProcess victim = c.link() == Link.SWITCH_ISSUER ? issuer : switchProcess;
        try {
          victim.kill();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        restarts.add(victim.restartAsync());
      };
      proxy.arm(c.mti(), c.fault(), kill);
      long startNs = System.nanoTime();
      int cardIndex = nextCard++;
      HarnessCard card = cards.get(cardIndex);
      long amount = 1_000 + 10L * outcomes.size();
      TestAcquirer.Result result = acquirer.authorise(card, cny(amount), 1);
      for (CompletableFuture<Void> restart : restarts) {
        restart.join();
      }
      List<String> applied = new ArrayList<>(acquirerProxy.applied());
      applied.addAll(issuerProxy.applied());
      assertThat(applied).as("%s under %s: the fault was applied", c, suite)
          .contains(c.mti() + " " + c.fault());
      if (result.reversed()) {
        assertThat(result.reversal().responseCode().code()).as("%s: reversal acknowledged", c).isEqualTo("00");
      }
      outcomes.add(new Outcome(c, card, amount, result.approved() && !result.reversed()));
      System.err.printf("matrix %s %s: %s, %d ms%n", suite, c, result.reversed() ? "reversed"
          : result.approved() ? "approved " + result.response().approvalCode() : "declined",
          (System.nanoTime() - startNs) / 1_000_000);
    }
  }

  /** What the acquirer ended with: {@code approved} means approved and not reversed (it will be captured). */
  record Outcome(Case c, HarnessCard card, long amountMinor, boolean approved) {}

  PartyProcess switchProcess;

  @Test
  void everyLostDuplicatedOrKilledMessageEndsApprovedOnceOrReleased() throws Exception {
    SchemeSetup.Written scheme = PartyProcessesTest.scheme(dir, CARDS);
    List<HarnessCard> cards = SchemeSetup.cards(dir);
    PartyProcess issuer1 = PartyProcessesTest.issuer(scheme, 0);
    PartyProcess issuer2 = PartyProcessesTest.issuer(scheme, 1);
    PartyProcessesTest.startAll(issuer1, issuer2);
    List<Lane> lanes = List.of(new Lane(0, cards.stream().filter(c -> c.issuer().equals("ISS1")).toList(), issuer1),
        new Lane(1, cards.stream().filter(c -> c.issuer().equals("ISS2")).toList(), issuer2));
    for (Lane lane : lanes) {
      lane.issuerProxy = new FaultProxy(lane.issuer.port());
    }
    switchProcess = PartyProcessesTest.switchProcess(scheme,
        "--issuer-address", "ISS1=127.0.0.1:" + lanes.get(0).issuerProxy.port(),
        "--issuer-address", "ISS2=127.0.0.1:" + lanes.get(1).issuerProxy.port()).start();
    try {
      for (Lane lane : lanes) {
        lane.acquirerProxy = new FaultProxy(switchProcess.ports().get(lane.index));
        lane.acquirer = PartyProcessesTest.acquirer(scheme, lane.index, lane.acquirerProxy.port(), "TERM000" + lane.index,
            ACQUIRER_TIMEOUT_MS);
      }
      // Phase 1, both suites side by side: losses, duplicates and issuer kills touch only their own lane.
      // Every loss and duplicate under both suites; the issuer kills split between the suites (each
      // suite kills its issuer once as the receiver and once as the sender) to keep the run short.
      List<List<Case>> laneCases = List.of(new ArrayList<>(), new ArrayList<>());
      List<String> mtis = List.of("0100", "0110", "0400", "0410");
      for (String mti : mtis) {
        for (Link link : Link.values()) {
          for (List<Case> cases : laneCases) {
            cases.add(new Case(mti, link, Fault.LOSE));
            cases.add(new Case(mti, link, Fault.DUPLICATE));
          }
        }
      }
      laneCases.get(0).addAll(List.of(new Case("0100", Link.SWITCH_ISSUER, Fault.ACT),
          new Case("0410", Link.SWITCH_ISSUER, Fault.ACT)));
      laneCases.get(1).addAll(List.of(new Case("0110", Link.SWITCH_ISSUER, Fault.ACT),
          new Case("0400", Link.SWITCH_ISSUER, Fault.ACT)));
      List<CompletableFuture<Void>> parallel = new ArrayList<>();
      for (Lane lane : lanes) {
        parallel.add(CompletableFuture.runAsync(() -> {
          for (Case c : laneCases.get(lane.index)) {
            try {
              lane.run(c);
            } catch (Exception e) {
              throw new IllegalStateException(c + " under " + lane.suite, e);
            }
          }
        }, Thread::startVirtualThread));
      }
      CompletableFuture.allOf(parallel.toArray(CompletableFuture[]::new)).join();
      // Phase 2, one at a time: kill -9 of the switch (shared by both lanes), the lanes taking turns.
      int turn = 0;
      for (String mti : mtis) {
        lanes.get(turn++ % 2).run(new Case(mti, Link.ACQUIRER_SWITCH, Fault.ACT));
      }
      for (Lane lane : lanes) {
        String id = lane.cards.get(0).issuer();
        PartyProcessesTest.await(() -> PartyProcessesTest.undeliveredAdvices(scheme, id) == 0,
            "every advice reached " + id);
      }
    } finally {
      for (Lane lane : lanes) {
        if (lane.acquirer != null) {
          lane.acquirer.close();
          lane.acquirerProxy.close();
        }
        lane.issuerProxy.close();
        assertThat(lane.issuer.stop()).isIn(0, 143);
      }
      assertThat(switchProcess.stop()).isIn(0, 143);
    }
    for (Lane lane : lanes) {
      IssuerParty.Books books = IssuerParty.books(scheme.issuerDirs().get(lane.index), null);
      assertThat(books.balanced()).as("%s issuer's books", lane.suite).isTrue();
      long owed = 0;
      for (Outcome o : lane.outcomes) {
        long expected = o.approved() ? o.amountMinor() : 0;
        assertThat(books.cardDebitedMinor(o.card().accountIndex()))
            .as("%s under %s: the card is debited %d, once", o.c(), lane.suite, expected).isEqualTo(expected);
        owed += expected;
      }
      assertThat(books.settlementCreditedMinor()).as("%s: owed to the scheme", lane.suite).isEqualTo(owed);
    }
  }
}
