package io.iotpay.card.chip;

import static org.assertj.core.api.Assertions.assertThat;

import com.licel.jcardsim.smartcardio.CardSimulator;
import com.licel.jcardsim.smartcardio.CardTerminalSimulator;
import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.util.Arrays;
import javacard.framework.AID;
import javacard.framework.Applet;
import javax.smartcardio.Card;
import javax.smartcardio.CardChannel;
import javax.smartcardio.CardException;
import javax.smartcardio.CommandAPDU;
import javax.smartcardio.ResponseAPDU;
import org.bouncycastle.jce.ECNamedCurveTable;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.jce.spec.ECNamedCurveParameterSpec;
import org.bouncycastle.jce.spec.ECPublicKeySpec;

/**
 * One simulated secure chip reached through javax.smartcardio (the PC/SC API a real reader uses),
 * with the commands of docs/chip-apdus.md as methods.
 */
final class ChipFixture {

  static final byte[] AID_BYTES = Hex.decode("A0000009990101");
  static final BouncyCastleProvider BC = new BouncyCastleProvider();

  static {
    // jCardSim's RandomData is a fixed-seed generator unless told to seed from SecureRandom; a
    // real chip has a TRNG, so the simulated one gets real entropy too.
    System.setProperty("com.licel.jcardsim.randomdata.secure", "1");
  }

  final AlgorithmSuite suite;
  final byte[] deviceId;
  final CardSimulator simulator;
  private Card card;
  private CardChannel channel;

  ChipFixture(AlgorithmSuite suite, String deviceId, Class<? extends Applet> appletClass) {
    this.suite = suite;
    this.deviceId = deviceId.getBytes(StandardCharsets.US_ASCII);
    simulator = new CardSimulator();
    byte[] install = installParameters(suite, this.deviceId);
    simulator.installApplet(new AID(AID_BYTES, (short) 0, (byte) AID_BYTES.length), appletClass,
        install, (short) 0, (byte) install.length);
    connect();
    select();
  }

  /** A chip installed (key generated) but not personalised. */
  static ChipFixture installed(AlgorithmSuite suite) {
    return new ChipFixture(suite, "washer-0001", ChipApplet.class);
  }

  /** A chip with certificate and trust anchor written and personalisation ended. */
  static ChipFixture personalised(AlgorithmSuite suite) {
    return personalised(suite, ChipApplet.class);
  }

  static ChipFixture personalised(AlgorithmSuite suite, Class<? extends Applet> appletClass) {
    ChipFixture chip = new ChipFixture(suite, "washer-0001", appletClass);
    chip.writeObjectFully(ChipApplet.OBJECT_CERTIFICATE, pattern(600, 1));
    chip.writeObjectFully(ChipApplet.OBJECT_TRUST_ANCHOR, pattern(300, 2));
    expectSw(chip.send(0x80, 0xF0, 0, 0, null), 0x9000);
    return chip;
  }

  static byte[] installParameters(AlgorithmSuite suite, byte[] deviceId) {
    ByteArrayOutputStream data = new ByteArrayOutputStream();
    data.write(suite == AlgorithmSuite.INTERNATIONAL ? ChipApplet.SUITE_INTERNATIONAL
        : ChipApplet.SUITE_NATIONAL);
    data.write(deviceId.length);
    data.writeBytes(deviceId);
    ByteArrayOutputStream install = new ByteArrayOutputStream();
    install.write(AID_BYTES.length);
    install.writeBytes(AID_BYTES);
    install.write(0);
    install.write(data.size());
    install.writeBytes(data.toByteArray());
    return install.toByteArray();
  }

  /** Deterministic stand-in bytes for a DER object of {@code length} bytes. */
  static byte[] pattern(int length, int seed) {
    byte[] out = new byte[length];
    for (int i = 0; i < length; i++) {
      out[i] = (byte) (i * 31 + seed);
    }
    return out;
  }

  void connect() {
    try {
      card = CardTerminalSimulator.terminal(simulator).connect("T=1");
      channel = card.getBasicChannel();
    } catch (CardException e) {
      throw new IllegalStateException("simulated chip did not connect", e);
    }
  }

  /** Power loss: the chip leaves the field and comes back; transient memory is gone. */
  void tear() {
    try {
      card.disconnect(true);
    } catch (CardException e) {
      throw new IllegalStateException("simulated chip did not disconnect", e);
    }
    connect();
  }

  ResponseAPDU transmit(CommandAPDU command) {
    try {
      return channel.transmit(command);
    } catch (CardException e) {
      throw new IllegalStateException("transmit failed", e);
    }
  }

  ResponseAPDU send(int cla, int ins, int p1, int p2, byte[] data) {
    CommandAPDU command = data == null || data.length == 0
        ? new CommandAPDU(cla, ins, p1, p2, 256)
        : new CommandAPDU(cla, ins, p1, p2, data, 256);
    return transmit(command);
  }

  void select() {
    expectSw(transmit(new CommandAPDU(0x00, 0xA4, 0x04, 0x00, AID_BYTES, 256)), 0x9000);
  }

  static ResponseAPDU expectSw(ResponseAPDU response, int sw) {
    assertThat(Integer.toHexString(response.getSW())).isEqualTo(Integer.toHexString(sw));
    return response;
  }

  byte[] getData(int tag) {
    return expectSw(send(0x80, 0xCA, 0, tag, null), 0x9000).getData();
  }

  long counter() {
    return new BigInteger(1, getData(ChipApplet.TAG_COUNTER)).longValueExact();
  }

  byte[] publicPoint() {
    return expectSw(send(0x80, 0x4A, 0, 0, null), 0x9000).getData();
  }

  /** The chip's public key as a JCA key for foundation's SignatureAlgorithm. */
  PublicKey publicKey() throws Exception {
    return toPublicKey(suite, publicPoint());
  }

  static PublicKey toPublicKey(AlgorithmSuite suite, byte[] point) throws Exception {
    ECNamedCurveParameterSpec spec = ECNamedCurveTable.getParameterSpec(suite.curveName());
    return KeyFactory.getInstance("EC", BC)
        .generatePublic(new ECPublicKeySpec(spec.getCurve().decodePoint(point), spec));
  }

  void writeObjectFully(byte which, byte[] value) {
    int offset = 0;
    while (offset < value.length) {
      int chunk = Math.min(200, value.length - offset);
      expectSw(writeObject(which, offset, Arrays.copyOfRange(value, offset, offset + chunk)),
          0x9000);
      offset += chunk;
    }
  }

  ResponseAPDU writeObject(byte which, int offset, byte[] bytes) {
    byte[] data = new byte[2 + bytes.length];
    data[0] = (byte) (offset >> 8);
    data[1] = (byte) offset;
    System.arraycopy(bytes, 0, data, 2, bytes.length);
    return send(0x80, 0xD6, which, 0, data);
  }

  ResponseAPDU readObject(byte which, int offset) {
    return send(0x80, 0xB0, which, 0, new byte[] {(byte) (offset >> 8), (byte) offset});
  }

  byte[] readObjectFully(byte which) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int total;
    do {
      byte[] response = expectSw(readObject(which, out.size()), 0x9000).getData();
      total = ((response[0] & 0xFF) << 8) | (response[1] & 0xFF);
      out.write(response, 2, response.length - 2);
    } while (out.size() < total);
    return out.toByteArray();
  }

  /** SIGN MESSAGE; @return counter (4) || DER signature */
  byte[] signMessage(byte[] message) {
    return expectSw(send(0x80, 0x2A, 0, 0, message), 0x9000).getData();
  }
}
