package io.iotpay.phone.transit;

import static org.assertj.core.api.Assertions.assertThat;

import com.licel.jcardsim.smartcardio.CardSimulator;
import com.licel.jcardsim.smartcardio.CardTerminalSimulator;
import io.iotpay.card.transit.TransitApplet;
import io.iotpay.foundation.card.CardChannel;
import io.iotpay.foundation.card.FaultyCardChannel;
import io.iotpay.foundation.card.SmartcardioCardChannel;
import io.iotpay.foundation.codec.CommandApdu;
import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.protocol.Pan;
import io.iotpay.protocol.enrolment.ServiceApplication;
import io.iotpay.protocol.script.CardScript;
import io.iotpay.protocol.script.CardScriptResult;
import java.util.List;
import java.util.Random;
import javacard.framework.AID;
import javax.smartcardio.CardException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The wallet relays scripts to the real applet (installed in jCardSim, both suites) and reports
 * what it saw; it stops at the first failing status word and when the SE goes away. (That a
 * tampering relay cannot change the quota is shown end to end in the issuer module's
 * PushRelayTest, where the issuer's scripts exist.)
 */
class WalletClientTest {
  private static final byte[] AID_BYTES = Hex.decode("A000000333010101");
  private static final Pan PAN = Pan.withCheckDigit("621234000000001");

  /** An installed, unpersonalised card with random keys: enough for relaying plain commands. */
  private static CardChannel secureElement(AlgorithmSuite suite) {
    Random random = new Random(3);
    byte[] keys = new byte[10 + 48];
    random.nextBytes(keys);
    byte[] data = new byte[60];
    data[0] = (byte) (suite == AlgorithmSuite.INTERNATIONAL ? 0x01 : 0x02);
    data[1] = 0x20;
    System.arraycopy(keys, 0, data, 2, keys.length);
    byte[] install = new byte[1 + AID_BYTES.length + 2 + data.length];
    install[0] = (byte) AID_BYTES.length;
    System.arraycopy(AID_BYTES, 0, install, 1, AID_BYTES.length);
    install[1 + AID_BYTES.length] = 0;
    install[2 + AID_BYTES.length] = (byte) data.length;
    System.arraycopy(data, 0, install, 3 + AID_BYTES.length, data.length);
    CardSimulator simulator = new CardSimulator();
    simulator.installApplet(new AID(AID_BYTES, (short) 0, (byte) AID_BYTES.length), TransitApplet.class, install,
        (short) 0, (byte) install.length);
    try {
      return new SmartcardioCardChannel(CardTerminalSimulator.terminal(simulator).connect("T=1").getBasicChannel());
    } catch (CardException e) {
      throw new IllegalStateException("simulated card did not connect", e);
    }
  }

  private static final CommandApdu SELECT = new CommandApdu(0x00, 0xA4, 0x04, 0x00, AID_BYTES, 256);
  private static final CommandApdu INITIALIZE_UPDATE =
      new CommandApdu(0x80, 0x50, 0x00, 0x00, Hex.decode("0102030405060708"), 256);
  /** GET DATA 9F79 before personalisation: the card refuses it (6986, docs/card-apdus.md §2). */
  private static final CommandApdu GET_QUOTA = new CommandApdu(0x80, 0xCA, 0x9F, 0x79, new byte[0], 256);

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void relaysEveryCommandInOrderAndReportsTheResponses(AlgorithmSuite suite) {
    WalletClient wallet = new WalletClient(secureElement(suite), PAN, 1);
    CardScriptResult result = wallet.relay(new CardScript("s1", List.of(SELECT, INITIALIZE_UPDATE)));
    assertThat(result.scriptId()).isEqualTo("s1");
    assertThat(result.responses()).hasSize(2).allMatch(r -> r.sw() == 0x9000);
    assertThat(result.responses().get(1).data()).hasSize(28); // INITIALIZE UPDATE's response, for the issuer
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void stopsAtTheFirstFailingCommand(AlgorithmSuite suite) {
    WalletClient wallet = new WalletClient(secureElement(suite), PAN, 1);
    CardScriptResult result = wallet.relay(new CardScript("s2", List.of(SELECT, GET_QUOTA, INITIALIZE_UPDATE)));
    assertThat(result.responses()).hasSize(2);
    assertThat(result.responses().get(1).sw()).isEqualTo(0x6986);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void aVanishedSecureElementGivesAPartialResult(AlgorithmSuite suite) {
    CardChannel lossy = new FaultyCardChannel(secureElement(suite), 2, FaultyCardChannel.Fault.PULL_CARD);
    WalletClient wallet = new WalletClient(lossy, PAN, 1);
    CardScriptResult result = wallet.relay(new CardScript("s3", List.of(SELECT, INITIALIZE_UPDATE)));
    assertThat(result.responses()).hasSize(1);
    assertThat(result.responses().get(0).sw()).isEqualTo(0x9000);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void appliesForTheMetroServiceWithItsCard(AlgorithmSuite suite) {
    WalletClient wallet = new WalletClient(secureElement(suite), PAN, 1);
    ServiceApplication first = wallet.applyForMetro();
    ServiceApplication second = wallet.applyForMetro();
    assertThat(first.pan()).isEqualTo(PAN);
    assertThat(first.panSequence()).isEqualTo(1);
    assertThat(first.service()).isEqualTo("METRO");
    assertThat(first.applicationId()).isNotEqualTo(second.applicationId()).doesNotContain(PAN.digits());
  }
}
