package io.iotpay.acquirer.pos.http;

import io.iotpay.foundation.Assert;
import io.iotpay.foundation.crypto.TlsIdentity;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Settings of the acquirer's onboarding HTTP API. Immutable; start from {@link #of}.
 *
 * @param operatorTokens operator name → bearer token; 1..100 operators, names 1..64 of [a-z0-9._-],
 *     tokens {@value #OPERATOR_TOKEN_CHARS_MIN}..{@value #TOKEN_CHARS_MAX} characters (a short token
 *     could be guessed); the name is recorded with every decision the operator makes
 * @param merchantTokenKey key of the merchants' bearer tokens (HMAC, at least 32 bytes); never logged
 * @param jsonBytesMax largest request body, bytes; default 16 KiB, 1 KiB..1 MiB (the largest request,
 *     a CSR in base64, is under 6 KiB)
 * @param registrationsPerMinuteMax anonymous registrations one client address may make per minute;
 *     default 10, 1..100 000 (a merchant registers once; the bound slows down a flood)
 * @param clientsTrackedMax client addresses the rate limiter remembers; default 10 000, 1..1 000 000
 *     (its memory; when full, new addresses are refused until a minute passes)
 * @param tls the server's TLS key and certificate, or null for plain HTTP (the default; bind it to
 *     loopback then); with it the API and the console are served over TLS only and the console's
 *     cookie is {@code Secure}
 */
public record PosHttpConfig(
    Map<String, String> operatorTokens, byte[] merchantTokenKey, int jsonBytesMax, int registrationsPerMinuteMax, int clientsTrackedMax,
    TlsIdentity tls) {
  public static final int OPERATOR_TOKEN_CHARS_MIN = 32;
  public static final int TOKEN_CHARS_MAX = 512;
  public static final int JSON_BYTES_MAX_DEFAULT = 16 * 1024;
  public static final int REGISTRATIONS_PER_MINUTE_MAX_DEFAULT = 10;
  public static final int CLIENTS_TRACKED_MAX_DEFAULT = 10_000;
  private static final Pattern OPERATOR_NAME = Pattern.compile("[a-z0-9._-]{1,64}");

  public PosHttpConfig {
    Assert.that(operatorTokens != null && !operatorTokens.isEmpty() && operatorTokens.size() <= 100, "operatorTokens: 1..100 operators");
    operatorTokens = Map.copyOf(operatorTokens);
    for (Map.Entry<String, String> entry : operatorTokens.entrySet()) {
      Assert.that(OPERATOR_NAME.matcher(entry.getKey()).matches(), "operator name {} must be 1..64 of [a-z0-9._-]", entry.getKey());
      int length = entry.getValue().length();
      Assert.that(length >= OPERATOR_TOKEN_CHARS_MIN && length <= TOKEN_CHARS_MAX, "operator {}'s token must have {}..{} characters",
          entry.getKey(), OPERATOR_TOKEN_CHARS_MIN, TOKEN_CHARS_MAX);
    }
    Assert.that(merchantTokenKey != null && merchantTokenKey.length >= 32, "merchantTokenKey must have at least 32 bytes");
    merchantTokenKey = merchantTokenKey.clone();
    Assert.that(jsonBytesMax >= 1024 && jsonBytesMax <= 1 << 20, "jsonBytesMax {} outside 1024..1048576", jsonBytesMax);
    Assert.that(registrationsPerMinuteMax >= 1 && registrationsPerMinuteMax <= 100_000, "registrationsPerMinuteMax {} outside 1..100000",
        registrationsPerMinuteMax);
    Assert.that(clientsTrackedMax >= 1 && clientsTrackedMax <= 1_000_000, "clientsTrackedMax {} outside 1..1000000", clientsTrackedMax);
  }

  /** The defaults with these operators and this merchant token key. */
  public static PosHttpConfig of(Map<String, String> operatorTokens, byte[] merchantTokenKey) {
    return new PosHttpConfig(operatorTokens, merchantTokenKey, JSON_BYTES_MAX_DEFAULT, REGISTRATIONS_PER_MINUTE_MAX_DEFAULT,
        CLIENTS_TRACKED_MAX_DEFAULT, null);
  }

  public PosHttpConfig withRegistrationsPerMinuteMax(int max) {
    return new PosHttpConfig(operatorTokens, merchantTokenKey, jsonBytesMax, max, clientsTrackedMax, tls);
  }

  /** The same settings served over TLS with {@code identity}; null for plain HTTP. */
  public PosHttpConfig withTls(TlsIdentity identity) {
    return new PosHttpConfig(operatorTokens, merchantTokenKey, jsonBytesMax, registrationsPerMinuteMax, clientsTrackedMax, identity);
  }

  @Override
  public byte[] merchantTokenKey() {
    return merchantTokenKey.clone();
  }

  @Override
  public String toString() {
    return "PosHttpConfig[operators=" + operatorTokens.keySet() + ", jsonBytesMax=" + jsonBytesMax
        + ", registrationsPerMinuteMax=" + registrationsPerMinuteMax + ", clientsTrackedMax=" + clientsTrackedMax + ", tls=" + (tls != null) + "]";
  }
}
