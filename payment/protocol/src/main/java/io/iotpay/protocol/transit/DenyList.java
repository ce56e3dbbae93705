package io.iotpay.protocol.transit;

import io.iotpay.protocol.Pan;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.ProtocolException;
import java.util.Collections;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Cards a gate must refuse offline, as an issuer publishes them and the switch distributes them
 * to operators. Versions only grow; a gate keeps the highest version it has seen.
 *
 * @param issuer the issuer that published it
 * @param version positive, increasing per issuer
 * @param pans the denied cards
 */
public record DenyList(PartyId issuer, long version, SortedSet<Pan> pans) {
  public static final int PANS_MAX = 1_000_000;

  /** @throws ProtocolException when a field is missing, the version is not positive or the list too long */
  public DenyList {
    if (issuer == null || pans == null) {
      throw new ProtocolException("deny list: issuer and pans are required");
    }
    if (version < 1) {
      throw new ProtocolException("deny list of " + issuer + ": version " + version + " is below 1");
    }
    if (pans.size() > PANS_MAX) {
      throw new ProtocolException("deny list of " + issuer + ": " + pans.size() + " cards exceed " + PANS_MAX);
    }
    pans = Collections.unmodifiableSortedSet(new TreeSet<>(pans));
  }

  public boolean denies(Pan pan) {
    return pans.contains(pan);
  }
}
