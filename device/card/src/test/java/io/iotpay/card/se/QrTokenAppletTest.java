package io.iotpay.card.se;

import static org.assertj.core.api.Assertions.assertThat;

import com.licel.jcardsim.smartcardio.CardSimulator;
import com.licel.jcardsim.smartcardio.CardTerminalSimulator;
import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.EmvCryptograms;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import java.util.Arrays;
import javacard.framework.AID;
import javax.smartcardio.CardChannel;
import javax.smartcardio.CommandAPDU;
import javax.smartcardio.ResponseAPDU;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The payment-token applet against the host's independent cryptogram code ({@code EmvCryptograms}
 * in foundation, which shares nothing with the applet): its AC for each ATC is the host's MAC under
 * the session key of that ATC, in both suites; its ATC only grows; bad commands get their status
 * words and change nothing.
 */
class QrTokenAppletTest {
  private static final byte[] AID_BYTES = Hex.decode("A0000009990301");
  private static final byte[] CARD_KEY = Hex.decode("0123456789ABCDEFFEDCBA9876543210");
  private static final byte[] CODE_DATA = Hex.decode("261207091530" + "1A2B3C4D");

  private static CardChannel install(AlgorithmSuite suite) throws Exception {
    byte[] data = new byte[1 + CARD_KEY.length];
    data[0] = suite == AlgorithmSuite.INTERNATIONAL ? QrTokenApplet.SUITE_3DES : QrTokenApplet.SUITE_SM4;
    System.arraycopy(CARD_KEY, 0, data, 1, CARD_KEY.length);
    byte[] install = new byte[1 + AID_BYTES.length + 2 + data.length];
    install[0] = (byte) AID_BYTES.length;
    System.arraycopy(AID_BYTES, 0, install, 1, AID_BYTES.length);
    install[AID_BYTES.length + 2] = (byte) data.length;
    System.arraycopy(data, 0, install, AID_BYTES.length + 3, data.length);
    CardSimulator simulator = new CardSimulator();
    simulator.installApplet(new AID(AID_BYTES, (short) 0, (byte) AID_BYTES.length), QrTokenApplet.class, install,
        (short) 0, (byte) install.length);
    CardChannel channel = CardTerminalSimulator.terminal(simulator).connect("T=1").getBasicChannel();
    assertThat(channel.transmit(new CommandAPDU(0x00, 0xA4, 0x04, 0x00, AID_BYTES, 256)).getSW()).isEqualTo(0x9000);
    return channel;
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void generate_acIsTheHostsCryptogramForEachAtc_andTheAtcGrows(AlgorithmSuite suite) throws Exception {
    CardChannel channel = install(suite);
    for (int expectedAtc = 1; expectedAtc <= 3; expectedAtc++) {
      ResponseAPDU r = channel.transmit(new CommandAPDU(0x80, 0xC2, 0x00, 0x00, CODE_DATA, 256));
      assertThat(r.getSW()).isEqualTo(0x9000);
      byte[] answer = r.getData();
      assertThat(answer).hasSize(10);
      int atc = ((answer[0] & 0xFF) << 8) | (answer[1] & 0xFF);
      assertThat(atc).isEqualTo(expectedAtc);
      byte[] input = Arrays.copyOf(CODE_DATA, 12);
      input[10] = answer[0];
      input[11] = answer[1];
      byte[] expected = EmvCryptograms.applicationCryptogram(suite,
          EmvCryptograms.sessionKey(suite, new SecretKeyBytes(CARD_KEY), atc), input);
      assertThat(Arrays.copyOfRange(answer, 2, 10)).isEqualTo(expected);
    }
    ResponseAPDU atc = channel.transmit(new CommandAPDU(0x80, 0xCA, 0x9F, 0x36, 256));
    assertThat(atc.getData()).containsExactly(0x00, 0x03);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void badCommands_getTheirStatusWords_andTheAtcStays(AlgorithmSuite suite) throws Exception {
    CardChannel channel = install(suite);
    assertThat(channel.transmit(new CommandAPDU(0x80, 0xC2, 0x00, 0x00, Arrays.copyOf(CODE_DATA, 9), 256)).getSW())
        .isEqualTo(0x6700);
    assertThat(channel.transmit(new CommandAPDU(0x80, 0xC2, 0x01, 0x00, CODE_DATA, 256)).getSW()).isEqualTo(0x6A86);
    assertThat(channel.transmit(new CommandAPDU(0x00, 0xC2, 0x00, 0x00, CODE_DATA, 256)).getSW()).isEqualTo(0x6E00);
    assertThat(channel.transmit(new CommandAPDU(0x80, 0x99, 0x00, 0x00, 256)).getSW()).isEqualTo(0x6D00);
    assertThat(channel.transmit(new CommandAPDU(0x80, 0xCA, 0x9F, 0x13, 256)).getSW()).isEqualTo(0x6A88);
    assertThat(channel.transmit(new CommandAPDU(0x80, 0xCA, 0x9F, 0x36, 256)).getData()).containsExactly(0x00, 0x00);
  }
}
