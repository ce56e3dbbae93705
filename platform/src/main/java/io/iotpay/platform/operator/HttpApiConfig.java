package io.iotpay.platform.operator;

import io.iotpay.foundation.InvalidInputException;
import io.iotpay.foundation.crypto.TlsIdentity;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Objects;

/**
 * Settings of the HTTP API. Immutable; start from {@link #defaults()}.
 *
 * @param jsonBytesMax largest JSON request body, bytes; default 64 KiB, 1 KiB..1 MiB (the largest
 *     request, a manufacturer CA in PEM, is a few KiB; the bound caps memory per request)
 * @param envelopeBytesMax largest device envelope, bytes; default 16 KiB (the envelope service's own
 *     default), 1..1 MiB
 * @param tls the TLS key store, or null for plain HTTP (the default: the demo listens on 127.0.0.1;
 *     anything reachable from outside the host must use TLS; {@code iotpay serve --tls-cert --tls-key})
 */
public record HttpApiConfig(int jsonBytesMax, int envelopeBytesMax, Tls tls) {
  public static final int JSON_BYTES_MAX_DEFAULT = 64 * 1024;
  public static final int ENVELOPE_BYTES_MAX_DEFAULT = 16 * 1024;
  private static final int BODY_BYTES_LIMIT = 1 << 20;

  /**
   * A key store holding the server's key and certificate chain, in memory.
   *
   * @param keyStore never null
   * @param password the store's and the key's password; never logged
   */
  public record Tls(KeyStore keyStore, String password) {
    public Tls {
      Objects.requireNonNull(keyStore, "keyStore");
      Objects.requireNonNull(password, "password");
    }

    @Override
    public String toString() {
      return "Tls[keyStore=" + keyStore.getType() + ", password=***]";
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

  /**
   * The same settings served over TLS with the PKCS#12 key store in {@code keyStoreFile}.
   *
   * @throws InvalidInputException when the file cannot be read or opened with {@code password}
   */
  public HttpApiConfig withTls(Path keyStoreFile, String password) {
    try (InputStream in = Files.newInputStream(keyStoreFile)) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(in, password.toCharArray());
      return new HttpApiConfig(jsonBytesMax, envelopeBytesMax, new Tls(store, password));
    } catch (IOException | GeneralSecurityException e) {
      throw new InvalidInputException("TLS key store " + keyStoreFile + " cannot be opened (" + e.getMessage() + ")", e);
    }
  }

  /** The same settings served over TLS with {@code identity} (read from PEM files). */
  public HttpApiConfig withTls(TlsIdentity identity) {
    return new HttpApiConfig(jsonBytesMax, envelopeBytesMax, new Tls(identity.keyStore(), identity.password()));
  }
}
