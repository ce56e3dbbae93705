package io.iotpay.protocol.party;

import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import io.iotpay.protocol.iso8583.ZoneKeys;

/**
 * One ISO 8583 link's keys as both ends keep them in their sealed party keys ({@link PartyKeys}): the
 * link's suite, its zone master key (ZMK) and the initial zone authentication key (ZAK), under
 * {@code link.<peer>.suite|zmk|zak}. Each end holds its own copy; {@link #zoneKeys()} makes the
 * link's {@link ZoneKeys} (the ZAK may then change in 0800/101 under the ZMK).
 */
public record LinkKeys(AlgorithmSuite suite, SecretKeyBytes zmk, SecretKeyBytes zak) {
  public static final int KEY_BYTES = 16;
  /** How long a replaced ZAK still verifies (see {@link ZoneKeys}). */
  public static final long PREVIOUS_KEY_GRACE_MS = 30_000;

  /** The keys of the link to {@code peer} in {@code keys}. */
  public static LinkKeys of(PartyProperties keys, String peer) {
    String prefix = "link." + peer + ".";
    return new LinkKeys(keys.suite(prefix + "suite"), keys.key(prefix + "zmk", KEY_BYTES), keys.key(prefix + "zak", KEY_BYTES));
  }

  /** Fresh random keys for a new link. */
  public static LinkKeys generate(AlgorithmSuite suite, java.security.SecureRandom random) {
    byte[] zmk = new byte[KEY_BYTES];
    byte[] zak = new byte[KEY_BYTES];
    random.nextBytes(zmk);
    random.nextBytes(zak);
    return new LinkKeys(suite, new SecretKeyBytes(zmk), new SecretKeyBytes(zak));
  }

  /** The key=value lines of the party keys for the link to {@code peer}. */
  public String lines(String peer) {
    String prefix = "link." + peer + ".";
    return prefix + "suite=" + suite + "\n" + prefix + "zmk=" + Hex.encode(zmk.value()) + "\n" + prefix + "zak="
        + Hex.encode(zak.value()) + "\n";
  }

  public ZoneKeys zoneKeys() {
    return new ZoneKeys(suite, zmk, zak, PREVIOUS_KEY_GRACE_MS);
  }

  @Override
  public String toString() {
    return "LinkKeys[" + suite + "]"; // keys stay out of logs
  }
}
