package io.iotpay.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.iotpay.app.Main;
import io.iotpay.app.cli.audit.CliRun;
import io.iotpay.bench.pos.PosCard;
import io.iotpay.bench.pos.PosTapBench;
import io.iotpay.bench.tap.TapBench;
import io.iotpay.foundation.card.CardChannel;
import io.iotpay.foundation.card.CardGoneException;
import io.iotpay.foundation.card.PcscReaders;
import io.iotpay.foundation.card.VpcdBridge;
import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code iotpay bench pos-tap --reader NAME} and {@code iotpay bench tap --reader NAME} through the
 * CLI ({@link Main#run}): the bench's own card (the EMV applet, or the transit applet, in jCardSim)
 * put into Debian's {@code pcscd} by vsmartcard's vpcd driver through {@link VpcdBridge}, and the
 * kernel reading it through {@link PcscReaders} and {@code javax.smartcardio} as it would a USB
 * reader. The reader runs need {@code IOTPAY_TEST_PCSC_READER} (set by .ci/setup.d/30-pcsc.sh, e.g.
 * "Virtual PCD 00 00"; vpcd's port {@code IOTPAY_TEST_VPCD_PORT}, default 35963) and are skipped
 * with that reason otherwise. An unknown reader name is refused on any machine.
 */
@Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a hung reader fails the test, never CI
class BenchReaderCommandTest {
  private static final byte[] ATR = Hex.decode("3BFA1800008131FE454A434F5033315632333298");
  private static final long POWER_ON_WAIT_MS = 10_000;

  @Test
  void unknownReaderName_isRefused_listingTheReadersPresent_orSayingThereIsNoPcsc() {
    String name = "No Such Reader 99";
    List<String> present;
    try {
      present = PcscReaders.names();
    } catch (CardGoneException e) {
      present = null;
    }
    CliRun run = CliRun.of("bench", "pos-tap", "--reader", name, "--taps", "1", "--warmup", "0");
    if (present == null) {
      assertThat(run.exitCode()).isEqualTo(BenchPosTapCommand.EXIT_NO_READER);
      assertThat(run.err()).startsWith("iotpay: PC/SC is not available");
    } else {
      assertThat(run.exitCode()).isEqualTo(Main.EXIT_BAD_INPUT);
      assertThat(run.err()).contains("no PC/SC reader named '" + name + "' (readers: " + present + ")");
    }
    assertThat(run.out()).isEmpty();
    CliRun gate = CliRun.of("bench", "tap", "--reader", name, "--journeys", "1", "--warmup", "0");
    assertThat(gate.exitCode()).isEqualTo(run.exitCode());
    assertThat(gate.err()).endsWith(run.err().substring(run.err().indexOf("iotpay: ")));
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void posTap_throughTheVpcdReader_approvesOnlineInSixCommands(AlgorithmSuite suite) throws Exception {
    String reader = vpcdReader();
    PosCard card = PosTapBench.benchCard(suite);
    try (VpcdBridge bridge = insert(command -> card.channel().transmit(command), card::reinsert)) {
      CliRun run = CliRun.of("bench", "pos-tap", "--reader", reader, "--suite", suite.name(), "--taps", "5",
          "--warmup", "1");
      System.out.print(run.out());
      assertThat(run.exitCode()).as(run.err()).isZero();
      // The bench throws unless every tap is approved online by the loopback issuer (ARQC and ARPC verified).
      assertThat(run.out()).contains("the card in PC/SC reader '" + reader + "'")
          .contains(suite + " online tap: 6 command APDUs")
          .contains("measured PC/SC exchanges of a tap (" + suite + ", reader '" + reader + "')");
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void gateTap_throughTheVpcdReader_opensOnEveryTap(AlgorithmSuite suite) throws Exception {
    String reader = vpcdReader();
    CardChannel card = TapBench.benchCard(suite);
    try (VpcdBridge bridge = insert(card, () -> { })) {
      CliRun run = CliRun.of("bench", "tap", "--reader", reader, "--suite", suite.name(), "--journeys", "4",
          "--warmup", "1");
      assertThat(run.exitCode()).as(run.err()).isZero();
      // The bench throws unless every tap opens the gate.
      assertThat(run.out()).contains("the card in PC/SC reader '" + reader + "'").contains(suite + " tap-out:");
    }
  }

  private static String vpcdReader() {
    String reader = System.getenv("IOTPAY_TEST_PCSC_READER");
    assumeTrue(reader != null && !reader.isBlank(),
        "IOTPAY_TEST_PCSC_READER is not set: no pcscd with a vpcd reader to tap through");
    return reader;
  }

  private static VpcdBridge insert(CardChannel backend, Runnable onReset) throws IOException, InterruptedException {
    String port = System.getenv("IOTPAY_TEST_VPCD_PORT");
    VpcdBridge bridge = VpcdBridge.connect("127.0.0.1",
        port == null || port.isBlank() ? VpcdBridge.DEFAULT_PORT : Integer.parseInt(port), backend, ATR, onReset);
    assertThat(bridge.awaitPoweredOn(POWER_ON_WAIT_MS)).as("pcscd powered the virtual card on").isTrue();
    return bridge;
  }
}
