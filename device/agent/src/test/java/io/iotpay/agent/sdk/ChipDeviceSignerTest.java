package io.iotpay.agent.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.licel.jcardsim.smartcardio.CardSimulator;
import io.iotpay.card.chip.ChipApplet;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.protocol.cose.Cose;
import io.iotpay.protocol.cose.SignedMessage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import javacard.framework.AID;
import javax.smartcardio.CardChannel;
import javax.smartcardio.CardException;
import javax.smartcardio.CommandAPDU;
import org.bouncycastle.asn1.pkcs.CertificationRequest;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The SDK signing and counting through the real chip applet in jCardSim, behind javax.smartcardio. */
class ChipDeviceSignerTest {
  private static final byte[] AID_BYTES = HexFormat.of().parseHex("A0000009990101");

  static {
    // jCardSim's RandomData is fixed-seed unless told to seed from SecureRandom (docs/chip-apdus.md).
    System.setProperty("com.licel.jcardsim.randomdata.secure", "1");
  }

  /** A chip installed for {@code deviceId} (key generated on it), applet selected. */
  static CardChannel chip(AlgorithmSuite suite, String deviceId) throws CardException {
    byte[] id = deviceId.getBytes(StandardCharsets.US_ASCII);
    ByteArrayOutputStream install = new ByteArrayOutputStream();
    install.write(AID_BYTES.length);
    install.writeBytes(AID_BYTES);
    install.write(0);
    install.write(2 + id.length);
    install.write(suite == AlgorithmSuite.INTERNATIONAL ? 0x01 : 0x02);
    install.write(id.length);
    install.writeBytes(id);
    byte[] parameters = install.toByteArray();
    CardSimulator simulator = new CardSimulator();
    AID aid = new AID(AID_BYTES, (short) 0, (byte) AID_BYTES.length);
    simulator.installApplet(aid, ChipApplet.class, parameters, (short) 0, (byte) parameters.length);
    CardChannel channel = com.licel.jcardsim.smartcardio.CardTerminalSimulator.terminal(simulator)
        .connect("T=1").getBasicChannel();
    channel.transmit(new CommandAPDU(0x00, 0xA4, 0x04, 0x00, AID_BYTES));
    return channel;
  }

  private static ChipDeviceSigner personalised(AlgorithmSuite suite) throws CardException {
    ChipDeviceSigner signer = new ChipDeviceSigner(chip(suite, "washer-7"));
    signer.personalise(new byte[700], new byte[91]);
    return signer;
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void csr_isSignedOnTheChip_beforeTheLock(AlgorithmSuite suite) throws Exception {
    ChipDeviceSigner signer = new ChipDeviceSigner(chip(suite, "washer-7"));
    assertThat(signer.deviceId()).isEqualTo("washer-7");
    assertThat(signer.suite()).isEqualTo(suite);
    assertThat(signer.locked()).isFalse();
    PKCS10CertificationRequest csr = new PKCS10CertificationRequest(CertificationRequest.getInstance(DeviceCsr.create(signer)));
    byte[] info = csr.toASN1Structure().getCertificationRequestInfo().getEncoded();
    assertThat(suite.signature().verify(signer.publicKey(), info, csr.getSignature())).isTrue();
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void envelopes_carryTheChipsCounter_andVerifyUnderItsKey(AlgorithmSuite suite) throws Exception {
    ChipDeviceSigner signer = personalised(suite);
    var platform = suite.signature().generateKeyPair(SdkFixture.RANDOM);
    EnvelopeClient client = new EnvelopeClient(signer, signer, new PlatformTrust(suite, "p", platform.getPublic()), null, SdkFixture.RANDOM);
    long previous = 0;
    // 10 bytes (one FINAL), 600 bytes (UPDATE pieces), 3,800 bytes (near the chip's 4,000-byte bound).
    for (int size : new int[] {10, 600, 3_800}) {
      byte[] payload = new byte[size];
      SdkFixture.RANDOM.nextBytes(payload);
      SealedMessage sealed = client.seal(payload, false);
      assertThat(sealed.counter()).isGreaterThan(previous);
      previous = sealed.counter();
      SignedMessage parsed = SignedMessage.parse(sealed.bytes());
      assertThat(parsed.counter()).isEqualTo(sealed.counter());
      byte[] toBeSigned = Cose.toBeSigned(parsed.protectedBytes(), Cose.deviceMessageAad(), parsed.payload());
      assertThat(suite.signature().verify(signer.publicKey(), toBeSigned, Cose.derSignature(suite, parsed.signature()))).isTrue();
      toBeSigned[toBeSigned.length - 1] ^= 1;
      assertThat(suite.signature().verify(signer.publicKey(), toBeSigned, Cose.derSignature(suite, parsed.signature()))).isFalse();
    }
    assertThat(signer.signatures()).isEqualTo(3);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void aSignatureWithoutACounter_burnsOne_soCountersNeverRepeat(AlgorithmSuite suite) throws Exception {
    ChipDeviceSigner signer = personalised(suite);
    long first = signer.next();
    signer.sign(new byte[] {1});
    signer.sign(new byte[] {2}); // a connect token: its own envelope
    long third = signer.next();
    signer.sign(new byte[] {3});
    assertThat(first).isEqualTo(1);
    assertThat(third).isEqualTo(3);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void anEnvelopeOverTheChipsBound_isRefused(AlgorithmSuite suite) throws Exception {
    ChipDeviceSigner signer = personalised(suite);
    signer.next();
    assertThatThrownBy(() -> signer.sign(new byte[ChipDeviceSigner.ENVELOPE_BYTES_MAX + 1]))
        .isInstanceOfSatisfying(ChipDeviceSigner.ChipException.class, e -> assertThat(e.statusWord()).isEqualTo(0x6700));
    // The chip is still usable and the refused envelope's counter is not reused.
    assertThat(signer.next()).isEqualTo(2);
    signer.sign(new byte[] {1});
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void updateOrFinalWithoutBegin_isRefused(AlgorithmSuite suite) throws Exception {
    CardChannel channel = chip(suite, "washer-7");
    new ChipDeviceSigner(channel).personalise(new byte[10], new byte[10]);
    assertThat(channel.transmit(new CommandAPDU(0x80, 0x2E, 0x01, 0, new byte[] {1})).getSW()).isEqualTo(0x6985);
    assertThat(channel.transmit(new CommandAPDU(0x80, 0x2E, 0x02, 0, new byte[] {1}, 256)).getSW()).isEqualTo(0x6985);
    assertThat(channel.transmit(new CommandAPDU(0x80, 0x2E, 0x03, 0, 256)).getSW()).isEqualTo(0x6A86);
  }
}
