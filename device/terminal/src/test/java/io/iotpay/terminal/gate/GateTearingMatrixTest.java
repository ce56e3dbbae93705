package io.iotpay.terminal.gate;

import io.iotpay.foundation.crypto.oda.CaRevocationList;
import io.iotpay.protocol.Pan;
import io.iotpay.terminal.pos.OdaScheme;
import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.card.FaultyCardChannel;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.protocol.transit.TransitRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Flash-card tearing matrix: for tap-in and tap-out, each of the 6 command APDUs (7 with offline
 * data authentication: gates with ODA and a card personalised for it), each fault (lose the
 * command, lose the response, pull the card), then the next tap at the same gate or at another gate
 * of the same direction, then the rest of the rider's day. Both suites: 2 × 2 × 6 × 3 × 2 = 144
 * cases without ODA, 2 × 2 × 7 × 3 × 2 = 168 with, 312 in all. After each case: (1) quota deducted on the card (quota + lock moved) = fares in the
 * union of all gates' journals de-duplicated by card key, (2) the rider paid exactly the journeys'
 * fares (nothing twice), (3) every TC in the card's log is in some journal (nothing lost), (4) every
 * journaled TAC verifies under the issuer's key, (5) the next tap at the same gate opens.
 */
class GateTearingMatrixTest {
  @TempDir Path dir;

  enum TapType { TAP_IN, TAP_OUT }

  record Case(AlgorithmSuite suite, boolean oda, TapType type, int apdu, FaultyCardChannel.Fault fault,
      boolean sameGate) {}

  @Test
  void everyTearIsRecovered_moneyAndQuotaConserved() throws Exception {
    List<Case> cases = new ArrayList<>();
    for (AlgorithmSuite suite : AlgorithmSuite.values()) {
      for (boolean oda : new boolean[] {false, true}) {
        for (TapType type : TapType.values()) {
          for (int apdu = 1; apdu <= (oda ? 7 : 6); apdu++) {
            for (FaultyCardChannel.Fault fault : FaultyCardChannel.Fault.values()) {
              cases.add(new Case(suite, oda, type, apdu, fault, true));
              cases.add(new Case(suite, oda, type, apdu, fault, false));
            }
          }
        }
      }
    }
    List<String> violations = new ArrayList<>();
    int n = 0;
    for (Case c : cases) {
      Path caseDir = Files.createDirectory(dir.resolve("case" + n++));
      violations.addAll(run(c, caseDir));
    }
    System.out.println("Gate tearing matrix: " + cases.size() + " cases, " + violations.size() + " violations");
    violations.forEach(v -> System.out.println("  violation: " + v));
    assertThat(cases).hasSize(312);
    assertThat(violations).isEmpty();
  }

  private List<String> run(Case c, Path caseDir) {
    Metro metro = c.oda() ? new Metro(caseDir, OdaScheme.of(c.suite()).verifier(CaRevocationList.empty()))
        : new Metro(caseDir);
    List<String> violations = new ArrayList<>();
    try {
      SimCard card = c.oda()
          ? new SimCard(c.suite(), Pan.withCheckDigit("621234567890123"), 5_000, 800, 100 + c.apdu(),
              SimCard.Oda.genuine(OdaScheme.of(c.suite()).issuer))
          : SimCard.standard(c.suite(), 100 + c.apdu());
      // A first journey at other gates, so the faulty gate must fetch the card's last proof (6 APDUs).
      expectOpened(metro.gate("IN-B").tap(card.channel()), c, "warm-up entry", violations);
      metro.clock.advance(Duration.ofMinutes(20));
      expectOpened(metro.gate("OUT-D").tap(card.channel()), c, "warm-up exit", violations);
      metro.clock.advance(Duration.ofMinutes(30));
      long expectedFares = 500;
      String faulty;
      String other;
      if (c.type() == TapType.TAP_IN) {
        faulty = "IN-A";
        other = "IN-B";
      } else {
        expectOpened(metro.gate("IN-B").tap(card.channel()), c, "entry", violations);
        metro.clock.advance(Duration.ofMinutes(10));
        faulty = "OUT-C";
        other = "OUT-D";
      }
      FaultyCardChannel channel = new FaultyCardChannel(card.channel(), c.apdu(), c.fault());
      TapOutcome torn = metro.gate(faulty).tap(channel);
      if (!(torn instanceof TapOutcome.Torn) || channel.commandsSent() < c.apdu()) {
        violations.add(c + ": the fault did not tear the tap: " + torn);
      }
      card.reinsert();
      metro.clock.advance(Duration.ofMinutes(1));
      TapOutcome next = metro.gate(c.sameGate() ? faulty : other).tap(card.channel());
      if (c.sameGate() && !(next instanceof TapOutcome.Opened)) {
        violations.add(c + ": the next tap at the same gate did not open: " + next);
      }
      if (c.type() == TapType.TAP_IN) {
        metro.clock.advance(Duration.ofMinutes(25));
        expectOpened(metro.gate("OUT-E").tap(card.channel()), c, "final exit", violations);
        expectedFares += 300;
      } else {
        expectedFares += 500;
      }
      check(c, metro, card, expectedFares, violations);
    } finally {
      metro.close();
    }
    return violations;
  }

  private static void check(Case c, Metro metro, SimCard card, long expectedFares, List<String> violations) {
    long deducted = card.initialQuotaMinor - card.quotaMinor() - card.lockedMinor();
    long journaled = metro.union().values().stream().mapToLong(r -> r.fare().amountMinor()).sum();
    if (deducted != journaled) {
      violations.add(c + ": card deducted " + deducted + " but journals hold " + journaled);
    }
    if (deducted != expectedFares) {
      violations.add(c + ": rider paid " + deducted + ", the journeys cost " + expectedFares);
    }
    Set<Integer> journaledAtcs = metro.union().keySet().stream().map(TransitRecord.CardTransactionKey::atc)
        .collect(Collectors.toSet());
    for (int i = 1; i <= 10; i++) {
      int atc = card.logAtc(i);
      if (atc >= 0 && !journaledAtcs.contains(atc)) {
        violations.add(c + ": card TC with ATC " + atc + " is in no journal");
      }
    }
    for (TransitRecord r : metro.all()) {
      if (!card.tacValid(r.atc(), r.cryptogramInput(), r.tac())) {
        violations.add(c + ": TAC of " + r + " does not verify");
      }
    }
  }

  private static void expectOpened(TapOutcome outcome, Case c, String step, List<String> violations) {
    if (!(outcome instanceof TapOutcome.Opened)) {
      violations.add(c + ": " + step + " did not open: " + outcome);
    }
  }
}
