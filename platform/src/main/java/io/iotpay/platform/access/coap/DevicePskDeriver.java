package io.iotpay.platform.access.coap;

import io.iotpay.foundation.InvalidInputException;
import io.iotpay.platform.identity.DeviceId;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Derives each device's DTLS pre-shared key from one platform PSK master key, so the platform keeps
 * no per-device secret store: {@code PSK = lowercase-hex(HKDF-SHA256(salt = "iotpay/coap-psk/v1",
 * IKM = master key, info = UTF-8 device id, L = 16))} (RFC 5869). The 16 derived bytes carry 128
 * bits; the key handed to DTLS is their 32 ASCII hex characters, so provisioning tools and
 * libcoap 4.3.1's {@code coap-client -k}, which takes the key as text, can use it as is.
 *
 * <p>The master key is as sensitive as every device key together: it lives in the platform's key
 * store (an HSM in production) and is never logged. Rotating it re-keys every PSK device. Thread-safe
 * and immutable; {@link #toString()} never shows the key.
 */
public final class DevicePskDeriver {
  /** Shortest accepted master key, bytes: below 256 bits HKDF's extract step would be the weak link. */
  public static final int MASTER_KEY_BYTES_MIN = 32;
  /** Longest accepted master key, bytes (one SHA-256 block; longer keys are hashed by HMAC anyway). */
  public static final int MASTER_KEY_BYTES_MAX = 64;
  /** Bytes of key material derived per device before hex encoding. */
  public static final int DERIVED_BYTES = 16;
  /** Length of the PSK given to DTLS: the hex form of {@link #DERIVED_BYTES}. */
  public static final int PSK_BYTES = 2 * DERIVED_BYTES;

  private static final String HMAC = "HmacSHA256";
  private static final byte[] SALT = "iotpay/coap-psk/v1".getBytes(StandardCharsets.US_ASCII);

  /** HKDF-Extract's pseudo-random key; the master key itself is not kept. */
  private final byte[] prk;

  /**
   * @param masterKey the platform PSK master key, {@value #MASTER_KEY_BYTES_MIN}..{@value #MASTER_KEY_BYTES_MAX}
   *     bytes; copied, the caller may wipe its array
   * @throws InvalidInputException when the key is null or its length is outside the bounds
   */
  public DevicePskDeriver(byte[] masterKey) {
    if (masterKey == null || masterKey.length < MASTER_KEY_BYTES_MIN || masterKey.length > MASTER_KEY_BYTES_MAX) {
      throw new InvalidInputException("coap: PSK master key of " + (masterKey == null ? "no" : masterKey.length)
          + " bytes (expected " + MASTER_KEY_BYTES_MIN + ".." + MASTER_KEY_BYTES_MAX + ")");
    }
    this.prk = hmac(SALT, masterKey);
  }

  /** The device's PSK: {@value #PSK_BYTES} ASCII hex bytes; a fresh array the caller may wipe. */
  public byte[] derive(DeviceId deviceId) {
    byte[] info = deviceId.value().getBytes(StandardCharsets.UTF_8);
    byte[] block = Arrays.copyOf(info, info.length + 1);
    block[info.length] = 1; // HKDF-Expand's T(1) = HMAC(PRK, info || 0x01); one block covers 16 bytes
    byte[] okm = hmac(prk, block);
    byte[] psk = HexFormat.of().formatHex(okm, 0, DERIVED_BYTES).getBytes(StandardCharsets.US_ASCII);
    Arrays.fill(okm, (byte) 0);
    return psk;
  }

  private static byte[] hmac(byte[] key, byte[] data) {
    try {
      Mac mac = Mac.getInstance(HMAC);
      mac.init(new SecretKeySpec(key, HMAC));
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is required of every JDK", e);
    }
  }

  @Override
  public String toString() {
    return "DevicePskDeriver[HKDF-SHA256, key hidden]";
  }
}
