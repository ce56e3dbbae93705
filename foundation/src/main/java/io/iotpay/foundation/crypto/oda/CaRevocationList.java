package io.iotpay.foundation.crypto.oda;

import io.iotpay.foundation.codec.Hex;
import java.util.HashSet;
import java.util.Set;

/**
 * Issuer certificates the CA has revoked, per CA key: the triplet RID ‖ CA index ‖ certificate
 * serial number that EMV Book 2 section 5.3 step 10 checks (and that the schemes distribute as
 * their CA revocation lists). Immutable; safe to share between threads.
 */
public final class CaRevocationList {
  /** Length of a certificate serial number (Book 2 tables 6 and 14). */
  public static final int SERIAL_BYTES = 3;

  private static final CaRevocationList EMPTY = new CaRevocationList(Set.of());

  private final Set<String> entries;

  private CaRevocationList(Set<String> entries) {
    this.entries = Set.copyOf(entries);
  }

  public static CaRevocationList empty() {
    return EMPTY;
  }

  /** A builder for a list of up to {@link OdaLimits#REVOKED_CERTIFICATES_MAX} entries. */
  public static Builder builder() {
    return new Builder();
  }

  /** True when the issuer certificate {@code serial} under CA key {@code rid}/{@code index} is revoked. */
  public boolean isRevoked(byte[] rid, int index, byte[] serial) {
    return entries.contains(key(rid, index, serial));
  }

  public int size() {
    return entries.size();
  }

  private static String key(byte[] rid, int index, byte[] serial) {
    return Hex.encode(rid) + String.format("%02X", index) + Hex.encode(serial);
  }

  /** Collects entries; not thread-safe. */
  public static final class Builder {
    private final Set<String> entries = new HashSet<>();

    private Builder() {}

    /**
     * Adds one revoked certificate.
     *
     * @throws OdaException for a RID not of 5 bytes, an index outside 00..FF, a serial not of 3
     *     bytes, or a list that would exceed its bound
     */
    public Builder revoke(byte[] rid, int index, byte[] serial) {
      if (rid == null || rid.length != CaPublicKey.RID_BYTES || index < 0 || index > 0xFF
          || serial == null || serial.length != SERIAL_BYTES) {
        throw new OdaException("revocation entry needs a 5-byte RID, an index 00..FF and a 3-byte serial");
      }
      if (entries.size() >= OdaLimits.REVOKED_CERTIFICATES_MAX) {
        throw new OdaException("revocation list exceeds " + OdaLimits.REVOKED_CERTIFICATES_MAX + " entries");
      }
      entries.add(key(rid, index, serial));
      return this;
    }

    public CaRevocationList build() {
      return new CaRevocationList(entries);
    }
  }
}
