package io.iotpay.protocol.cose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.SecureRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PayloadCipherTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final byte[] AAD = "aad".getBytes(StandardCharsets.US_ASCII);

  private static SecretKeyBytes key() {
    byte[] key = new byte[PayloadCipher.KEY_BYTES];
    RANDOM.nextBytes(key);
    return new SecretKeyBytes(key);
  }

  private static void assertReason(Runnable call, CoseException.Reason reason) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(CoseException.class, e -> assertThat(e.reason()).isEqualTo(reason));
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void decrypt_ofEncrypt_returnsThePlaintext_andRefusesTamperingWrongKeyAndWrongAad(AlgorithmSuite suite) {
    SecretKeyBytes key = key();
    byte[] plaintext = "pay 1299".getBytes(StandardCharsets.UTF_8);
    byte[] encrypt0 = PayloadCipher.encrypt(suite, key, plaintext, AAD, RANDOM);
    assertThat(PayloadCipher.decrypt(suite, key, encrypt0, AAD)).isEqualTo(plaintext);

    byte[] tampered = encrypt0.clone();
    tampered[tampered.length - 1] ^= 1;
    assertReason(() -> PayloadCipher.decrypt(suite, key, tampered, AAD), CoseException.Reason.DECRYPTION_FAILED);
    assertReason(() -> PayloadCipher.decrypt(suite, key(), encrypt0, AAD), CoseException.Reason.DECRYPTION_FAILED);
    assertReason(() -> PayloadCipher.decrypt(suite, key, encrypt0, new byte[0]), CoseException.Reason.DECRYPTION_FAILED);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void decrypt_refusesAnotherSuitesAlgorithm_aMissingKeyAndTrailingBytes(AlgorithmSuite suite) {
    SecretKeyBytes key = key();
    AlgorithmSuite other = suite == AlgorithmSuite.INTERNATIONAL ? AlgorithmSuite.NATIONAL : AlgorithmSuite.INTERNATIONAL;
    byte[] encrypt0 = PayloadCipher.encrypt(other, key, new byte[] {1}, AAD, RANDOM);
    assertReason(() -> PayloadCipher.decrypt(suite, key, encrypt0, AAD), CoseException.Reason.SUITE_MISMATCH);
    assertReason(() -> PayloadCipher.decrypt(suite, null, encrypt0, AAD), CoseException.Reason.NO_PAYLOAD_KEY);
    assertReason(() -> PayloadCipher.encrypt(suite, new SecretKeyBytes(new byte[8]), new byte[] {1}, AAD, RANDOM),
        CoseException.Reason.NO_PAYLOAD_KEY);
    byte[] trailing = java.util.Arrays.copyOf(PayloadCipher.encrypt(suite, key, new byte[] {1}, AAD, RANDOM), encrypt0.length + 1);
    assertReason(() -> PayloadCipher.decrypt(suite, key, trailing, AAD), CoseException.Reason.MALFORMED);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void signedMessage_signThenParse_keepsEveryField_andTheSignatureVerifies(AlgorithmSuite suite) {
    KeyPair keys = suite.signature().generateKeyPair(RANDOM);
    byte[] payload = "order 1 bottle".getBytes(StandardCharsets.UTF_8);
    byte[] bytes = SignedMessage.sign(suite, "device-7", 42, Cose.PAYLOAD_PLAIN, 41, payload, AAD,
        data -> suite.signature().sign(keys.getPrivate(), data));
    SignedMessage parsed = SignedMessage.parse(bytes);
    assertThat(parsed.alg()).isEqualTo(Cose.signatureAlg(suite));
    assertThat(Cose.suiteOfSignatureAlg(parsed.alg())).isEqualTo(suite);
    assertThat(parsed.kid()).isEqualTo("device-7");
    assertThat(parsed.counter()).isEqualTo(42);
    assertThat(parsed.replyTo()).isEqualTo(41);
    assertThat(parsed.payload()).isEqualTo(payload);
    byte[] toBeSigned = Cose.toBeSigned(parsed.protectedBytes(), AAD, parsed.payload());
    assertThat(suite.signature().verify(keys.getPublic(), toBeSigned, Cose.derSignature(suite, parsed.signature()))).isTrue();
    assertReason(() -> Cose.derSignature(suite, new byte[63]), CoseException.Reason.BAD_SIGNATURE);
  }
}
