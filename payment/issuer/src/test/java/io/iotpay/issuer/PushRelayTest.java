package io.iotpay.issuer;

import io.iotpay.issuer.transit.ScriptStep;
import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.card.CardGoneException;
import io.iotpay.foundation.card.FaultyCardChannel;
import io.iotpay.foundation.codec.CommandApdu;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.protocol.enrolment.ServiceApplication;
import io.iotpay.protocol.script.CardScript;
import io.iotpay.protocol.transit.TransitRecord;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The phone is an untrusted relay: whatever it does with the issuer's scripts (replay an old push,
 * alter a byte, reorder), the card's quota changes only to what the issuer sent, and only once per
 * Push ATC. Also: a push whose result is lost is retried with a new Push ATC, harmlessly.
 */
class PushRelayTest {
  @TempDir Path dir;

  /** Enables the card, then spends 6.50 so a later push would visibly change the quota. */
  private static IssuerWorld.Rider enabledAndSpent(IssuerWorld world, AlgorithmSuite suite, List<List<CommandApdu>> seen) {
    IssuerWorld.Rider rider = world.rider(1, suite, 100_00);
    var decision = world.issuer.apply(new ServiceApplication("a", rider.issued().pan(), 1, "METRO"));
    ScriptStep step = world.runPush(decision.script().orElseThrow(), rider.card(), commands -> {
      seen.add(commands);
      return commands;
    });
    assertThat(step).isEqualTo(new ScriptStep.Completed(50_00));
    new TestGate(rider.card(), rider.issued(), world.aid()).journey(8_00, 6_50);
    assertThat(rider.card().quotaMinor(world.aid())).isEqualTo(43_50);
    return rider;
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void replayingAnOldPushCannotRestoreTheQuota(AlgorithmSuite suite) {
    try (IssuerWorld world = new IssuerWorld(dir)) {
      List<List<CommandApdu>> seen = new ArrayList<>();
      IssuerWorld.Rider rider = enabledAndSpent(world, suite, seen);
      // The relay replays both old scripts verbatim: a new INITIALIZE UPDATE moves the card's
      // sequence counter, so the old EXTERNAL AUTHENTICATE no longer verifies.
      var first = IssuerWorld.relay("r1", seen.get(0), rider.card());
      assertThat(first.responses()).allMatch(r -> r.sw() == 0x9000);
      var second = IssuerWorld.relay("r2", seen.get(1), rider.card());
      assertThat(second.responses().get(0).sw()).isNotEqualTo(0x9000);
      assertThat(second.responses()).hasSize(1);
      // Sending the old PUT DATA alone, outside a session, is refused too.
      var alone = IssuerWorld.relay("r3", List.of(seen.get(0).get(0), seen.get(1).get(1)), rider.card());
      assertThat(alone.responses().get(1).sw()).isEqualTo(0x6982);
      assertThat(rider.card().quotaMinor(world.aid())).isEqualTo(43_50);
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void alteringAnyByteOfThePushFailsIt(AlgorithmSuite suite) {
    try (IssuerWorld world = new IssuerWorld(dir)) {
      IssuerWorld.Rider rider = enabledAndSpent(world, suite, new ArrayList<>());
      for (int position : new int[] {5, 6, 8, 13, 16, 28}) {
        CardScript first = world.issuer.startPush(rider.issued().pan());
        ScriptStep step = world.runPush(first, rider.card(), commands -> {
          if (commands.get(1).ins() != 0xDA) {
            return commands;
          }
          byte[] bytes = commands.get(1).encode();
          bytes[position] ^= 0x01; // in the Push ATC, the tag, the value, the MAC or the C-MAC
          return List.of(commands.get(0), CommandApdu.parse(bytes));
        });
        assertThat(step).as("byte " + position).isInstanceOf(ScriptStep.Failed.class);
        assertThat(rider.card().quotaMinor(world.aid())).as("byte " + position).isEqualTo(43_50);
      }
      // The issuer's next genuine push still works: refused pushes consumed nothing on the card.
      assertThat(world.runPush(world.issuer.startPush(rider.issued().pan()), rider.card(), UnaryOperator.identity()))
          .isEqualTo(new ScriptStep.Completed(50_00));
      assertThat(rider.card().quotaMinor(world.aid())).isEqualTo(50_00);
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void reorderingThePushFailsIt(AlgorithmSuite suite) {
    try (IssuerWorld world = new IssuerWorld(dir)) {
      IssuerWorld.Rider rider = enabledAndSpent(world, suite, new ArrayList<>());
      ScriptStep step = world.runPush(world.issuer.startPush(rider.issued().pan()), rider.card(),
          commands -> commands.get(0).ins() == 0x82 ? List.of(commands.get(1), commands.get(0)) : commands);
      assertThat(step).isInstanceOf(ScriptStep.Failed.class);
      // Script 1 reordered (INITIALIZE UPDATE before SELECT) fails as well.
      ScriptStep swapped = world.runPush(world.issuer.startPush(rider.issued().pan()), rider.card(),
          commands -> commands.get(0).ins() == 0xA4 ? List.of(commands.get(1), commands.get(0)) : commands);
      assertThat(swapped).isInstanceOf(ScriptStep.Failed.class);
      assertThat(rider.card().quotaMinor(world.aid())).isEqualTo(43_50);
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void aLostPushResultIsRetriedWithANewPushAtc(AlgorithmSuite suite) {
    try (IssuerWorld world = new IssuerWorld(dir)) {
      IssuerWorld.Rider rider = enabledAndSpent(world, suite, new ArrayList<>());
      int atcBefore = world.issuer.card(rider.issued().pan()).pushAtc();
      CardScript first = world.issuer.startPush(rider.issued().pan());
      ScriptStep step = world.issuer.onScriptResult(IssuerWorld.relay(first.scriptId(), first.commands(), rider.card()));
      CardScript second = ((ScriptStep.Next) step).script();
      // The card applies the push; the phone loses the response (e.g. out of coverage).
      FaultyCardChannel lossy = new FaultyCardChannel(rider.card().channel, 2, FaultyCardChannel.Fault.LOSE_RESPONSE);
      lossy.transmit(second.commands().get(0));
      try {
        lossy.transmit(second.commands().get(1));
      } catch (CardGoneException expected) {
        // the result never reaches the issuer
      }
      assertThat(rider.card().quotaMinor(world.aid())).isEqualTo(50_00);
      new TestGate(rider.card(), rider.issued(), world.aid()).journey(8_00, 3_00);
      // The issuer retries: a new session and a new Push ATC; the absolute value makes it harmless.
      assertThat(world.runPush(world.issuer.startPush(rider.issued().pan()), rider.card(), UnaryOperator.identity()))
          .isEqualTo(new ScriptStep.Completed(50_00));
      assertThat(world.issuer.card(rider.issued().pan()).pushAtc()).isEqualTo(atcBefore + 2);
      assertThat(rider.card().quotaMinor(world.aid())).isEqualTo(50_00);
      // The stale result of the abandoned script is ignored.
      assertThat(world.issuer.onScriptResult(IssuerWorld.relay(second.scriptId(), List.of(first.commands().get(0)),
          rider.card()))).isInstanceOf(ScriptStep.Failed.class);
    }
  }

  /**
   * Push restore tearing: for each of its 4 APDUs, lose the command, lose the response, or pull the
   * phone's card; the issuer then retries (new session, new Push ATC). The quota ends at the
   * configured value in every case and is never set by anything but the issuer's push.
   */
  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void tornRestoresRecoverOnRetry(AlgorithmSuite suite) {
    try (IssuerWorld world = new IssuerWorld(dir)) {
      IssuerWorld.Rider rider = enabledAndSpent(world, suite, new ArrayList<>());
      int cases = 0;
      int violations = 0;
      for (FaultyCardChannel.Fault fault : FaultyCardChannel.Fault.values()) {
        for (int apdu = 1; apdu <= 4; apdu++) {
          new TestGate(rider.card(), rider.issued(), world.aid()).journey(8_00, 1_00);
          long before = rider.card().quotaMinor(world.aid());
          FaultyCardChannel faulty = new FaultyCardChannel(rider.card().channel, apdu, fault);
          ScriptStep torn = world.issuer.runPush(world.issuer.startPush(rider.issued().pan()),
              script -> IssuerWorld.relay(script.scriptId(), script.commands(), faulty));
          long after = rider.card().quotaMinor(world.aid());
          // Torn: either nothing happened or the whole push did (the card commits atomically).
          boolean pushedAnyway = fault == FaultyCardChannel.Fault.LOSE_RESPONSE && apdu == 4;
          if (torn instanceof ScriptStep.Completed || after != (pushedAnyway ? 50_00 : before)) {
            violations++;
          }
          ScriptStep retried = world.runPush(world.issuer.startPush(rider.issued().pan()), rider.card(),
              UnaryOperator.identity());
          if (!retried.equals(new ScriptStep.Completed(50_00)) || rider.card().quotaMinor(world.aid()) != 50_00) {
            violations++;
          }
          cases++;
        }
      }
      System.out.printf("[figure] %s push-restore tearing matrix: %d cases, %d violations%n", suite, cases, violations);
      assertThat(cases).isEqualTo(12);
      assertThat(violations).isZero();
    }
  }
}
