package io.iotpay.terminal.wallet;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.codec.CommandApdu;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.protocol.transit.TransitTac;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The offline purchase end to end: real wallet and PSAM applets in jCardSim, both suites. */
class WalletPurchaseTest {
  static final byte[] CARD = WalletScheme.id("6210000000000001");
  static final byte[] POS = WalletScheme.id("5000000000000007");
  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void purchase_happyPath_inAtMostSixApdus_cardSignatureAndTacVerify(AlgorithmSuite suite) {
    WalletScheme scheme = new WalletScheme(suite, 1);
    WalletScheme.Sim wallet = scheme.newWallet(CARD, WalletScheme.Limits.standard());
    WalletScheme.Sim psam = scheme.newPsam(POS);
    try (WalletJournal journal = WalletJournal.open(dir.resolve("pos.journal"))) {
      WalletKernel kernel = new WalletKernel(psam.channel(), journal, new RatingSplitPolicy(2), OutcomeList.empty());
      kernel.load(wallet.channel(), 10_000, scheme::signLoad);
      wallet.reinsert();
      WalletKernel.Outcome outcome = kernel.purchase(wallet.channel(), 1_250);

      assertThat(outcome).isInstanceOf(WalletKernel.Outcome.Approved.class);
      WalletKernel.Outcome.Approved approved = (WalletKernel.Outcome.Approved) outcome;
      assertThat(approved.walletApdus()).isLessThanOrEqualTo(WalletKernel.WALLET_APDUS_MAX).isEqualTo(3);
      CardDebit debit = approved.record().debit();
      assertThat(debit.offlineMinor()).isEqualTo(1_250);
      assertThat(debit.balanceAfterMinor()).isEqualTo(8_750);
      assertThat(debit.counter()).isEqualTo(1);
      wallet.reinsert();
      CardState state = WalletKernel.readState(wallet.channel());
      assertThat(state.balanceMinor()).isEqualTo(8_750);
      assertThat(suite.signature().verify(scheme.cardKey(state.certificate()), debit.signatureInput(),
          debit.cardSignature())).isTrue();
      // The TAC is the transit formula over the signed bytes under the key the issuer derives for this card.
      assertThat(debit.tac()).isEqualTo(TransitTac.tac(suite, scheme.tacKey(CARD), (int) debit.counter(),
          debit.signatureInput()));
      assertThat(debit.tac()).isNotEqualTo(TransitTac.tac(suite, scheme.tacKey(POS), (int) debit.counter(),
          debit.signatureInput()));
      assertThat(journal.records()).containsExactly(approved.record());
      assertThat(WalletJournal.open(dir.resolve("pos.journal")).records()).containsExactly(approved.record());
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void personalisation_locksOnlyWithItsSixteenByteTacKey(AlgorithmSuite suite) {
    WalletScheme scheme = new WalletScheme(suite, 2);
    WalletScheme.Sim wallet = scheme.newWalletWithoutTacKey(CARD, WalletScheme.Limits.standard());
    CommandApdu endPersonalisation = new CommandApdu(0x80, 0xF0, 0, 0, new byte[0], 0);

    assertThat(wallet.channel().transmit(endPersonalisation).sw()).as("no TAC key").isEqualTo(0x6985);
    assertThat(wallet.channel().transmit(new CommandApdu(0x80, 0xE2, 0, 4, new byte[15], 0)).sw())
        .as("a 15-byte TAC key").isEqualTo(0x6700);
    assertThat(wallet.channel().transmit(endPersonalisation).sw()).as("still no TAC key").isEqualTo(0x6985);
    assertThat(wallet.channel().transmit(new CommandApdu(0x80, 0xE2, 0, 4, scheme.tacKey(CARD), 0)).sw())
        .isEqualTo(0x9000);
    assertThat(wallet.channel().transmit(endPersonalisation).sw()).isEqualTo(0x9000);
  }
}
