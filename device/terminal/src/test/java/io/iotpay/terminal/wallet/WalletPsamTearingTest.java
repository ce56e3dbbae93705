package io.iotpay.terminal.wallet;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.card.CardGoneException;
import io.iotpay.foundation.card.FaultyCardChannel;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The POS side of tearing: the PSAM's command or answer is lost at each PSAM command of a purchase
 * (GET CHALLENGE, AUTHENTICATE, VERIFY CARD CERTIFICATE, COUNTERSIGN), then the customer taps
 * again at the same POS. The purchase is recorded once, paid once, and value is conserved; a lost
 * COUNTERSIGN answer is asked for again and the PSAM repeats it without a new sequence number.
 */
class WalletPsamTearingTest {
  /** PSAM commands the kernel sends at start-up: SELECT, GET DATA POS id, GET DATA certificate. */
  private static final int STARTUP_COMMANDS = 3;
  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void lostPsamCommandOrAnswer_isRecoveredAtTheNextTap_oncePaidOnceRecorded(AlgorithmSuite suite) throws Exception {
    WalletScheme scheme = new WalletScheme(suite, 31);
    int cases = 0;
    for (int command = 1; command <= 4; command++) {
      for (FaultyCardChannel.Fault fault : new FaultyCardChannel.Fault[] {
          FaultyCardChannel.Fault.LOSE_COMMAND, FaultyCardChannel.Fault.LOSE_RESPONSE}) {
        Path caseDir = Files.createDirectory(dir.resolve(suite + "-" + command + "-" + fault));
        try (WalletWorld world = new WalletWorld(scheme, caseDir, WalletScheme.Limits.standard())) {
          FaultyCardChannel psam = new FaultyCardChannel(world.psam.channel(), STARTUP_COMMANDS + command, fault);
          WalletKernel kernel = new WalletKernel(psam, world.journal, new RatingSplitPolicy(2), OutcomeList.empty());
          world.load(5_000);
          boolean torn = false;
          try {
            kernel.purchase(world.tap(), 1_200);
          } catch (CardGoneException expected) {
            torn = true;
          }
          assertThat(torn).as("command %d %s broke the tap", command, fault).isTrue();
          WalletKernel.Outcome retry = kernel.purchase(world.tap(), 1_200);
          assertThat(retry).as("command %d %s", command, fault).isInstanceOf(WalletKernel.Outcome.Approved.class);
          CardState state = world.state();
          assertThat(state.counter()).as("card charged once").isEqualTo(1);
          assertThat(world.journal.records()).as("recorded once").hasSize(1);
          assertThat(state.balanceMinor() + world.journalOfflineMinor()).isEqualTo(world.loadedMinor);
          assertThat(world.journal.records().get(0).psamSequence()).isEqualTo(1);
          PurchaseRecord record = world.journal.records().get(0);
          assertThat(suite.signature().verify(scheme.publicKey(psamPoint(world)), record.countersignInput(),
              record.psamSignature())).as("countersignature verifies").isTrue();
          cases++;
        }
      }
    }
    assertThat(cases).isEqualTo(8);
  }

  /** The POS public key from the PSAM's certificate (bytes 10..75). */
  private static byte[] psamPoint(WalletWorld world) {
    byte[] certificate = world.psam.channel().transmit(WalletApdus.psamGetData(0x02)).data();
    return java.util.Arrays.copyOfRange(certificate, 10, 75);
  }
}
