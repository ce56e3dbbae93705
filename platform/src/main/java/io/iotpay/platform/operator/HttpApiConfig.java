package io.iotpay.platform.operator;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Settings of the HTTP API. Immutable; start from {@link #defaults()}.
 *
 * @param jsonBytesMax largest JSON request body, bytes; default 64 KiB, 1 KiB..1 MiB (the largest
 *     request, a manufacturer CA in PEM, is a few KiB; the bound caps memory per request)
 * @param envelopeBytesMax largest device envelope, bytes; default 16 KiB (the envelope service's own
 *     default), 1..1 MiB
 * @param tls the TLS key store, or null for plain HTTP (the default: the demo listens on 127.0.0.1;
 *     anything reachable from outside the host must use TLS)
 */
public record HttpApiConfig(int jsonBytesMax, int envelopeBytesMax, Tls tls) {
  public static final int JSON_BYTES_MAX_DEFAULT = 64 * 1024;
  public static final int ENVELOPE_BYTES_MAX_DEFAULT = 16 * 1024;
  private static final int BODY_BYTES_LIMIT = 1 << 20;

  /**
   * A PKCS#12 (or JKS) key store holding the server's key and certificate chain.
   *
   * @param keyStore path of the key store file; never null
   * @param password the store's and the key's password; never logged
   */
  public record Tls(Path keyStore, String password) {
    public Tls {
      Objects.requireNonNull(keyStore, "keyStore");
      Objects.requireNonNull(password, "password");
    }

    @Override
    public String toString() {
      return "Tls[keyStore=" + keyStore + ", password=***]";
    }
  }

  /** @throws IllegalArgumentException when a bound is out of range */
  public HttpApiConfig {
    if (jsonBytesMax < 1024 || jsonBytesMax > BODY_BYTES_LIMIT) {
      throw new IllegalArgumentException("jsonBytesMax " + jsonBytesMax + " outside 1024.." + BODY_BYTES_LIMIT);
    }
    if (envelopeBytesMax < 1 || envelopeBytesMax > BODY_BYTES_LIMIT) {
      throw new IllegalArgumentException("envelopeBytesMax " + envelopeBytesMax + " outside 1.." + BODY_BYTES_LIMIT);
    }
  }

  /** 64 KiB JSON, 16 KiB envelopes, plain HTTP. */
  public static HttpApiConfig defaults() {
    return new HttpApiConfig(JSON_BYTES_MAX_DEFAULT, ENVELOPE_BYTES_MAX_DEFAULT, null);
  }

  /** The same settings served over TLS with this key store. */
  public HttpApiConfig withTls(Path keyStore, String password) {
    return new HttpApiConfig(jsonBytesMax, envelopeBytesMax, new Tls(keyStore, password));
  }
}
