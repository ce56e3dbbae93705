package io.iotpay.card.se;

import static org.assertj.core.api.Assertions.assertThat;

import com.licel.jcardsim.smartcardio.CardSimulator;
import com.licel.jcardsim.smartcardio.CardTerminalSimulator;
import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.util.Arrays;
import javacard.framework.AID;
import javax.smartcardio.Card;
import javax.smartcardio.CardChannel;
import javax.smartcardio.CommandAPDU;
import javax.smartcardio.ResponseAPDU;
import org.bouncycastle.jce.ECNamedCurveTable;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.jce.spec.ECNamedCurveParameterSpec;
import org.bouncycastle.jce.spec.ECPublicKeySpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The phone SE applet in jCardSim through javax.smartcardio, each command of docs/se-apdus.md, both suites. */
class SeAppletTest {
  static final byte[] AID_BYTES = Hex.decode("A0000009990201");
  static final byte[] TERMINAL = "12345678".getBytes(StandardCharsets.US_ASCII);

  static {
    System.setProperty("com.licel.jcardsim.randomdata.secure", "1");
  }

  private final CardSimulator simulator = new CardSimulator();
  private Card card;
  private CardChannel channel;

  private void install(AlgorithmSuite suite) throws Exception {
    byte[] install = new byte[AID_BYTES.length + 4];
    install[0] = (byte) AID_BYTES.length;
    System.arraycopy(AID_BYTES, 0, install, 1, AID_BYTES.length);
    install[AID_BYTES.length + 1] = 0;
    install[AID_BYTES.length + 2] = 1;
    install[AID_BYTES.length + 3] = suite == AlgorithmSuite.INTERNATIONAL ? SeApplet.SUITE_INTERNATIONAL
        : SeApplet.SUITE_NATIONAL;
    simulator.installApplet(new AID(AID_BYTES, (short) 0, (byte) AID_BYTES.length), SeApplet.class, install,
        (short) 0, (byte) install.length);
    connect();
  }

  private void connect() throws Exception {
    card = CardTerminalSimulator.terminal(simulator).connect("T=1");
    channel = card.getBasicChannel();
    assertThat(channel.transmit(new CommandAPDU(0x00, 0xA4, 0x04, 0x00, AID_BYTES, 256)).getSW()).isEqualTo(0x9000);
  }

  private ResponseAPDU send(int ins, int p2, byte[] data) throws Exception {
    return channel.transmit(data == null ? new CommandAPDU(0x80, ins, 0, p2, 256)
        : new CommandAPDU(0x80, ins, 0, p2, data, 256));
  }

  private byte[] ok(ResponseAPDU r) {
    assertThat(Integer.toHexString(r.getSW())).isEqualTo("9000");
    return r.getData();
  }

  static byte[] hostFields(byte fill) {
    byte[] fields = new byte[SeApplet.HOST_FIELDS_LENGTH];
    Arrays.fill(fields, fill);
    fields[0] = SeApplet.TOKEN_VERSION;
    return fields;
  }

  static PublicKey key(AlgorithmSuite suite, byte[] point) throws Exception {
    ECNamedCurveParameterSpec spec = ECNamedCurveTable.getParameterSpec(suite.curveName());
    return KeyFactory.getInstance("EC", new BouncyCastleProvider())
        .generatePublic(new ECPublicKeySpec(spec.getCurve().decodePoint(point), spec));
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void keyPairOnce_enrolmentSignature_lock_thenAttestationsCountUpAndVerify(AlgorithmSuite suite) throws Exception {
    install(suite);
    assertThat(send(0x4A, 0, null).getSW()).as("no key yet").isEqualTo(0x6985);
    assertThat(send(0x2C, 0, new byte[] {1}).getSW()).as("nothing to sign with yet").isEqualTo(0x6985);
    byte[] point = ok(send(0x46, 0, null));
    assertThat(point).hasSize(65).startsWith(0x04);
    assertThat(send(0x46, 0, null).getSW()).as("one key pair per SE").isEqualTo(0x6985);
    assertThat(ok(send(0x4A, 0, null))).isEqualTo(point);
    PublicKey key = key(suite, point);

    byte[] requestInfo = new byte[180];
    Arrays.fill(requestInfo, (byte) 0x5A);
    byte[] csrSignature = ok(send(0x2C, 0, requestInfo));
    assertThat(suite.signature().verify(key, requestInfo, csrSignature)).isTrue();
    assertThat(send(0x2A, 0, hostFields((byte) 1)).getSW()).as("no attestation before the lock").isEqualTo(0x6986);
    assertThat(send(0xF0, 0, "1234567".getBytes(StandardCharsets.US_ASCII)).getSW()).isEqualTo(0x6700);
    assertThat(send(0xF0, 0, "1234 678".getBytes(StandardCharsets.US_ASCII)).getSW()).isEqualTo(0x6A80);
    ok(send(0xF0, 0, TERMINAL));
    assertThat(send(0x2C, 0, requestInfo).getSW()).as("no enrolment signing after the lock").isEqualTo(0x6986);
    assertThat(send(0xF0, 0, TERMINAL).getSW()).isEqualTo(0x6986);
    assertThat(ok(send(0xCA, 0x04, null))).isEqualTo(TERMINAL);

    for (int i = 1; i <= 3; i++) {
      byte[] fields = hostFields((byte) i);
      byte[] response = ok(send(0x2A, 0, fields));
      byte[] counter = Arrays.copyOf(response, 4);
      assertThat(new BigInteger(1, counter).intValue()).isEqualTo(i);
      assertThat(Arrays.copyOfRange(response, 4, 12)).isEqualTo(TERMINAL);
      byte[] signed = new byte[12 + fields.length];
      System.arraycopy(response, 0, signed, 0, 12);
      System.arraycopy(fields, 0, signed, 12, fields.length);
      byte[] signature = Arrays.copyOfRange(response, 12, response.length);
      assertThat(suite.signature().verify(key, signed, signature)).as("token %d", i).isTrue();
      signed[12 + 40] ^= 1; // one bit of the nonce
      assertThat(suite.signature().verify(key, signed, signature)).isFalse();
    }
    assertThat(new BigInteger(1, ok(send(0xCA, 0x02, null))).intValue()).isEqualTo(3);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void counterSurvivesPowerLoss_andBadInputChangesNothing(AlgorithmSuite suite) throws Exception {
    install(suite);
    ok(send(0x46, 0, null));
    ok(send(0xF0, 0, TERMINAL));
    ok(send(0x2A, 0, hostFields((byte) 7)));
    ok(send(0x2A, 0, hostFields((byte) 7)));
    card.disconnect(true); // the phone loses power: transient memory is gone, the counter is not
    connect();
    byte[] wrongVersion = hostFields((byte) 7);
    wrongVersion[0] = 0x02;
    assertThat(send(0x2A, 0, wrongVersion).getSW()).isEqualTo(0x6A80);
    assertThat(send(0x2A, 0, Arrays.copyOf(hostFields((byte) 7), 59)).getSW()).isEqualTo(0x6700);
    assertThat(channel.transmit(new CommandAPDU(0x80, 0x2A, 1, 0, hostFields((byte) 7), 256)).getSW())
        .isEqualTo(0x6A86);
    assertThat(channel.transmit(new CommandAPDU(0x00, 0x2A, 0, 0, hostFields((byte) 7), 256)).getSW())
        .isEqualTo(0x6E00);
    assertThat(send(0xCA, 0x01, null).getSW()).as("no tag reveals a key").isEqualTo(0x6A88);
    assertThat(send(0x84, 0, null).getSW()).isEqualTo(0x6D00);
    assertThat(new BigInteger(1, ok(send(0xCA, 0x02, null))).intValue()).as("refusals used no counter value")
        .isEqualTo(2);
    assertThat(new BigInteger(1, Arrays.copyOf(ok(send(0x2A, 0, hostFields((byte) 7))), 4)).intValue()).isEqualTo(3);
  }
}
