package io.iotpay.foundation.crypto.oda;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The CA public keys a terminal trusts, looked up by suite, RID and index (EMV Book 2 section 5.3:
 * the terminal selects the key with the card's tag 8F). Immutable once built; safe to share
 * between threads.
 */
public final class OdaTrustStore {
  private final Map<CaPublicKey.KeyId, CaPublicKey> keys;

  private OdaTrustStore(Map<CaPublicKey.KeyId, CaPublicKey> keys) {
    this.keys = Map.copyOf(keys);
  }

  /**
   * A store of {@code keys}.
   *
   * @throws OdaException when there are more than {@link OdaLimits#TRUSTED_CA_KEYS_MAX} keys, or
   *     two different keys share one suite, RID and index
   */
  public static OdaTrustStore of(Collection<CaPublicKey> keys) {
    if (keys.size() > OdaLimits.TRUSTED_CA_KEYS_MAX) {
      throw new OdaException(keys.size() + " CA keys exceed the bound of " + OdaLimits.TRUSTED_CA_KEYS_MAX);
    }
    Map<CaPublicKey.KeyId, CaPublicKey> byId = new HashMap<>();
    for (CaPublicKey key : keys) {
      CaPublicKey previous = byId.putIfAbsent(key.id(), key);
      if (previous != null && !previous.equals(key)) {
        throw new OdaException("two different CA keys for " + key);
      }
    }
    return new OdaTrustStore(byId);
  }

  /** The key for the card's RID and CA index in {@code suite}; empty when the terminal has none. */
  public Optional<CaPublicKey> find(AlgorithmSuite suite, byte[] rid, int index) {
    if (rid == null || rid.length != CaPublicKey.RID_BYTES) {
      return Optional.empty();
    }
    return Optional.ofNullable(keys.get(new CaPublicKey.KeyId(suite, io.iotpay.foundation.codec.Hex.encode(rid), index)));
  }

  public int size() {
    return keys.size();
  }
}
