package io.iotpay.terminal.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.iotpay.foundation.card.CardChannel;
import io.iotpay.foundation.card.CardGoneException;
import io.iotpay.foundation.card.PcscReaders;
import io.iotpay.foundation.card.VpcdBridge;
import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.codec.ResponseApdu;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.protocol.transit.TransitRecord;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A full tap through the real PC/SC stack: the transit applet in jCardSim, put into Debian's
 * {@code pcscd} by vsmartcard's vpcd driver through {@link VpcdBridge}, and the gate reading it through
 * {@link PcscReaders} and {@code javax.smartcardio}, as it would a reader on a USB port.
 *
 * <p>Runs when {@code IOTPAY_TEST_PCSC_READER} names the vpcd reader (".ci/run" installs pcscd and
 * vsmartcard-vpcd, starts pcscd and sets it to "Virtual PCD 00 00"); vpcd's port is
 * {@code IOTPAY_TEST_VPCD_PORT} (default 35963).
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a hung reader fails the test, never CI
class PcscGateTapTest {
  private static final byte[] ATR = Hex.decode("3BFA1800008131FE454A434F5033315632333298");
  private static final long CARD_WAIT_MS = 10_000;

  @TempDir Path dir;
  private Metro metro;
  private String readerName;
  private int vpcdPort;

  @BeforeEach
  void setUp() {
    readerName = System.getenv("IOTPAY_TEST_PCSC_READER");
    assumeTrue(readerName != null && !readerName.isBlank(),
        "IOTPAY_TEST_PCSC_READER is not set: no pcscd with a vpcd reader to tap through");
    String port = System.getenv("IOTPAY_TEST_VPCD_PORT");
    vpcdPort = port == null || port.isBlank() ? VpcdBridge.DEFAULT_PORT : Integer.parseInt(port);
    metro = new Metro(dir);
  }

  @AfterEach
  void tearDown() {
    if (metro != null) {
      metro.close();
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void tapInThenTapOut_throughPcscd_chargesTheFareOnce(AlgorithmSuite suite) throws Exception {
    SimCard card = SimCard.standard(suite, 31);
    try (VpcdBridge bridge = insert(command -> card.channel().transmit(command), card);
        PcscReaders.Connection reader = PcscReaders.open(readerName, CARD_WAIT_MS)) {
      TapOutcome in = metro.gate("IN-A").tap(reader.channel());
      metro.clock.advance(Duration.ofMinutes(12));
      TapOutcome out = metro.gate("OUT-E").tap(reader.channel());

      assertThat(in).isInstanceOf(TapOutcome.Opened.class);
      assertThat(out).isInstanceOf(TapOutcome.Opened.class);
      assertThat(card.quotaMinor()).isEqualTo(5_000 - 300);
      assertThat(card.lockedMinor()).isZero();
      assertThat(out.journaled().get(out.journaled().size() - 1).fare().amountMinor()).isEqualTo(300);
      assertAllTacsValid(card);
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void cardPulledAfterItPaid_isATornTap_andTheNextTapCompletesItWithoutASecondCharge(AlgorithmSuite suite)
      throws Exception {
    SimCard card = SimCard.standard(suite, 32);
    AtomicInteger commands = new AtomicInteger();
    // The sixth command of a first tap is the one that debits the card; it runs, then the card
    // leaves the field before its answer goes back: vpcd hands the reader an empty answer.
    CardChannel tearingAtSixth = command -> {
      ResponseApdu response = card.channel().transmit(command);
      if (commands.incrementAndGet() == 6) {
        throw new CardGoneException("card left the field after executing the command");
      }
      return response;
    };
    try (VpcdBridge bridge = insert(tearingAtSixth, card);
        PcscReaders.Connection reader = PcscReaders.open(readerName, CARD_WAIT_MS)) {
      TapOutcome torn = metro.gate("IN-A").tap(reader.channel());
      assertThat(torn).isInstanceOf(TapOutcome.Torn.class);
      assertThat(card.quotaMinor()).isEqualTo(4_500); // the card paid
    }
    card.reinsert();
    try (VpcdBridge bridge = insert(command -> card.channel().transmit(command), card);
        PcscReaders.Connection reader = PcscReaders.open(readerName, CARD_WAIT_MS)) {
      TapOutcome again = metro.gate("IN-A").tap(reader.channel());
      assertThat(again).isInstanceOf(TapOutcome.Opened.class);
      assertThat(((TapOutcome.Opened) again).resumed()).isTrue();
      assertThat(card.quotaMinor()).isEqualTo(4_500); // and only once
      assertAllTacsValid(card);
    }
  }

  private VpcdBridge insert(CardChannel backend, SimCard card) throws IOException, InterruptedException {
    VpcdBridge bridge = VpcdBridge.connect("127.0.0.1", vpcdPort, backend, ATR, () -> { });
    assertThat(bridge.awaitPoweredOn(CARD_WAIT_MS)).as("pcscd powered the virtual card on").isTrue();
    return bridge;
  }

  private void assertAllTacsValid(SimCard card) {
    for (TransitRecord r : metro.all()) {
      assertThat(card.tacValid(r.atc(), r.cryptogramInput(), r.tac())).as("TAC of " + r).isTrue();
    }
  }
}
