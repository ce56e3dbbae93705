package io.iotpay.demo.pos;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import io.iotpay.protocol.iso8583.LinkSettings;
import io.iotpay.protocol.iso8583.ZoneKeys;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;

/**
 * The demo's ISO 8583 links: fresh zone keys per link, loopback addresses, the timeouts of each hop
 * (each longer than the one behind it, with room for a loaded machine: an answer that is merely slow
 * should not look like a fault).
 */
final class Links {
  private static final SecureRandom RANDOM = new SecureRandom();
  /** The switch answers in stand-in when the issuer has not answered within this. */
  static final long STAND_IN_AFTER_MS = 1_000;
  /** The switch's own wait on an issuer request (longer than the stand-in timer). */
  static final long SWITCH_TO_ISSUER_TIMEOUT_MS = 5_000;
  /** The acquirer's wait on the switch: a lost response is given up after this, then reversed. */
  static final long ACQUIRER_TO_SWITCH_TIMEOUT_MS = 3_000;
  /** The terminal's wait on the acquirer. */
  static final long TERMINAL_TO_ACQUIRER_TIMEOUT_MS = 15_000;

  private Links() {}

  /** A zone master key and an initial ZAK for one link, both ends share the object. */
  static ZoneKeys zoneKeys(AlgorithmSuite suite) {
    return new ZoneKeys(suite, randomKey(), randomKey(), 30_000);
  }

  static SecretKeyBytes randomKey() {
    byte[] k = new byte[16];
    RANDOM.nextBytes(k);
    return new SecretKeyBytes(k);
  }

  /** A link's settings without periodic echo (the demo's links are busy or idle for good reasons). */
  static LinkSettings settings(String institutionId, String nodeId, long requestTimeoutMs) {
    return LinkSettings.defaults(institutionId, nodeId).withEchoIntervalMs(0).withRequestTimeoutMs(requestTimeoutMs);
  }

  static InetSocketAddress loopback(int port) {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
  }
}
