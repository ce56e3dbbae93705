package io.iotpay.platform.access.mqtt;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The platform bridge's login to the embedded broker: the fixed username {@value #USERNAME} (a
 * {@code $} can never start a device id, so no device can claim it) and a random secret made at
 * broker start, compared in constant time. {@link #toString()} never shows the secret.
 */
public final class BridgeCredentials {
  /** The bridge's MQTT username. */
  public static final String USERNAME = "$iotpay-bridge";
  private static final int SECRET_BYTES = 32;

  private final byte[] password;

  private BridgeCredentials(byte[] password) {
    this.password = password;
  }

  /** A fresh random secret (256 bits, Base64url text so any MQTT client can send it). */
  static BridgeCredentials generate(SecureRandom random) {
    byte[] secret = new byte[SECRET_BYTES];
    random.nextBytes(secret);
    return new BridgeCredentials(Base64.getUrlEncoder().withoutPadding().encodeToString(secret).getBytes(StandardCharsets.US_ASCII));
  }

  /** The username to connect with; never null. */
  public String username() {
    return USERNAME;
  }

  /** The secret to connect with, a fresh copy; never null. Do not log it. */
  public byte[] password() {
    return password.clone();
  }

  @Override
  public String toString() {
    return "BridgeCredentials[" + USERNAME + ", secret hidden]";
  }
}
