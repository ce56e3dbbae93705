package io.iotpay.platform.inbox;

import java.time.Instant;
import java.util.regex.Pattern;

/**
 * Something a door refused — a device message, an MQTT CONNECT, a DTLS handshake: who (as the channel
 * or client claimed), through which door, why, and when.
 *
 * @param sequence the log's running number of this event (1, 2, …), for paging; 0 before it is recorded
 * @param transport the door
 * @param channelDevice the device id the channel or client claimed (topic, URI path, client id, PSK
 *     identity), made printable and cut to {@link #CHANNEL_CHARS_MAX}; {@code "-"} when none was given
 * @param reason a machine-readable reason: a {@code RefusalReason} name for messages, the door's own
 *     reason for connects and handshakes (e.g. {@code NO_TOKEN}); 1..40 of {@code A-Z 0-9 _}
 * @param detail one printable line; never key material, tokens or payload bytes
 */
public record SecurityEvent(long sequence, Instant at, Transport transport, String channelDevice, String reason, String detail) {
  public static final int CHANNEL_CHARS_MAX = 64;
  public static final int DETAIL_CHARS_MAX = 300;
  private static final Pattern REASON = Pattern.compile("[A-Z0-9_]{1,40}");
  private static final Pattern NON_PRINTABLE = Pattern.compile("[^\\x20-\\x7E]");

  public SecurityEvent {
    java.util.Objects.requireNonNull(at, "at");
    java.util.Objects.requireNonNull(transport, "transport");
    io.iotpay.foundation.Assert.that(reason != null && REASON.matcher(reason).matches(), "security event reason {} is not a code", reason);
    channelDevice = printable(channelDevice == null || channelDevice.isEmpty() ? "-" : channelDevice, CHANNEL_CHARS_MAX);
    detail = printable(detail == null ? "" : detail, DETAIL_CHARS_MAX);
  }

  /** An event not yet numbered (the log numbers it). */
  public SecurityEvent(Instant at, Transport transport, String channelDevice, String reason, String detail) {
    this(0, at, transport, channelDevice, reason, detail);
  }

  SecurityEvent numbered(long value) {
    return new SecurityEvent(value, at, transport, channelDevice, reason, detail);
  }

  private static String printable(String text, int charsMax) {
    String line = NON_PRINTABLE.matcher(text).replaceAll("?");
    return line.length() > charsMax ? line.substring(0, charsMax) : line;
  }
}
