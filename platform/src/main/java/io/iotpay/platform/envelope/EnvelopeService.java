package io.iotpay.platform.envelope;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.DigestAlgorithm;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import io.iotpay.platform.envelope.EnvelopeException.Reason;
import io.iotpay.platform.identity.DeviceId;
import io.iotpay.platform.identity.DeviceIdException;
import io.iotpay.platform.identity.DeviceRecord;
import io.iotpay.platform.identity.IdentityService;
import io.iotpay.protocol.cose.Cose;
import io.iotpay.protocol.cose.CoseException;
import io.iotpay.protocol.cose.PayloadCipher;
import io.iotpay.protocol.cose.SignedMessage;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.EnumMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens device envelopes, runs each accepted message through a handler exactly once, and returns
 * the platform's signed answer. Checks, in order: size, structure, device known, device ACTIVE
 * (the registry is consulted on every message through the identity service's bounded cache),
 * algorithm of the device's suite, signature under the registered device key, payload decryption,
 * counter strictly greater than the last accepted. An exact duplicate of the last accepted message
 * is answered with the stored answer and the handler is not called again.
 *
 * <p>Thread-safe; messages of one device may arrive concurrently (retries racing the original):
 * the counter store's compare-and-set lets one of them through.
 */
public final class EnvelopeService {
  private static final Pattern NON_PRINTABLE = Pattern.compile("[^\\x20-\\x7E]");
  private static final Logger LOG = LoggerFactory.getLogger(EnvelopeService.class);

  /** Largest envelope accepted by default, bytes. */
  public static final int ENVELOPE_BYTES_MAX_DEFAULT = 16 * 1024;

  /** Runs the business step for one accepted message; called at most once per device and counter. */
  @FunctionalInterface
  public interface MessageHandler {
    /** @return the answer to sign and send; never null */
    AnswerPayload handle(DeviceMessage message);
  }

  /** The result of handling an envelope that was not refused. */
  public sealed interface Outcome {
    /** The signed answer to send back. */
    byte[] answer();

    /** A new message, handled now. */
    record Handled(DeviceMessage message, byte[] answer) implements Outcome {}

    /** An exact duplicate of the last accepted message: the original answer, nothing done again. */
    record Duplicate(DeviceId deviceId, long counter, byte[] answer) implements Outcome {}
  }

  private final IdentityService identity;
  private final CounterStore counters;
  private final Map<AlgorithmSuite, PlatformSigningKey> answerKeys;
  private final PayloadKeys payloadKeys;
  private final int envelopeBytesMax;
  private final SecureRandom random;

  /**
   * @param answerKeys the platform's answer-signing key for each suite it serves
   * @param envelopeBytesMax largest envelope accepted (1..1 MiB; bounds memory per message)
   */
  public EnvelopeService(
      IdentityService identity, CounterStore counters, Map<AlgorithmSuite, PlatformSigningKey> answerKeys,
      PayloadKeys payloadKeys, int envelopeBytesMax, SecureRandom random) {
    if (envelopeBytesMax < 1 || envelopeBytesMax > 1 << 20) {
      throw new io.iotpay.foundation.InvalidInputException("envelope: envelopeBytesMax " + envelopeBytesMax + " outside 1..1048576");
    }
    this.identity = identity;
    this.counters = counters;
    this.answerKeys = new EnumMap<>(answerKeys);
    this.payloadKeys = payloadKeys;
    this.envelopeBytesMax = envelopeBytesMax;
    this.random = random;
  }

  /**
   * Verifies {@code envelope}, hands a new message to {@code handler} and signs its answer.
   *
   * @return the handled message and its signed answer, or a duplicate with the original answer
   * @throws EnvelopeException with the reason of the refusal; nothing was handled
   */
  public Outcome handle(byte[] envelope, MessageHandler handler) {
    return handle(envelope, null, handler);
  }

  /**
   * As {@link #handle(byte[], MessageHandler)}, for an envelope that arrived on a channel the transport
   * authenticated as {@code channel}'s (its topic, URI path or client certificate): an envelope whose
   * key id names another device is refused with {@link Reason#CHANNEL_MISMATCH} before anything else
   * is looked up, so a device cannot speak for another even with a message the other one signed.
   *
   * @param channel the channel's device; null when the transport authenticates no device
   */
  public Outcome handle(byte[] envelope, DeviceId channel, MessageHandler handler) {
    Opened opened = open(envelope, channel);
    DeviceRecord device = opened.device();
    long counter = opened.counter();
    return switch (counters.reserve(device.deviceId(), counter, opened.messageHash())) {
      case CounterStore.Reservation.Reserved reserved -> {
        byte[] answer = answer(device, counter, handler.handle(opened.message()));
        counters.storeAnswer(device.deviceId(), counter, answer);
        yield new Outcome.Handled(opened.message(), answer);
      }
      case CounterStore.Reservation.Duplicate duplicate -> duplicate(device.deviceId(), counter, duplicate.answer());
      case CounterStore.Reservation.Replayed replayed -> throw replayed(device.deviceId(), counter, replayed.lastCounter());
    };
  }

  /**
   * An envelope that passed every check but the counter: the device, its message (payload decrypted)
   * and the hash of the exact bytes. Made by {@link #open}; admitted by {@link #admit}.
   */
  public record Opened(DeviceRecord device, DeviceMessage message, byte[] messageHash) {
    public long counter() {
      return message.counter();
    }
  }

  /** What {@link #admit} decided for one opened envelope. */
  public sealed interface Admission {
    Opened opened();

    /** New: handle it, then {@link #seal} the answer and {@link #storeAnswers store} it. */
    record Fresh(Opened opened) implements Admission {}

    /** An exact duplicate of the device's last accepted message: send {@code answer} again. */
    record Repeat(Opened opened, byte[] answer) implements Admission {}

    /** Refused (a replayed counter, or a duplicate whose original is still being processed). */
    record Refused(Opened opened, EnvelopeException reason) implements Admission {}
  }

  /**
   * Every check of {@link #handle} except the counter, with no side effect: size, structure, channel,
   * device known and ACTIVE, suite, signature, decryption. Thread-safe and CPU-bound, so transports may
   * run it on many threads before admitting a batch.
   *
   * @param channel the channel's device, or null when the transport authenticates none
   * @throws EnvelopeException with the reason of the refusal
   */
  public Opened open(byte[] envelope, DeviceId channel) {
    if (envelope == null || envelope.length > envelopeBytesMax) {
      throw new EnvelopeException(Reason.OVERSIZED,
          "envelope of " + (envelope == null ? "no" : envelope.length) + " bytes (at most " + envelopeBytesMax + ")");
    }
    SignedMessage signed = parse(envelope);
    if (channel != null && !channel.value().equals(signed.kid())) {
      throw new EnvelopeException(Reason.CHANNEL_MISMATCH, "an envelope with key id " + printable(signed.kid())
          + " arrived on the channel of device " + channel);
    }
    DeviceRecord device = activeDevice(signed.kid());
    verifySignature(device, signed);
    byte[] payload = plaintext(device, signed);
    DeviceMessage message = new DeviceMessage(
        device.deviceId(), device.suite(), signed.counter(), payload, signed.payloadKind() == Cose.PAYLOAD_ENCRYPT0);
    return new Opened(device, message, DigestAlgorithm.SHA_256.digest(envelope));
  }

  /**
   * Admits a batch of opened envelopes in one store transaction: for each, in order, whether it is
   * new, an exact duplicate (with the answer to repeat) or refused. A fresh message's counter is now the
   * device's last: the caller handles it and stores its answer with {@link #storeAnswers}.
   */
  public List<Admission> admit(List<Opened> batch) {
    List<CounterStore.Claim> claims = new ArrayList<>(batch.size());
    for (Opened opened : batch) {
      claims.add(new CounterStore.Claim(opened.device().deviceId(), opened.counter(), opened.messageHash()));
    }
    List<CounterStore.Reservation> reservations = counters.reserveAll(claims);
    List<Admission> admissions = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      Opened opened = batch.get(i);
      DeviceId deviceId = opened.device().deviceId();
      admissions.add(switch (reservations.get(i)) {
        case CounterStore.Reservation.Reserved reserved -> new Admission.Fresh(opened);
        case CounterStore.Reservation.Duplicate duplicate -> duplicate.answer() == null
            ? new Admission.Refused(opened, new EnvelopeException(Reason.DUPLICATE_IN_PROGRESS,
                "device " + deviceId + ": counter " + opened.counter() + " is still being processed"))
            : new Admission.Repeat(opened, duplicate.answer());
        case CounterStore.Reservation.Replayed replayed -> new Admission.Refused(opened, replayed(deviceId, opened.counter(), replayed.lastCounter()));
      });
    }
    return admissions;
  }

  /** Signs (and encrypts if asked) the answer to a fresh message. Thread-safe. */
  public byte[] seal(Opened opened, AnswerPayload answer) {
    return answer(opened.device(), opened.counter(), answer);
  }

  /** Stores the sealed answers of fresh messages in one transaction, so duplicates get them again. */
  public void storeAnswers(List<Opened> answered, List<byte[]> answers) {
    List<CounterStore.Claim> claims = new ArrayList<>(answered.size());
    for (Opened opened : answered) {
      claims.add(new CounterStore.Claim(opened.device().deviceId(), opened.counter(), opened.messageHash()));
    }
    counters.storeAnswers(claims, answers);
  }

  private static EnvelopeException replayed(DeviceId deviceId, long counter, long lastCounter) {
    return new EnvelopeException(Reason.REPLAYED_COUNTER,
        "device " + deviceId + ": counter " + counter + " is not greater than the last accepted " + lastCounter);
  }

  private static SignedMessage parse(byte[] envelope) {
    try {
      return SignedMessage.parse(envelope);
    } catch (CoseException e) {
      throw EnvelopeException.of(e);
    }
  }

  private Outcome duplicate(DeviceId deviceId, long counter, byte[] answer) {
    if (answer == null) {
      throw new EnvelopeException(Reason.DUPLICATE_IN_PROGRESS, "device " + deviceId + ": counter " + counter + " is still being processed");
    }
    LOG.info("Duplicate message answered again [device={}, counter={}]", deviceId, counter);
    return new Outcome.Duplicate(deviceId, counter, answer);
  }

  private DeviceRecord activeDevice(String kid) {
    DeviceId deviceId;
    try {
      deviceId = new DeviceId(kid);
    } catch (DeviceIdException e) {
      throw new EnvelopeException(Reason.MALFORMED, "kid is not a device id: " + e.getMessage(), e);
    }
    DeviceRecord device = identity.deviceForMessage(deviceId).orElseThrow(() ->
        new EnvelopeException(Reason.UNKNOWN_DEVICE, "device " + deviceId + " is not registered"));
    return switch (device.status()) {
      case ACTIVE -> device;
      case SUSPENDED -> throw new EnvelopeException(Reason.DEVICE_SUSPENDED, "device " + deviceId + " is suspended");
      case REVOKED -> throw new EnvelopeException(Reason.DEVICE_REVOKED, "device " + deviceId + " is revoked");
    };
  }

  private static void verifySignature(DeviceRecord device, SignedMessage signed) {
    AlgorithmSuite claimed = Cose.suiteOfSignatureAlg(signed.alg());
    if (claimed != device.suite()) {
      throw new EnvelopeException(Reason.SUITE_MISMATCH, "device " + device.deviceId() + " is registered for "
          + device.suite() + " but signed with alg " + signed.alg());
    }
    byte[] toBeSigned = Cose.toBeSigned(signed.protectedBytes(), Cose.deviceMessageAad(), signed.payload());
    byte[] der;
    try {
      der = Cose.derSignature(device.suite(), signed.signature());
    } catch (CoseException e) {
      throw EnvelopeException.of(e);
    }
    if (!device.suite().signature().verify(device.publicKey(), toBeSigned, der)) {
      throw new EnvelopeException(Reason.BAD_SIGNATURE, "device " + device.deviceId() + ": signature does not verify under the registered key");
    }
  }

  private byte[] plaintext(DeviceRecord device, SignedMessage signed) {
    if (signed.payloadKind() == Cose.PAYLOAD_PLAIN) {
      return signed.payload();
    }
    SecretKeyBytes key = payloadKeys.payloadKey(device.deviceId()).orElseThrow(() ->
        new EnvelopeException(Reason.NO_PAYLOAD_KEY, "device " + device.deviceId() + " sent an encrypted payload but has no payload key"));
    try {
      return PayloadCipher.decrypt(device.suite(), key, signed.payload(), Cose.deviceMessageAad());
    } catch (CoseException e) {
      throw EnvelopeException.of(e);
    }
  }

  private byte[] answer(DeviceRecord device, long counter, AnswerPayload answer) {
    PlatformSigningKey key = answerKeys.get(device.suite());
    if (key == null) {
      throw new IllegalStateException("no answer-signing key configured for suite " + device.suite());
    }
    byte[] aad = Cose.answerAad(device.deviceId().value());
    byte[] payload = answer.payload();
    int kind = Cose.PAYLOAD_PLAIN;
    if (answer.encrypt()) {
      SecretKeyBytes payloadKey = payloadKeys.payloadKey(device.deviceId()).orElseThrow(() ->
          new IllegalStateException("answer to " + device.deviceId() + " must be encrypted but it has no payload key"));
      payload = encrypt(device.suite(), payloadKey, payload, aad);
      kind = Cose.PAYLOAD_ENCRYPT0;
    }
    return SignedMessage.sign(device.suite(), key.keyId(), counter, kind, counter, payload, aad,
        key::sign);
  }

  private byte[] encrypt(AlgorithmSuite suite, SecretKeyBytes payloadKey, byte[] payload, byte[] aad) {
    try {
      return PayloadCipher.encrypt(suite, payloadKey, payload, aad, random);
    } catch (CoseException e) {
      throw EnvelopeException.of(e);
    }
  }

  /** A key id as it may appear in a log line: at most 64 characters, non-printable ones replaced. */
  private static String printable(String kid) {
    String cut = kid.length() > 64 ? kid.substring(0, 64) + "..." : kid;
    return NON_PRINTABLE.matcher(cut).replaceAll("?");
  }
}
