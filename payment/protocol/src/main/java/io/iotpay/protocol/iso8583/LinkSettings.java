package io.iotpay.protocol.iso8583;

import io.iotpay.foundation.Assert;

/**
 * How one end of an ISO 8583 link behaves. Immutable; {@link #defaults} gives the values below and
 * the {@code with…} methods change one. Every bound is checked when the settings are built.
 *
 * @param institutionId field 32 of this end's 0800s, 1..11 digits
 * @param nodeId field 41 of this end's 0800s, 8 printable characters
 * @param macRequired true (default): every message carries field 128 and one without it, or with a
 *     wrong one, is refused. False only for a link to a peer that cannot MAC (the npm interop test).
 * @param signOnRequired true (default): a server answers card requests on a connection that has not
 *     signed on (0800/001) with 91
 * @param frameBytesMax largest frame body accepted, 64..{@value Iso8583Limits#MESSAGE_BYTES_MAX}
 *     (default the maximum); a longer header closes the connection
 * @param connectionsMax server: connections served at once, 1..10,000 (default 64); a further one
 *     is closed at once, so a flood of connections cannot exhaust threads or memory
 * @param inFlightMax requests in flight per connection (client and server), 1..100,000 (default
 *     4,096): bounds the pending table and the handler threads one peer can start
 * @param requestTimeoutMs client: time a request waits for its response, 1..120,000 (default 10,000)
 * @param echoIntervalMs client: an echo (0800/301) this often keeps the link proven, 0 for none,
 *     else 100..3,600,000 (default 30,000)
 * @param connectTimeoutMs client: TCP connect timeout, 1..60,000 (default 5,000)
 */
public record LinkSettings(
    String institutionId,
    String nodeId,
    boolean macRequired,
    boolean signOnRequired,
    int frameBytesMax,
    int connectionsMax,
    int inFlightMax,
    long requestTimeoutMs,
    long echoIntervalMs,
    long connectTimeoutMs) {

  /** @throws AssertionError for a setting outside its bound (a configuration fault found at start-up) */
  public LinkSettings {
    FieldText.digitsUpTo("institution id", institutionId, 11);
    FieldText.printable("node id", nodeId, 8);
    Assert.that(frameBytesMax >= 64 && frameBytesMax <= Iso8583Limits.MESSAGE_BYTES_MAX,
        "frameBytesMax {} outside 64..{}", frameBytesMax, Iso8583Limits.MESSAGE_BYTES_MAX);
    Assert.that(connectionsMax >= 1 && connectionsMax <= 10_000, "connectionsMax {} outside 1..10000", connectionsMax);
    Assert.that(inFlightMax >= 1 && inFlightMax <= 100_000, "inFlightMax {} outside 1..100000", inFlightMax);
    Assert.that(requestTimeoutMs >= 1 && requestTimeoutMs <= 120_000,
        "requestTimeoutMs {} outside 1..120000", requestTimeoutMs);
    Assert.that(echoIntervalMs == 0 || (echoIntervalMs >= 100 && echoIntervalMs <= 3_600_000),
        "echoIntervalMs {} is neither 0 nor within 100..3600000", echoIntervalMs);
    Assert.that(connectTimeoutMs >= 1 && connectTimeoutMs <= 60_000,
        "connectTimeoutMs {} outside 1..60000", connectTimeoutMs);
  }

  /** The defaults for an end with these ids. */
  public static LinkSettings defaults(String institutionId, String nodeId) {
    return new LinkSettings(institutionId, nodeId, true, true, Iso8583Limits.MESSAGE_BYTES_MAX, 64, 4_096,
        10_000, 30_000, 5_000);
  }

  public LinkSettings withMacRequired(boolean value) {
    return new LinkSettings(institutionId, nodeId, value, signOnRequired, frameBytesMax, connectionsMax,
        inFlightMax, requestTimeoutMs, echoIntervalMs, connectTimeoutMs);
  }

  public LinkSettings withFrameBytesMax(int value) {
    return new LinkSettings(institutionId, nodeId, macRequired, signOnRequired, value, connectionsMax,
        inFlightMax, requestTimeoutMs, echoIntervalMs, connectTimeoutMs);
  }

  public LinkSettings withConnectionsMax(int value) {
    return new LinkSettings(institutionId, nodeId, macRequired, signOnRequired, frameBytesMax, value,
        inFlightMax, requestTimeoutMs, echoIntervalMs, connectTimeoutMs);
  }

  public LinkSettings withRequestTimeoutMs(long value) {
    return new LinkSettings(institutionId, nodeId, macRequired, signOnRequired, frameBytesMax, connectionsMax,
        inFlightMax, value, echoIntervalMs, connectTimeoutMs);
  }

  public LinkSettings withEchoIntervalMs(long value) {
    return new LinkSettings(institutionId, nodeId, macRequired, signOnRequired, frameBytesMax, connectionsMax,
        inFlightMax, requestTimeoutMs, value, connectTimeoutMs);
  }
}
