package io.iotpay.card.transit;

import static org.assertj.core.api.Assertions.assertThat;

import com.licel.jcardsim.smartcardio.CardSimulator;
import com.licel.jcardsim.smartcardio.CardTerminalSimulator;
import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import java.util.Arrays;
import java.util.Random;
import javacard.framework.AID;
import javacard.framework.Applet;
import javax.smartcardio.Card;
import javax.smartcardio.CardChannel;
import javax.smartcardio.CardException;
import javax.smartcardio.CardTerminal;
import javax.smartcardio.CommandAPDU;
import javax.smartcardio.ResponseAPDU;

/**
 * One simulated card reached through javax.smartcardio (the PC/SC API a real reader uses), plus the
 * issuer's knowledge of it: its keys, and a host SCP02 session to personalise and push with.
 */
final class CardFixture {

  static final byte[] AID_BYTES = Hex.decode("A000000333010101");
  static final byte[] PAN = Hex.decode("6212345678901234");
  static final byte KVN = 0x20;
  /** PDOL with DF60: 9F02 06, 5F2A 02, 9A 03, 9F37 04, DF60 01 (16 data bytes). */
  static final byte[] PDOL_WITH_DF60 = Hex.decode("9F02065F2A029A039F3704DF6001");
  /** The same PDOL without DF60: a card without the extended application. */
  static final byte[] PDOL_WITHOUT_DF60 = Hex.decode("9F02065F2A029A039F3704");
  static final String QUOTA_5000 = "000000005000";
  static final String LIMIT_0800 = "000000000800";

  final AlgorithmSuite suite;
  final CardSimulator simulator;
  final CardTerminal terminal;
  final byte[] encKey;
  final byte[] macKey;
  final byte[] dekKey;
  final byte[] acKey;
  final byte[] macSubKey;
  final byte[] diversification;
  private Card card;
  private CardChannel channel;

  private CardFixture(AlgorithmSuite suite, Class<? extends Applet> appletClass, long seed) {
    this.suite = suite;
    Random random = new Random(seed);
    encKey = bytes(random, 16);
    macKey = bytes(random, 16);
    dekKey = bytes(random, 16);
    acKey = bytes(random, 16);
    macSubKey = bytes(random, 16);
    diversification = bytes(random, 10);
    simulator = new CardSimulator();
    byte[] install = installParameters();
    simulator.installApplet(new AID(AID_BYTES, (short) 0, (byte) AID_BYTES.length), appletClass,
        install, (short) 0, (byte) install.length);
    terminal = CardTerminalSimulator.terminal(simulator);
    connect();
  }

  private static byte[] bytes(Random random, int n) {
    byte[] out = new byte[n];
    random.nextBytes(out);
    return out;
  }

  /** A card installed but not personalised. */
  static CardFixture installed(AlgorithmSuite suite) {
    return new CardFixture(suite, TransitApplet.class, 7);
  }

  /** A card personalised with the default PDOL (with DF60), quota 50.00 and DF62 8.00. */
  static CardFixture personalised(AlgorithmSuite suite) {
    return personalised(suite, TransitApplet.class, PDOL_WITH_DF60);
  }

  static CardFixture personalised(AlgorithmSuite suite, Class<? extends Applet> appletClass,
      byte[] pdol) {
    CardFixture fixture = new CardFixture(suite, appletClass, 7);
    fixture.personalise(pdol, QUOTA_5000, LIMIT_0800);
    return fixture;
  }

  private byte[] installParameters() {
    byte[] data = HostCrypto.concat(
        new byte[] {suite == AlgorithmSuite.INTERNATIONAL ? TransitApplet.SUITE_3DES
            : TransitApplet.SUITE_SM4, KVN}, diversification, encKey, macKey, dekKey);
    return HostCrypto.concat(new byte[] {(byte) AID_BYTES.length}, AID_BYTES, new byte[] {0},
        new byte[] {(byte) data.length}, data);
  }

  void connect() {
    try {
      card = terminal.connect("T=1");
      channel = card.getBasicChannel();
    } catch (CardException e) {
      throw new IllegalStateException("simulated card did not connect", e);
    }
  }

  /** Pulls the card from the field (power loss) and puts it back: transient state is lost. */
  void tear() {
    try {
      card.disconnect(true);
    } catch (CardException e) {
      throw new IllegalStateException("simulated card did not disconnect", e);
    }
    connect();
  }

  /** When set, every command goes through it (fault injection); null sends straight to the card. */
  java.util.function.Function<CommandAPDU, ResponseAPDU> interceptor;

  ResponseAPDU send(CommandAPDU command) {
    return interceptor == null ? transmit(command) : interceptor.apply(command);
  }

  /** Sends to the card, bypassing any interceptor. */
  ResponseAPDU transmit(CommandAPDU command) {
    try {
      return channel.transmit(command);
    } catch (CardException e) {
      throw new IllegalStateException("transmit failed", e);
    }
  }

  ResponseAPDU send(String hex) {
    return send(new CommandAPDU(Hex.decode(hex.replace(" ", ""))));
  }

  ResponseAPDU select() {
    ResponseAPDU response = send(new CommandAPDU(0x00, 0xA4, 0x04, 0x00, AID_BYTES, 256));
    assertThat(response.getSW()).as("SELECT").isEqualTo(0x9000);
    return response;
  }

  HostSession openSecureChannel() {
    select();
    return HostSession.open(this);
  }

  void personalise(byte[] pdol, String quota, String limit) {
    HostSession session = openSecureChannel();
    byte[] keys = session.encryptWithDek(HostCrypto.concat(acKey, macSubKey));
    expectOk(session.storeData(0x00, 0, dgi(0x8000, keys)));
    byte[] record = HostCrypto.concat(Hex.decode("5A08"), PAN, Hex.decode("5F24032712315F340101"));
    expectOk(session.storeData(0x00, 1, dgi(0x0101, record)));
    expectOk(session.storeData(0x80, 2, dgi(0x9200, applicationData(pdol, quota, limit))));
  }

  static byte[] applicationData(byte[] pdol, String quota, String limit) {
    return HostCrypto.concat(Hex.decode("9F38"), new byte[] {(byte) pdol.length}, pdol,
        Hex.decode("9F7906" + quota + "DF6206" + limit));
  }

  static byte[] dgi(int dgi, byte[] value) {
    return HostCrypto.concat(new byte[] {(byte) (dgi >> 8), (byte) dgi, (byte) value.length},
        value);
  }

  private static void expectOk(ResponseAPDU response) {
    assertThat(Integer.toHexString(response.getSW())).as("personalisation").isEqualTo("9000");
  }

  /** Finds a primitive tag's value in a TLV response (one level under a template). */
  static byte[] find(byte[] data, int tag) {
    int p = 2;
    while (p < data.length) {
      int t = data[p] & 0xFF;
      p++;
      if ((t & 0x1F) == 0x1F) {
        t = (t << 8) | (data[p] & 0xFF);
        p++;
      }
      int len = data[p] & 0xFF;
      p++;
      if (t == tag) {
        return Arrays.copyOfRange(data, p, p + len);
      }
      p += len;
    }
    return null;
  }
}
