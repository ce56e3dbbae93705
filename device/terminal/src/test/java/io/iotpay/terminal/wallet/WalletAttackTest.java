package io.iotpay.terminal.wallet;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.card.CardChannel;
import io.iotpay.foundation.codec.ResponseApdu;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Attacks refused with a reason and nothing moved, both suites (docs/wallet-apdus.md §9). */
class WalletAttackTest {
  @TempDir Path dir;

  private static KeyPair rogue(AlgorithmSuite suite) {
    return suite.signature().generateKeyPair(new SecureRandom());
  }

  private static void assertDeclined(WalletKernel.Outcome outcome, int sw) {
    assertThat(outcome).isInstanceOf(WalletKernel.Outcome.Declined.class);
    assertThat(((WalletKernel.Outcome.Declined) outcome).sw()).as("status word").isEqualTo(sw);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void posWithSelfSignedOrForeignPsamCertificate_isRefusedByTheCard_nothingMoves(AlgorithmSuite suite) {
    WalletScheme scheme = new WalletScheme(suite, 21);
    WalletScheme otherScheme = new WalletScheme(suite, 22);
    for (KeyPair certifier : new KeyPair[] {rogue(suite), otherScheme.schemeKeys}) {
      WalletScheme.Sim wallet = scheme.newWallet(WalletWorld.CARD, WalletScheme.Limits.standard());
      WalletScheme.Sim roguePsam = scheme.newPsam(WalletWorld.POS, certifier);
      try (WalletJournal journal = WalletJournal.open(dir.resolve("rogue-" + System.nanoTime()))) {
        WalletKernel kernel = new WalletKernel(roguePsam.channel(), journal, new RatingSplitPolicy(2), OutcomeList.empty());
        kernel.load(wallet.channel(), 5_000, scheme::signLoad);
        wallet.reinsert();
        assertDeclined(kernel.purchase(wallet.channel(), 1_000), WalletStatus.CERTIFICATE_INVALID);
        wallet.reinsert();
        CardState state = WalletKernel.readState(wallet.channel());
        assertThat(state.balanceMinor()).isEqualTo(5_000);
        assertThat(state.counter()).isZero();
        assertThat(journal.records()).isEmpty();
      }
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void replayedOrAlteredCardSignature_isRefusedByThePsam(AlgorithmSuite suite) {
    try (WalletWorld world = WalletWorld.of(suite, dir)) {
      world.load(5_000);
      PurchaseRecord record = ((WalletKernel.Outcome.Approved) world.kernel.purchase(world.tap(), 1_000)).record();
      PurchaseRecord last = ((WalletKernel.Outcome.Approved) world.kernel.purchase(world.tap(), 200)).record();
      CardDebit genuine = record.debit();
      CardState state = world.state();
      ok(world.psam.channel().transmit(WalletApdus.psamVerifyCardCertificate(state.certificate())));

      ResponseApdu replay = world.psam.channel().transmit(WalletApdus.psamCountersign(genuine));
      assertThat(replay.sw()).as("replayed earlier debit").isEqualTo(0x6A88);
      // The last debit again is a lost answer asked for again: the same sequence and signature.
      byte[] again = ok(world.psam.channel().transmit(WalletApdus.psamCountersign(last.debit())));
      assertThat(again).startsWith(0, 0, 0, 2);
      assertThat(java.util.Arrays.copyOfRange(again, 4, again.length)).isEqualTo(last.psamSignature());

      CardDebit inflated = new CardDebit(genuine.cardId(), genuine.counter(), 100, genuine.onlineMinor(),
          genuine.balanceAfterMinor(), genuine.currencyNumeric(), genuine.posId(), genuine.posChallenge(),
          genuine.tac(), genuine.cardSignature());
      assertThat(world.psam.channel().transmit(WalletApdus.psamCountersign(inflated)).sw()).as("altered amount")
          .isEqualTo(WalletStatus.SIGNATURE_INVALID);
      byte[] badSignature = genuine.cardSignature();
      badSignature[badSignature.length - 1] ^= 0x01;
      CardDebit tampered = new CardDebit(genuine.cardId(), genuine.counter(), genuine.offlineMinor(),
          genuine.onlineMinor(), genuine.balanceAfterMinor(), genuine.currencyNumeric(), genuine.posId(),
          genuine.posChallenge(), genuine.tac(), badSignature);
      assertThat(world.psam.channel().transmit(WalletApdus.psamCountersign(tampered)).sw()).as("altered signature")
          .isEqualTo(WalletStatus.SIGNATURE_INVALID);
      assertThat(world.journal.records()).containsExactly(record, last);
      byte[] sequence = ok(world.psam.channel().transmit(WalletApdus.psamGetData(0x03)));
      assertThat(sequence).containsExactly(0, 0, 0, 2);
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void clonedCard_withoutThePrivateKey_isRefused_andASelfCertifiedCloneToo(AlgorithmSuite suite) {
    try (WalletWorld world = WalletWorld.of(suite, dir)) {
      world.load(5_000);
      byte[] victimCertificate = world.state().certificate();
      WalletScheme.Sim clone = world.scheme.newClone(WalletWorld.CARD, WalletScheme.Limits.standard(), victimCertificate);
      world.kernel.load(clone.channel(), 5_000, world.scheme::signLoad);
      clone.reinsert();
      assertDeclined(world.kernel.purchase(clone.channel(), 1_000), WalletStatus.SIGNATURE_INVALID);

      WalletScheme.Sim selfCertified = world.scheme.newWallet(WalletScheme.id("6210000000000002"),
          WalletScheme.Limits.standard(), rogue(suite), world.scheme.schemeKeys);
      assertDeclined(world.kernel.purchase(selfCertified.channel(), 1_000), WalletStatus.CERTIFICATE_INVALID);
      assertThat(world.journal.records()).isEmpty();
      assertThat(world.state().balanceMinor()).isEqualTo(5_000);
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void replayedLoad_isRefused_balanceUnchanged(AlgorithmSuite suite) {
    try (WalletWorld world = WalletWorld.of(suite, dir)) {
      byte[] signature = world.scheme.signLoad(WalletWorld.CARD, 1, 3_000, WalletScheme.CNY);
      CardChannel card = world.tap();
      ok(card.transmit(WalletApdus.select(WalletApdus.WALLET_AID)));
      ok(card.transmit(WalletApdus.load(3_000, 1, signature)));
      assertThat(card.transmit(WalletApdus.load(3_000, 1, signature)).sw()).isEqualTo(WalletStatus.LOAD_NUMBER_WRONG);
      byte[] other = world.scheme.signLoad(WalletWorld.CARD, 2, 3_000, WalletScheme.CNY);
      assertThat(card.transmit(WalletApdus.load(9_000, 2, other)).sw()).as("amount altered")
          .isEqualTo(WalletStatus.SIGNATURE_INVALID);
      byte[] forged = world.scheme.suite.signature().sign(rogue(suite).getPrivate(), new byte[] {0x51});
      assertThat(card.transmit(WalletApdus.load(3_000, 2, forged)).sw()).as("forged")
          .isEqualTo(WalletStatus.SIGNATURE_INVALID);
      CardState state = world.state();
      assertThat(state.balanceMinor()).isEqualTo(3_000);
      assertThat(state.loadNumber()).isEqualTo(1);
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void forgedOrAlteredWriteBack_isRefused_pendingPartKept(AlgorithmSuite suite) {
    try (WalletWorld world = WalletWorld.of(suite, dir)) {
      world.load(1_000);
      PurchaseRecord split = ((WalletKernel.Outcome.Approved) world.kernel.purchase(world.tap(), 1_800)).record();
      long counter = split.debit().counter();
      assertThat(split.debit().onlineMinor()).isEqualTo(800);
      OutcomeList.SignedOutcome forged = world.scheme.signOutcome(WalletWorld.CARD, counter, 800,
          OutcomeList.COMPLETED, rogue(suite));
      OutcomeList.SignedOutcome genuineFailed = world.scheme.signOutcome(WalletWorld.CARD, counter, 800,
          OutcomeList.FAILED_DEBT, world.scheme.issuerKeys);
      CardChannel card = world.tap();
      ok(card.transmit(WalletApdus.select(WalletApdus.WALLET_AID)));
      assertThat(card.transmit(WalletApdus.writeBack(counter, OutcomeList.COMPLETED, forged.issuerSignature())).sw())
          .as("forged").isEqualTo(WalletStatus.SIGNATURE_INVALID);
      assertThat(card.transmit(WalletApdus.writeBack(counter, OutcomeList.COMPLETED, genuineFailed.issuerSignature()))
          .sw()).as("outcome altered").isEqualTo(WalletStatus.SIGNATURE_INVALID);
      assertThat(card.transmit(WalletApdus.writeBack(counter + 1, OutcomeList.FAILED_DEBT,
          genuineFailed.issuerSignature())).sw()).as("wrong counter").isEqualTo(WalletStatus.REFERENCED_DATA_NOT_FOUND);
      CardState state = world.state();
      assertThat(state.pending()).isTrue();
      assertThat(state.pendingMinor()).isEqualTo(800);
      assertThat(state.debtMinor()).isZero();
      // The genuine one through the kernel at the next tap: debt, then recovered at the next load.
      world.outcomes.put(counter, genuineFailed);
      world.load(2_000);
      assertThat(world.kernel.purchase(world.tap(), 100)).isInstanceOf(WalletKernel.Outcome.Approved.class);
      state = world.state();
      assertThat(state.pending()).isFalse();
      assertThat(state.debtMinor()).isEqualTo(800);
      assertThat(state.balanceMinor()).isEqualTo(2_000 - 100);
      world.load(1_000);
      state = world.state();
      assertThat(state.debtMinor()).as("debt recovered by the load").isZero();
      assertThat(state.balanceMinor()).isEqualTo(1_900 + 1_000 - 800);
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void failedPartUnderBlockingRule_blocksTheCard(AlgorithmSuite suite) {
    try (WalletWorld world = WalletWorld.of(suite, dir)) {
      world.load(500);
      long counter = ((WalletKernel.Outcome.Approved) world.kernel.purchase(world.tap(), 900)).record().debit().counter();
      world.outcomes.put(counter, world.scheme.signOutcome(WalletWorld.CARD, counter, 400, OutcomeList.FAILED_BLOCK,
          world.scheme.issuerKeys));
      world.load(1_000);
      WalletKernel.Outcome outcome = world.kernel.purchase(world.tap(), 100);
      assertDeclined(outcome, 0);
      assertThat(((WalletKernel.Outcome.Declined) outcome).reason()).isEqualTo("card blocked");
      CardState state = world.state();
      assertThat(state.blocked()).isTrue();
      assertThat(state.debtMinor()).isEqualTo(400);
      // A POS whose policy ignores the flag still gets nothing: the card refuses.
      WalletKernel lax = new WalletKernel(world.psam.channel(), world.journal, (a, c) -> new SplitPolicy.Decision.Pay(a, 0),
          (id, n) -> Optional.empty());
      assertDeclined(lax.purchase(world.tap(), 100), WalletStatus.CARD_BLOCKED);
      assertThat(world.state().balanceMinor()).isEqualTo(1_000);
    }
  }

  static byte[] ok(ResponseApdu response) {
    assertThat(Integer.toHexString(response.sw())).isEqualTo("9000");
    return response.data();
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void psamRefusesAChallengeItNeverIssued(AlgorithmSuite suite) {
    try (WalletWorld world = WalletWorld.of(suite, dir)) {
      world.load(1_000);
      ResponseApdu made = world.psam.channel().transmit(
          WalletApdus.psamAuthenticate(WalletWorld.CARD, new byte[16], WalletScheme.id("0102030405060708090A0B0C0D0E0F10"),
          1, 0));
      assertThat(made.sw()).isEqualTo(0x6A88);
    }
  }
}
