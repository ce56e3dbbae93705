package io.iotpay.protocol.iso8583;

import static io.iotpay.protocol.iso8583.Iso8583Exception.Reason.KEY_INVALID;

import io.iotpay.foundation.Assert;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.BlockCipherAlgorithm;
import io.iotpay.foundation.crypto.CipherMode;
import io.iotpay.foundation.crypto.CryptoException;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The keys of one link: its zone master key (ZMK, set up out of band) and the working zone
 * authentication key (ZAK) that MACs messages, which the initiator rotates in an 0800/101.
 *
 * <p>A key change swaps the ZAK atomically; the previous one stays valid for
 * {@link #previousKeyGraceMs()} so that requests MACed before the swap (in flight when it happened)
 * still verify, and their responses are MACed with the key their request verified with.
 * Thread-safe. Keys never reach a log: {@link #toString()} shows only the generation.
 */
public final class ZoneKeys {
  /** Longest time a replaced key stays valid: requests in flight time out well before. */
  public static final long PREVIOUS_KEY_GRACE_MS_MAX = 300_000;

  private static final int ZAK_BYTES = 16;
  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * One ZAK and its generation number (1 for the key set up with the ZMK, +1 per change).
   *
   * @param number positive
   * @param zak the key
   */
  public record Generation(int number, SecretKeyBytes zak) {}

  /** The current and previous generations with their MAC functions ({@link GenerationMacs}). */
  private record State(GenerationMacs current, GenerationMacs previous, long previousValidUntilMs) {}

  private final AlgorithmSuite suite;
  private final SecretKeyBytes zoneMasterKey;
  private final long previousKeyGraceMs;
  private final AtomicReference<State> state;

  /**
   * @param suite the link's suite: 3DES keys (INTERNATIONAL) or SM4 keys (NATIONAL)
   * @param zoneMasterKey 16 bytes
   * @param initialZak 16 bytes, the ZAK both ends start with (from the same key file as the ZMK)
   * @param previousKeyGraceMs 0..{@value #PREVIOUS_KEY_GRACE_MS_MAX}
   * @throws Iso8583Exception KEY_INVALID for a key of the wrong length
   */
  public ZoneKeys(AlgorithmSuite suite, SecretKeyBytes zoneMasterKey, SecretKeyBytes initialZak, long previousKeyGraceMs) {
    Assert.that(previousKeyGraceMs >= 0 && previousKeyGraceMs <= PREVIOUS_KEY_GRACE_MS_MAX,
        "previousKeyGraceMs {} outside 0..{}", previousKeyGraceMs, PREVIOUS_KEY_GRACE_MS_MAX);
    this.suite = Assert.notNull(suite, "suite");
    this.zoneMasterKey = checked(zoneMasterKey, "ZMK");
    this.previousKeyGraceMs = previousKeyGraceMs;
    this.state = new AtomicReference<>(
        new State(new GenerationMacs(suite, new Generation(1, checked(initialZak, "ZAK"))), null, 0));
  }

  public AlgorithmSuite suite() {
    return suite;
  }

  public long previousKeyGraceMs() {
    return previousKeyGraceMs;
  }

  /** The ZAK new messages are MACed with. */
  public Generation current() {
    return state.get().current.generation();
  }

  /** The keys an incoming request may be MACed with at {@code nowMs}: current first, then the previous within its grace. */
  public List<Generation> acceptable(long nowMs) {
    State now = state.get();
    List<Generation> keys = new ArrayList<>(2);
    keys.add(now.current.generation());
    if (now.previous != null && nowMs < now.previousValidUntilMs) {
      keys.add(now.previous.generation());
    }
    return keys;
  }

  /**
   * Field 128 of {@code input} under {@code key}: with the generation's kept MAC functions while it
   * is the link's current or previous one, else computed afresh ({@link MessageMac#compute}).
   */
  public byte[] mac(Generation key, byte[] input) {
    State now = state.get();
    if (now.current.generation() == key) {
      return now.current.compute(input);
    }
    if (now.previous != null && now.previous.generation() == key) {
      return now.previous.compute(input);
    }
    return MessageMac.compute(suite, key.zak(), input);
  }

  /** A fresh random ZAK for this suite. */
  public static SecretKeyBytes newZak() {
    byte[] key = new byte[ZAK_BYTES];
    RANDOM.nextBytes(key);
    return new SecretKeyBytes(key);
  }

  /** Field 48 for {@code newZak}: it encrypted under the ZMK (ECB) and its check value. */
  public KeyExchange wrap(SecretKeyBytes newZak) {
    BlockCipherAlgorithm cipher = suite.cardBlockCipher();
    checked(newZak, "new ZAK");
    return new KeyExchange(cipher.encrypt(CipherMode.ECB, zoneMasterKey, null, newZak.value()),
        cipher.keyCheckValue(newZak));
  }

  /**
   * Opens a received key exchange: decrypts the key under the ZMK and checks its check value (in
   * constant time). Changes nothing; {@link #install} does.
   *
   * @throws Iso8583Exception KEY_INVALID when the check value does not match
   */
  public SecretKeyBytes unwrap(KeyExchange exchange) {
    BlockCipherAlgorithm cipher = suite.cardBlockCipher();
    SecretKeyBytes key;
    try {
      key = new SecretKeyBytes(cipher.decrypt(CipherMode.ECB, zoneMasterKey, null, exchange.encryptedKey()));
    } catch (CryptoException e) {
      throw new Iso8583Exception(KEY_INVALID, "the new key does not decrypt under the ZMK", e);
    }
    if (!MessageDigest.isEqual(cipher.keyCheckValue(key), exchange.checkValue())) {
      throw new Iso8583Exception(KEY_INVALID, "the new key does not match its check value");
    }
    return key;
  }

  /** Makes {@code newZak} current; the replaced key stays acceptable until {@code nowMs + grace}. */
  public Generation install(SecretKeyBytes newZak, long nowMs) {
    checked(newZak, "new ZAK");
    State before;
    State after;
    do {
      before = state.get();
      Generation next = new Generation(before.current.generation().number() + 1, newZak);
      after = new State(new GenerationMacs(suite, next), before.current, nowMs + previousKeyGraceMs);
    } while (!state.compareAndSet(before, after));
    if (before.previous != null) {
      before.previous.retire(); // the generation two back leaves the link: its MAC key schedules are wiped
    }
    return after.current.generation();
  }

  @Override
  public String toString() {
    return "ZoneKeys[" + suite + ", generation " + current().number() + "]";
  }

  private SecretKeyBytes checked(SecretKeyBytes key, String what) {
    if (key == null || key.lengthBytes() != ZAK_BYTES) {
      throw new Iso8583Exception(KEY_INVALID, what + " must be " + ZAK_BYTES + " bytes");
    }
    return key;
  }
}
