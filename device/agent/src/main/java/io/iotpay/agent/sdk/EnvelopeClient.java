package io.iotpay.agent.sdk;

import io.iotpay.agent.sdk.EnvelopeException.Reason;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import io.iotpay.protocol.cose.Cose;
import io.iotpay.protocol.cose.CoseException;
import io.iotpay.protocol.cose.PayloadCipher;
import io.iotpay.protocol.cose.SignedMessage;
import java.security.SecureRandom;

/**
 * The device side of the envelope (docs/envelope.md): seals payloads as COSE_Sign1 signed by the
 * device's key with the next counter (the payload optionally in a COSE_Encrypt0 under the payload
 * key), and opens the platform's answers, accepting only those signed by the trusted platform key,
 * addressed to this device and answering the message sent.
 *
 * <p>One instance per device; {@link #seal} is synchronised so counters and signer calls never
 * interleave.
 */
public final class EnvelopeClient {
  /** Largest payload sealed, bytes (default bound of the platform's envelope is 16 KiB overall). */
  public static final int PAYLOAD_BYTES_MAX = 8 * 1024;
  /** Largest answer opened, bytes. */
  public static final int ANSWER_BYTES_MAX = 16 * 1024;

  private final DeviceSigner signer;
  private final MessageCounter counter;
  private final PlatformTrust trust;
  private final SecretKeyBytes payloadKey;
  private final SecureRandom random;

  /**
   * @param payloadKey the 16-byte payload key shared with the platform, or null when the device
   *     has none (then only plain payloads can be sealed)
   * @throws IllegalArgumentException when the trust anchor is of another suite than the signer
   */
  public EnvelopeClient(DeviceSigner signer, MessageCounter counter, PlatformTrust trust, SecretKeyBytes payloadKey, SecureRandom random) {
    if (trust.suite() != signer.suite()) {
      throw new IllegalArgumentException("platform trust is " + trust.suite() + " but the device key is " + signer.suite());
    }
    this.signer = signer;
    this.counter = counter;
    this.trust = trust;
    this.payloadKey = payloadKey;
    this.random = random;
  }

  /**
   * Seals {@code payload} with the next counter.
   *
   * @param encrypt put the payload in a COSE_Encrypt0 under the payload key (for sensitive data)
   * @throws EnvelopeException OVERSIZED for a payload over {@link #PAYLOAD_BYTES_MAX}, NO_PAYLOAD_KEY
   *     when encryption is asked without a key
   */
  public synchronized SealedMessage seal(byte[] payload, boolean encrypt) {
    if (payload.length > PAYLOAD_BYTES_MAX) {
      throw new EnvelopeException(Reason.OVERSIZED, "payload of " + payload.length + " bytes exceeds " + PAYLOAD_BYTES_MAX);
    }
    byte[] body = payload;
    int kind = Cose.PAYLOAD_PLAIN;
    if (encrypt) {
      if (payloadKey == null) {
        throw new EnvelopeException(Reason.NO_PAYLOAD_KEY, "device " + signer.deviceId() + " has no payload key to encrypt with");
      }
      body = encrypt(payload);
      kind = Cose.PAYLOAD_ENCRYPT0;
    }
    long next = counter.next();
    byte[] bytes = SignedMessage.sign(signer.suite(), signer.deviceId(), next, kind, -1, body, Cose.deviceMessageAad(), signer::sign);
    return new SealedMessage(next, bytes);
  }

  /**
   * Checks the platform's answer to {@code sent} and returns its payload (decrypted if it was
   * encrypted).
   *
   * @throws EnvelopeException OVERSIZED, MALFORMED, SUITE_MISMATCH, BAD_SIGNATURE, NOT_THE_ANSWER,
   *     NO_PAYLOAD_KEY or DECRYPTION_FAILED; the answer must then be ignored
   */
  public byte[] openAnswer(SealedMessage sent, byte[] answer) {
    if (answer.length > ANSWER_BYTES_MAX) {
      throw new EnvelopeException(Reason.OVERSIZED, "answer of " + answer.length + " bytes exceeds " + ANSWER_BYTES_MAX);
    }
    SignedMessage signed = parse(answer);
    if (signed.alg() != Cose.signatureAlg(trust.suite())) {
      throw new EnvelopeException(Reason.SUITE_MISMATCH, "answer alg " + signed.alg() + " is not " + trust.suite() + "'s");
    }
    if (!signed.kid().equals(trust.keyId())) {
      throw new EnvelopeException(Reason.NOT_THE_ANSWER, "answer signed by key '" + signed.kid() + "', trusted is '" + trust.keyId() + "'");
    }
    byte[] aad = Cose.answerAad(signer.deviceId());
    byte[] toBeSigned = Cose.toBeSigned(signed.protectedBytes(), aad, signed.payload());
    if (!trust.suite().signature().verify(trust.answerKey(), toBeSigned, derSignature(trust.suite(), signed.signature()))) {
      throw new EnvelopeException(Reason.BAD_SIGNATURE, "answer signature does not verify under the platform key (or is for another device)");
    }
    if (signed.replyTo() != sent.counter()) {
      throw new EnvelopeException(Reason.NOT_THE_ANSWER, "answer is to counter " + signed.replyTo() + ", waiting for " + sent.counter());
    }
    if (signed.payloadKind() == Cose.PAYLOAD_PLAIN) {
      return signed.payload();
    }
    if (payloadKey == null) {
      throw new EnvelopeException(Reason.NO_PAYLOAD_KEY, "answer is encrypted but the device has no payload key");
    }
    try {
      return PayloadCipher.decrypt(trust.suite(), payloadKey, signed.payload(), aad);
    } catch (CoseException e) {
      throw EnvelopeException.of(e);
    }
  }

  private byte[] encrypt(byte[] payload) {
    try {
      return PayloadCipher.encrypt(signer.suite(), payloadKey, payload, Cose.deviceMessageAad(), random);
    } catch (CoseException e) {
      throw EnvelopeException.of(e);
    }
  }

  private static SignedMessage parse(byte[] answer) {
    try {
      return SignedMessage.parse(answer);
    } catch (CoseException e) {
      throw EnvelopeException.of(e);
    }
  }

  private static byte[] derSignature(AlgorithmSuite suite, byte[] raw) {
    try {
      return Cose.derSignature(suite, raw);
    } catch (CoseException e) {
      throw EnvelopeException.of(e);
    }
  }
}
