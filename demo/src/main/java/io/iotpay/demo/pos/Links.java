package io.iotpay.demo.pos;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import io.iotpay.protocol.iso8583.LinkSettings;
import io.iotpay.protocol.iso8583.ZoneKeys;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;

/**
 * The demo's ISO 8583 links: fresh zone keys per link, loopback addresses, the timeouts of each hop
 * (each longer than the one behind it, with room for a loaded machine: an answer that is merely slow
 * should not look like a fault).
 */
final class Links {
  private static final SecureRandom RANDOM = new SecureRandom();
  /** A restartable server's first ports: 20000..29999, below the ephemeral range; tried at random up to 64 times. */
  private static final int FIRST_PORT_MIN = 20_000;
  private static final int FIRST_PORT_SPAN = 10_000;
  private static final int FIRST_PORT_TRIES = 64;
  /** How long a restart tries its old port, and the pause between tries. */
  private static final long RELISTEN_WAIT_MS = 10_000;
  private static final long RELISTEN_PAUSE_MS = 50;
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

  /**
   * Listens with {@code listenOn} (which throws {@link UncheckedIOException} when the port is taken)
   * for a server that is stopped and started again (a party "down"): the first time
   * ({@code previousPort} 0) on a free port below Linux's ephemeral range (32768–60999), then on
   * {@code previousPort}, tried until {@link #RELISTEN_WAIT_MS} pass, since a closed socket's port
   * may take a moment to free. A port from the ephemeral range could be handed to an outgoing
   * connection of this process while the server is down, and it could then not come back on it.
   */
  static <T> T listenRestartable(int previousPort, IntFunction<T> listenOn) {
    if (previousPort == 0) {
      UncheckedIOException last = null;
      for (int i = 0; i < FIRST_PORT_TRIES; i++) {
        try {
          return listenOn.apply(FIRST_PORT_MIN + ThreadLocalRandom.current().nextInt(FIRST_PORT_SPAN));
        } catch (UncheckedIOException e) {
          last = e;
        }
      }
      throw last;
    }
    long deadline = System.nanoTime() + RELISTEN_WAIT_MS * 1_000_000L;
    while (true) {
      try {
        return listenOn.apply(previousPort);
      } catch (UncheckedIOException e) {
        if (System.nanoTime() - deadline > 0) {
          throw e;
        }
        LockSupport.parkNanos(RELISTEN_PAUSE_MS * 1_000_000L);
      }
    }
  }
}
