package io.iotpay.agent.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iotpay.agent.sdk.EnvelopeException.Reason;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.protocol.cose.CborReader;
import io.iotpay.protocol.cose.Cose;
import io.iotpay.protocol.cose.SignedMessage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class EnvelopeClientTest {
  private static final BouncyCastleProvider BC = new BouncyCastleProvider();

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void seal_signsWithTheDeviceKeyAndTakesIncreasingCounters(AlgorithmSuite suite) {
    SdkFixture device = new SdkFixture(suite, "washer-1");
    byte[] payload = bytes("detergent low");

    SealedMessage first = device.client.seal(payload, false);
    SealedMessage second = device.client.seal(payload, false);

    assertThat(first.counter()).isEqualTo(1);
    assertThat(second.counter()).isEqualTo(2);
    SignedMessage parsed = SignedMessage.parse(first.bytes());
    assertThat(parsed.kid()).isEqualTo("washer-1");
    assertThat(parsed.counter()).isEqualTo(1);
    assertThat(parsed.alg()).isEqualTo(suite == AlgorithmSuite.INTERNATIONAL ? -7 : -65537);
    assertThat(parsed.payload()).isEqualTo(payload);
    // Sig_structure (RFC 9052 §4.4) assembled by hand here, not with the SDK's CBOR writer.
    byte[] aad = "iotpay/device-message/v1".getBytes(StandardCharsets.US_ASCII);
    ByteArrayOutputStream toBeSigned = new ByteArrayOutputStream();
    toBeSigned.writeBytes(new byte[] {(byte) 0x84, 0x6A});
    toBeSigned.writeBytes("Signature1".getBytes(StandardCharsets.US_ASCII));
    writeShortBytes(toBeSigned, parsed.protectedBytes());
    writeShortBytes(toBeSigned, aad);
    writeShortBytes(toBeSigned, payload);
    assertThat(suite.signature().verify(device.signer.publicKey(), toBeSigned.toByteArray(),
        Cose.derSignature(suite, parsed.signature()))).isTrue();
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void seal_encrypted_isDecryptableByAnIndependentJcaGcm(AlgorithmSuite suite) throws Exception {
    SdkFixture device = new SdkFixture(suite, "car-1");
    SignedMessage parsed = SignedMessage.parse(device.client.seal(bytes("pay 300"), true).bytes());
    assertThat(parsed.payloadKind()).isEqualTo(Cose.PAYLOAD_ENCRYPT0);

    CborReader reader = new CborReader(parsed.payload(), "encrypt0");
    assertThat(reader.readTag()).isEqualTo(16);
    assertThat(reader.readArrayHeader()).isEqualTo(3);
    byte[] protectedBytes = reader.readBytes();
    assertThat(reader.readMapHeader()).isEqualTo(1);
    assertThat(reader.readInteger()).isEqualTo(5);
    byte[] iv = reader.readBytes();
    byte[] ciphertext = reader.readBytes();
    // JCA's GCM (the JDK's AES provider, BouncyCastle's SM4 provider) vs. the SDK's BC low-level GCM.
    Cipher cipher = suite == AlgorithmSuite.INTERNATIONAL
        ? Cipher.getInstance("AES/GCM/NoPadding")
        : Cipher.getInstance("SM4/GCM/NoPadding", BC);
    cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(device.payloadKey.value(), suite == AlgorithmSuite.INTERNATIONAL ? "AES" : "SM4"),
        new GCMParameterSpec(128, iv));
    cipher.updateAAD(Cose.encryptionAad(protectedBytes, "iotpay/device-message/v1".getBytes(StandardCharsets.US_ASCII)));
    assertThat(cipher.doFinal(ciphertext)).isEqualTo(bytes("pay 300"));
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void openAnswer_acceptsThePlatformsAnswer_plainOrEncrypted(AlgorithmSuite suite) {
    SdkFixture device = new SdkFixture(suite, "speaker-1");
    SealedMessage sent = device.client.seal(bytes("bill 8800"), false);

    assertThat(device.client.openAnswer(sent, device.answer(sent.counter(), bytes("approved"), false))).isEqualTo(bytes("approved"));
    assertThat(device.client.openAnswer(sent, device.answer(sent.counter(), bytes("receipt"), true))).isEqualTo(bytes("receipt"));
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void openAnswer_refusesForgedMisaddressedOrStaleAnswers(AlgorithmSuite suite) {
    SdkFixture device = new SdkFixture(suite, "speaker-1");
    SealedMessage sent = device.client.seal(bytes("bill 8800"), false);
    long counter = sent.counter();
    KeyPair attacker = suite.signature().generateKeyPair(SdkFixture.RANDOM);
    AlgorithmSuite other = suite == AlgorithmSuite.INTERNATIONAL ? AlgorithmSuite.NATIONAL : AlgorithmSuite.INTERNATIONAL;
    KeyPair otherSuiteKeys = other.signature().generateKeyPair(SdkFixture.RANDOM);

    assertRefused(() -> device.client.openAnswer(sent,
        device.answer(SdkFixture.PLATFORM_KEY_ID, attacker, suite, "speaker-1", counter, bytes("approved"), false)), Reason.BAD_SIGNATURE);
    assertRefused(() -> device.client.openAnswer(sent,
        device.answer(SdkFixture.PLATFORM_KEY_ID, device.platformKeys, suite, "speaker-2", counter, bytes("approved"), false)), Reason.BAD_SIGNATURE);
    assertRefused(() -> device.client.openAnswer(sent,
        device.answer("other-key", device.platformKeys, suite, "speaker-1", counter, bytes("approved"), false)), Reason.NOT_THE_ANSWER);
    assertRefused(() -> device.client.openAnswer(sent, device.answer(counter + 1, bytes("approved"), false)), Reason.NOT_THE_ANSWER);
    assertRefused(() -> device.client.openAnswer(sent,
        device.answer(SdkFixture.PLATFORM_KEY_ID, otherSuiteKeys, other, "speaker-1", counter, bytes("approved"), false)), Reason.SUITE_MISMATCH);
    assertRefused(() -> device.client.openAnswer(sent, new byte[EnvelopeClient.ANSWER_BYTES_MAX + 1]), Reason.OVERSIZED);
    assertRefused(() -> device.client.openAnswer(sent, new byte[] {(byte) 0xD2}), Reason.MALFORMED);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void openAnswer_whenAnyByteTampered_refusesTyped(AlgorithmSuite suite) {
    SdkFixture device = new SdkFixture(suite, "meter-1");
    SealedMessage sent = device.client.seal(bytes("reading"), false);
    for (boolean encrypt : new boolean[] {false, true}) {
      byte[] answer = device.answer(sent.counter(), bytes("ok"), encrypt);
      for (int i = 0; i < answer.length; i++) {
        byte[] tampered = answer.clone();
        tampered[i] ^= 0x04;
        assertThatThrownBy(() -> device.client.openAnswer(sent, tampered)).isInstanceOf(EnvelopeException.class);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void seal_refusesOversizedPayloadsAndEncryptionWithoutKey(AlgorithmSuite suite) {
    SdkFixture device = new SdkFixture(suite, "car-2");
    EnvelopeClient keyless = new EnvelopeClient(device.signer, new InMemoryMessageCounter(0),
        new PlatformTrust(suite, SdkFixture.PLATFORM_KEY_ID, device.platformKeys.getPublic()), null, SdkFixture.RANDOM);

    assertRefused(() -> device.client.seal(new byte[EnvelopeClient.PAYLOAD_BYTES_MAX + 1], false), Reason.OVERSIZED);
    assertRefused(() -> keyless.seal(bytes("x"), true), Reason.NO_PAYLOAD_KEY);
    assertThatThrownBy(() -> new EnvelopeClient(device.signer, new InMemoryMessageCounter(0),
        new PlatformTrust(suite == AlgorithmSuite.NATIONAL ? AlgorithmSuite.INTERNATIONAL : AlgorithmSuite.NATIONAL,
            "k", device.platformKeys.getPublic()), null, SdkFixture.RANDOM))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void inMemoryCounter_isStrictlyIncreasing_andRefusesANegativeStart() {
    InMemoryMessageCounter counter = new InMemoryMessageCounter(41);
    assertThat(counter.next()).isEqualTo(42);
    assertThat(counter.next()).isEqualTo(43);
    assertThatThrownBy(() -> new InMemoryMessageCounter(-1)).isInstanceOf(IllegalArgumentException.class);
    InMemoryMessageCounter last = new InMemoryMessageCounter(Long.MAX_VALUE - 1);
    assertThat(last.next()).isEqualTo(Long.MAX_VALUE);
    assertThatThrownBy(last::next).isInstanceOf(IllegalStateException.class);
  }

  private static void writeShortBytes(ByteArrayOutputStream out, byte[] value) {
    // CBOR byte string head for lengths below 256 (RFC 8949 §3.1).
    if (value.length < 24) {
      out.write(0x40 | value.length);
    } else {
      out.write(0x58);
      out.write(value.length);
    }
    out.writeBytes(value);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static void assertRefused(ThrowingCallable call, Reason reason) {
    assertThatThrownBy(call).isInstanceOfSatisfying(EnvelopeException.class, e -> assertThat(e.reason()).isEqualTo(reason));
  }
}
