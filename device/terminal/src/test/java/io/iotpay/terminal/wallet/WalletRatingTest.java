package io.iotpay.terminal.wallet;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.card.CardChannel;
import io.iotpay.foundation.card.CardGoneException;
import io.iotpay.foundation.card.FaultyCardChannel;
import io.iotpay.foundation.codec.ResponseApdu;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import io.iotpay.foundation.crypto.WalletRatingMac;
import io.iotpay.protocol.transit.TransitTac;
import java.nio.file.Path;
import java.security.SecureRandom;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The issuer's rating written to the card at its next tap (docs/wallet-apdus.md §3.8), both
 * suites, real applets in jCardSim: written only when newer, under the issuer's MAC, confirmed by
 * the card's MAC (both as the host's {@code WalletRatingMac} computes them), used by the split
 * decision and by the card's own allowance check; forged, foreign, older and altered ratings, and a
 * TAC or the card's own confirmation presented as the issuer's MAC, refused with their status word
 * and nothing changed.
 */
class WalletRatingTest {
  private static final long VERSION = 20_500;
  private static final int CANTEEN = 0;
  private static final int SHOP = 3;
  @TempDir Path dir;

  /** What a rating write may change, and what it must not. */
  private record Snapshot(int band, long allowanceMinor, long version, int kinds, long balanceMinor, long counter) {
    static Snapshot of(CardState s) {
      return new Snapshot(s.rating(), s.allowanceMinor(), s.ratingVersion(), s.splitKinds(), s.balanceMinor(),
          s.counter());
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void listedRating_isWrittenAtTheNextTap_confirmedByTheCard_andTheSplitUsesIt(AlgorithmSuite suite) {
    try (WalletWorld world = WalletWorld.of(suite, dir)) {
      CardState personalised = world.state();
      assertThat(Snapshot.of(personalised)).isEqualTo(new Snapshot(3, 3_000, 0, 0xFF, 0, 0));
      world.load(1_000);
      // Shortfall 4,000: above the personalised allowance (3,000), within the new one (5,000).
      assertThat(new RatingSplitPolicy(2).decide(5_000, world.state())).isInstanceOf(SplitPolicy.Decision.Decline.class);
      world.listedRating = world.scheme.macRating(WalletWorld.CARD, VERSION, 4, 5_000, 1 << CANTEEN, world.scheme.walletImk);

      WalletKernel.Outcome split = world.kernel.purchase(world.tap(), 5_000);

      assertThat(split).isInstanceOf(WalletKernel.Outcome.Approved.class);
      assertThat(split.walletApdus()).as("SELECT, INITIALIZE, WRITE RATING, DEBIT").isEqualTo(4);
      assertThat(((WalletKernel.Outcome.Approved) split).record().debit().onlineMinor()).isEqualTo(4_000);
      CardState after = world.state();
      assertThat(Snapshot.of(after)).isEqualTo(new Snapshot(4, 5_000, VERSION, 1 << CANTEEN, 0, 1));
      assertThat(world.kernel.ratingsWritten()).isEqualTo(1);
      assertThat(world.ratingLog.confirmations()).hasSize(1);
      RatingConfirmation confirmation = world.ratingLog.confirmations().get(0);
      assertThat(confirmation.input())
          .isEqualTo(WalletScheme.ratingInput(0x71, WalletWorld.CARD, VERSION, 4, 5_000, 1 << CANTEEN));
      assertThat(confirmation.cardMac()).as("the card's confirmation MAC is the host formula's under its key")
          .isEqualTo(WalletRatingMac.mac(suite, new SecretKeyBytes(world.scheme.tacKey(WalletWorld.CARD)),
              confirmation.input()));

      // The card holds it now: the next tap sends no WRITE RATING.
      world.load(2_000);
      assertThat(world.kernel.purchase(world.tap(), 500).walletApdus()).isEqualTo(3);
      assertThat(world.ratingLog.confirmations()).hasSize(1);
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void kindsAndALowerRating_onTheCard_decideTheSplit_andTheCardEnforcesItsAllowance(AlgorithmSuite suite) {
    try (WalletWorld world = WalletWorld.of(suite, dir)) {
      world.load(1_000);
      world.listedRating = world.scheme.macRating(WalletWorld.CARD, VERSION, 4, 5_000, 1 << CANTEEN, world.scheme.walletImk);
      world.kernel.purchase(world.tap(), 200);
      CardState state = world.state();
      assertThat(new RatingSplitPolicy(2, CANTEEN).decide(2_000, state)).isEqualTo(new SplitPolicy.Decision.Pay(800,
          1_200));
      assertThat(new RatingSplitPolicy(2, SHOP).decide(2_000, state)).isInstanceOf(SplitPolicy.Decision.Decline.class);

      // The next night the cardholder is rated E: no allowance, no kinds.
      world.listedRating = world.scheme.macRating(WalletWorld.CARD, VERSION + 1, 1, 0, 0, world.scheme.walletImk);
      world.kernel.purchase(world.tap(), 100);
      CardState lowered = world.state();
      assertThat(Snapshot.of(lowered)).isEqualTo(new Snapshot(1, 0, VERSION + 1, 0, 700, 2));
      assertThat(world.kernel.purchase(world.tap(), 2_000)).isInstanceOf(WalletKernel.Outcome.Declined.class);
      // A POS that splits whatever the rating says meets the card's own check.
      WalletKernel reckless = world.newKernel((amount, card) -> new SplitPolicy.Decision.Pay(card.balanceMinor(),
          amount - card.balanceMinor()));
      WalletKernel.Outcome refused = reckless.purchase(world.tap(), 2_000);
      assertThat(((WalletKernel.Outcome.Declined) refused).sw()).isEqualTo(WalletStatus.ALLOWANCE_EXCEEDED);
      assertThat(Snapshot.of(world.state())).isEqualTo(Snapshot.of(lowered));
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void forgedForeignOlderOrAlteredRatings_areRefusedWithAReason_andChangeNothing(AlgorithmSuite suite) {
    try (WalletWorld world = WalletWorld.of(suite, dir)) {
      world.load(1_000);
      byte[] otherCard = WalletScheme.id("6210000000000002");
      byte[] rogue = new byte[16];
      new SecureRandom().nextBytes(rogue);
      var genuine = world.scheme.macRating(WalletWorld.CARD, VERSION, 3, 2_000, 0x07, world.scheme.walletImk);

      refused(world, WalletWorld.CARD, world.scheme.macRating(WalletWorld.CARD, VERSION, 5, 20_000, 0x1F, rogue),
          WalletStatus.SIGNATURE_INVALID);
      refused(world, otherCard, world.scheme.macRating(otherCard, VERSION, 5, 20_000, 0x1F, world.scheme.walletImk), WalletStatus.RATING_OTHER_CARD);
      // Another card's rating sent under this card's id: the MAC is under the other card's key.
      refused(world, WalletWorld.CARD, world.scheme.macRating(otherCard, VERSION, 5, 20_000, 0x1F, world.scheme.walletImk), WalletStatus.SIGNATURE_INVALID);
      // A POS raising the allowance, the band or the kinds of a genuine rating.
      refused(world, WalletWorld.CARD, new OutcomeList.SignedRating(VERSION, 3, 20_000, 0x07,
          genuine.issuerMac()), WalletStatus.SIGNATURE_INVALID);
      refused(world, WalletWorld.CARD, new OutcomeList.SignedRating(VERSION, 5, 2_000, 0x07,
          genuine.issuerMac()), WalletStatus.SIGNATURE_INVALID);
      refused(world, WalletWorld.CARD, new OutcomeList.SignedRating(VERSION, 3, 2_000, 0xFF,
          genuine.issuerMac()), WalletStatus.SIGNATURE_INVALID);

      // Key separation: a MAC over the same rating bytes under this card's TAC session key (the TAC
      // formula), and a MAC under the card's confirmation session key, are not the issuer's rating MAC.
      byte[] ratingInput = WalletScheme.ratingInput(0x61, WalletWorld.CARD, VERSION, 3, 2_000, 0x07);
      refused(world, WalletWorld.CARD, new OutcomeList.SignedRating(VERSION, 3, 2_000, 0x07, TransitTac.tac(suite,
          world.scheme.tacKey(WalletWorld.CARD), (int) (VERSION & 0xFFFF), ratingInput)), WalletStatus.SIGNATURE_INVALID);
      byte[] confirmationInput = ratingInput.clone();
      confirmationInput[0] = 0x71;
      refused(world, WalletWorld.CARD, new OutcomeList.SignedRating(VERSION, 3, 2_000, 0x07, WalletRatingMac.mac(suite,
          new SecretKeyBytes(world.scheme.tacKey(WalletWorld.CARD)), confirmationInput)), WalletStatus.SIGNATURE_INVALID);

      ResponseApdu taken = transmitRating(world, WalletWorld.CARD, genuine);
      assertThat(taken.sw()).isEqualTo(WalletStatus.OK);
      // The card's confirmation, reflected to the card as the issuer's MAC of a newer rating, is refused too.
      byte[] reflected = java.util.Arrays.copyOfRange(taken.data(), 10, 18);
      refused(world, WalletWorld.CARD, new OutcomeList.SignedRating(VERSION + 1, 3, 2_000, 0x07, reflected),
          WalletStatus.SIGNATURE_INVALID);
      // Replays: the same rating, and an older genuine one (a better rating from an earlier night).
      refused(world, WalletWorld.CARD, genuine, WalletStatus.RATING_NOT_NEWER);
      refused(world, WalletWorld.CARD, world.scheme.macRating(WalletWorld.CARD, VERSION - 1, 5, 20_000, 0x1F, world.scheme.walletImk), WalletStatus.RATING_NOT_NEWER);

      // Through the kernel: a forged rating on the POS's list is refused and the purchase goes on.
      world.listedRating = world.scheme.macRating(WalletWorld.CARD, VERSION + 7, 5, 20_000, 0x1F, rogue);
      Snapshot before = Snapshot.of(world.state());
      WalletKernel.Outcome paid = world.kernel.purchase(world.tap(), 300);
      assertThat(paid).isInstanceOf(WalletKernel.Outcome.Approved.class);
      assertThat(paid.walletApdus()).isEqualTo(4);
      Snapshot after = Snapshot.of(world.state());
      assertThat(new Snapshot(after.band(), after.allowanceMinor(), after.version(), after.kinds(), before.balanceMinor(),
          before.counter())).isEqualTo(before);
      assertThat(world.kernel.ratingsWritten()).isZero();
      assertThat(world.ratingLog.confirmations()).isEmpty();
    }
  }

  /** The worst tap: a lost debit recovered, an outcome and a rating written, then the purchase: 6 APDUs. */
  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void aTapThatRecoversWritesBackAndRates_staysWithinTheSixApduBudget(AlgorithmSuite suite) {
    try (WalletWorld world = WalletWorld.of(suite, dir)) {
      world.load(1_000);
      PurchaseRecord split = ((WalletKernel.Outcome.Approved) world.kernel.purchase(world.tap(), 2_000)).record();
      world.load(5_000);
      FaultyCardChannel torn = new FaultyCardChannel(world.tap(), 3, FaultyCardChannel.Fault.LOSE_RESPONSE);
      try {
        world.kernel.purchase(torn, 300);
      } catch (CardGoneException expected) {
        // The card debited; the POS never heard.
      }
      world.outcomes.put(split.debit().counter(), world.scheme.signOutcome(WalletWorld.CARD, split.debit().counter(),
          split.debit().onlineMinor(), OutcomeList.COMPLETED, world.scheme.issuerKeys));
      world.listedRating = world.scheme.macRating(WalletWorld.CARD, VERSION, 4, 5_000, 0x1F, world.scheme.walletImk);
      // The POS restarted in between: the next tap charges afresh after recovering the lost debit.
      WalletKernel restarted = world.newKernel(new RatingSplitPolicy(2));

      WalletKernel.Outcome outcome = restarted.purchase(world.tap(), 400);

      assertThat(outcome).isInstanceOf(WalletKernel.Outcome.Approved.class);
      assertThat(outcome.walletApdus()).as("SELECT, INITIALIZE, READ LOG, WRITE BACK, WRITE RATING, DEBIT")
          .isEqualTo(WalletKernel.WALLET_APDUS_MAX);
      CardState state = world.state();
      assertThat(state.pending()).isFalse();
      assertThat(state.ratingVersion()).isEqualTo(VERSION);
      assertThat(state.balanceMinor()).isEqualTo(5_000 - 300 - 400);
      assertThat(world.journal.records()).hasSize(3);
    }
  }

  private static ResponseApdu transmitRating(WalletWorld world, byte[] cardIdSent, OutcomeList.SignedRating rating) {
    CardChannel channel = world.tap();
    assertThat(channel.transmit(WalletApdus.select(WalletApdus.WALLET_AID)).isOk()).isTrue();
    return channel.transmit(WalletApdus.writeRating(cardIdSent, rating));
  }

  private static void refused(WalletWorld world, byte[] cardIdSent, OutcomeList.SignedRating rating, int sw) {
    Snapshot before = Snapshot.of(world.state());
    ResponseApdu response = transmitRating(world, cardIdSent, rating);
    assertThat(response.sw()).as(WalletStatus.reason(sw)).isEqualTo(sw);
    assertThat(response.data()).isEmpty();
    assertThat(Snapshot.of(world.state())).isEqualTo(before);
  }
}
