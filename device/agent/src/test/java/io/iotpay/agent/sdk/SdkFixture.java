package io.iotpay.agent.sdk;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import io.iotpay.protocol.cose.Cose;
import io.iotpay.protocol.cose.PayloadCipher;
import io.iotpay.protocol.cose.SignedMessage;
import java.security.KeyPair;
import java.security.SecureRandom;

/** A device (software signer, payload key) and the platform's answer key, for SDK tests. */
final class SdkFixture {
  static final SecureRandom RANDOM = new SecureRandom();
  static final String PLATFORM_KEY_ID = "platform-1";

  final AlgorithmSuite suite;
  final SoftwareDeviceSigner signer;
  final KeyPair platformKeys;
  final SecretKeyBytes payloadKey;
  final EnvelopeClient client;

  SdkFixture(AlgorithmSuite suite, String deviceId) {
    this.suite = suite;
    this.signer = SoftwareDeviceSigner.generate(deviceId, suite, RANDOM);
    this.platformKeys = suite.signature().generateKeyPair(RANDOM);
    byte[] key = new byte[16];
    RANDOM.nextBytes(key);
    this.payloadKey = new SecretKeyBytes(key);
    this.client = new EnvelopeClient(signer, new InMemoryMessageCounter(0),
        new PlatformTrust(suite, PLATFORM_KEY_ID, platformKeys.getPublic()), payloadKey, RANDOM);
  }

  /** An answer as the platform signs it (docs/envelope.md), with every field choosable for attacks. */
  byte[] answer(String keyId, KeyPair keys, AlgorithmSuite algSuite, String addressedTo, long replyTo, byte[] payload, boolean encrypt) {
    byte[] aad = Cose.answerAad(addressedTo);
    byte[] body = encrypt ? PayloadCipher.encrypt(algSuite, payloadKey, payload, aad, RANDOM) : payload;
    return SignedMessage.sign(algSuite, keyId, replyTo, encrypt ? Cose.PAYLOAD_ENCRYPT0 : Cose.PAYLOAD_PLAIN, replyTo, body, aad,
        data -> algSuite.signature().sign(keys.getPrivate(), data));
  }

  byte[] answer(long replyTo, byte[] payload, boolean encrypt) {
    return answer(PLATFORM_KEY_ID, platformKeys, suite, signer.deviceId(), replyTo, payload, encrypt);
  }
}
