package io.iotpay.phone.wallet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.licel.jcardsim.smartcardio.CardSimulator;
import com.licel.jcardsim.smartcardio.CardTerminalSimulator;
import io.iotpay.card.se.SeApplet;
import io.iotpay.foundation.card.CardChannel;
import io.iotpay.foundation.card.SmartcardioCardChannel;
import io.iotpay.foundation.codec.CommandApdu;
import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.phone.pos.SecureElement;
import java.util.concurrent.atomic.AtomicInteger;
import javacard.framework.AID;
import javax.smartcardio.CardException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The NFC controller model in front of a real SE applet in jCardSim, both suites: what the
 * controller answers itself never reaches the SE (the SE's channel counts what it was given).
 */
class NfcControllerTest {
  private static final CommandApdu SELECT_SE = new CommandApdu(0x00, 0xA4, 0x04, 0x00, SecureElement.AID, 256);
  private static final CommandApdu GENERATE_KEY_PAIR = new CommandApdu(0x80, 0x46, 0, 0, new byte[0], 256);

  private static CardChannel secureElement(AlgorithmSuite suite) {
    byte[] aid = SecureElement.AID;
    byte[] install = java.nio.ByteBuffer.allocate(aid.length + 4).put((byte) aid.length).put(aid).put((byte) 0)
        .put((byte) 1).put(suite == AlgorithmSuite.INTERNATIONAL ? (byte) 1 : (byte) 2).array();
    CardSimulator simulator = new CardSimulator();
    simulator.installApplet(new AID(aid, (short) 0, (byte) aid.length), SeApplet.class, install, (short) 0,
        (byte) install.length);
    try {
      return new SmartcardioCardChannel(CardTerminalSimulator.terminal(simulator).connect("T=1").getBasicChannel());
    } catch (CardException e) {
      throw new IllegalStateException("simulated SE did not connect", e);
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void anUnroutedAid_isAnswered6A82ByTheController_andNothingReachesTheSe(AlgorithmSuite suite) {
    CardChannel se = secureElement(suite);
    AtomicInteger reached = new AtomicInteger();
    NfcController nfc = new NfcController(command -> {
      reached.incrementAndGet();
      return se.transmit(command);
    });
    CardChannel field = nfc.field();

    assertThat(field.transmit(SELECT_SE).sw()).isEqualTo(NfcController.SW_NOT_ROUTED);
    assertThat(field.transmit(GENERATE_KEY_PAIR).sw()).isEqualTo(NfcController.SW_NOTHING_SELECTED);
    assertThat(reached).hasValue(0);
    assertThat(se.transmit(SELECT_SE).sw()).isEqualTo(0x9000); // the applet is there, over contact

    nfc.route(SecureElement.AID, false);
    assertThat(nfc.field().transmit(GENERATE_KEY_PAIR).sw()).isEqualTo(NfcController.SW_NOTHING_SELECTED);
    CardChannel routed = nfc.field();
    assertThat(routed.transmit(SELECT_SE).sw()).isEqualTo(0x9000);
    assertThat(routed.transmit(GENERATE_KEY_PAIR).data()).hasSize(65); // forwarded: the SE made its key
    assertThat(reached).hasValue(2);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void aRouteAskingForUnlock_isNotRoutedWhileLocked_norAfterTheScreenLocksMidSession(AlgorithmSuite suite) {
    CardChannel se = secureElement(suite);
    NfcController nfc = new NfcController(se);
    nfc.route(SecureElement.AID, true);

    assertThat(nfc.field().transmit(SELECT_SE).sw()).isEqualTo(NfcController.SW_NOT_ROUTED);
    nfc.screenUnlocked(true);
    CardChannel field = nfc.field();
    assertThat(field.transmit(SELECT_SE).sw()).isEqualTo(0x9000);
    nfc.screenUnlocked(false);
    assertThat(field.transmit(GENERATE_KEY_PAIR).sw()).isEqualTo(NfcController.SW_NOTHING_SELECTED);

    nfc.screenUnlocked(true);
    nfc.unroute(SecureElement.AID);
    assertThat(nfc.field().transmit(SELECT_SE).sw()).isEqualTo(NfcController.SW_NOT_ROUTED);
    assertThat(nfc.routes()).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void badRoutes_areRefusedWithATypedError_andChangeNothing(AlgorithmSuite suite) {
    NfcController nfc = new NfcController(secureElement(suite));
    assertThatThrownBy(() -> nfc.route(Hex.decode("A0000009"), false)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> nfc.route(new byte[17], false)).isInstanceOf(IllegalArgumentException.class);
    for (int i = 0; i < NfcController.ROUTES_MAX; i++) {
      nfc.route(new byte[] {(byte) 0xA0, 0, 0, 0, (byte) i}, false);
    }
    nfc.route(new byte[] {(byte) 0xA0, 0, 0, 0, 0}, true); // replacing a route is not a new entry
    assertThatThrownBy(() -> nfc.route(SecureElement.AID, false)).isInstanceOf(IllegalArgumentException.class);
    assertThat(nfc.routes()).hasSize(NfcController.ROUTES_MAX);
    assertThat(nfc.routes().get(0).unlockRequired()).isTrue();
    assertThat(nfc.field().transmit(SELECT_SE).sw()).isEqualTo(NfcController.SW_NOT_ROUTED);
  }
}
