package io.iotpay.issuer;

import io.iotpay.issuer.card.IssuedCard;
import io.iotpay.issuer.transit.ScriptStep;
import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.card.CardChannel;
import io.iotpay.foundation.card.FaultyCardChannel;
import io.iotpay.foundation.codec.CommandApdu;
import io.iotpay.foundation.codec.ResponseApdu;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.protocol.enrolment.ServiceApplication;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Personalisation survives a lost command or a lost response at each of its six APDUs (SELECT,
 * INITIALIZE UPDATE, EXTERNAL AUTHENTICATE, three STORE DATA): the issuer reruns the script in a new
 * session, the card answers 6200 for blocks it holds (or is found already personalised), and the card
 * then works: the quota push and a genuine TC.
 */
class PersonalisationRetryTest {
  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void everyLostCommandOrResponseIsRetriedSafely(AlgorithmSuite suite) {
    try (IssuerWorld world = new IssuerWorld(dir)) {
      int cases = 0;
      for (FaultyCardChannel.Fault fault : new FaultyCardChannel.Fault[] {
          FaultyCardChannel.Fault.LOSE_COMMAND, FaultyCardChannel.Fault.LOSE_RESPONSE}) {
        for (int apdu = 1; apdu <= 6; apdu++) {
          long account = world.issuer.openRiderAccount(cases, RiderAccountKind.DEBIT, 0);
          world.issuer.deposit(8_000_000L + cases, account, 20_00);
          IssuedCard issued = world.issuer.issueCard(suite, account);
          SimCard card = new SimCard(issued, world.aid());
          CountingChannel counting = new CountingChannel(new FaultyCardChannel(card.channel, apdu, fault));
          world.issuer.personalise(issued.pan(), counting);
          assertThat(counting.sent).as(fault + " at " + apdu).isGreaterThan(6);

          var decision = world.issuer.apply(new ServiceApplication("a" + cases, issued.pan(), 1, "METRO"));
          assertThat(world.runPush(decision.script().orElseThrow(), card, UnaryOperator.identity()))
              .as(fault + " at " + apdu).isEqualTo(new ScriptStep.Completed(50_00));
          new TestGate(card, issued, world.aid()).journey(8_00, 2_00);
          assertThat(card.quotaMinor(world.aid())).isEqualTo(48_00);
          cases++;
        }
      }
      assertThat(cases).isEqualTo(12);
    }
  }

  /** Counts the commands the issuer attempted. */
  private static final class CountingChannel implements CardChannel {
    private final CardChannel inner;
    int sent;

    CountingChannel(CardChannel inner) {
      this.inner = inner;
    }

    @Override
    public ResponseApdu transmit(CommandApdu command) {
      sent++;
      return inner.transmit(command);
    }
  }
}
