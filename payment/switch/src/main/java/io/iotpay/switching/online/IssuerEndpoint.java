package io.iotpay.switching.online;

import io.iotpay.foundation.Assert;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.iso8583.LinkSettings;
import io.iotpay.protocol.iso8583.ZoneKeys;
import java.net.InetSocketAddress;

/**
 * One issuer the switch forwards to: its own link and zone keys, and its stand-in rules.
 *
 * @param issuer the party the card ranges name
 * @param address the issuer's ISO 8583 server
 * @param settings the link; its {@code requestTimeoutMs} is how long a late answer is still
 *     awaited for reconciliation after stand-in answered
 * @param keys the link's zone keys (never shared with another link)
 * @param standInAfterMs how long the acquirer's request waits for the issuer before stand-in
 *     answers; must be shorter than the acquirer's own timeout and than {@code settings.requestTimeoutMs()}
 * @param limits the stand-in limits
 */
public record IssuerEndpoint(
    PartyId issuer, InetSocketAddress address, LinkSettings settings, ZoneKeys keys, long standInAfterMs,
    StandInLimits limits) {
  /** Default {@code standInAfterMs}: well inside a terminal's usual 30 s and an acquirer's 10 s. */
  public static final long STAND_IN_AFTER_MS_DEFAULT = 5_000;

  /** @throws AssertionError for a configuration fault */
  public IssuerEndpoint {
    Assert.notNull(issuer, "issuer");
    Assert.notNull(address, "address");
    Assert.notNull(limits, "limits");
    Assert.that(standInAfterMs >= 1 && standInAfterMs < settings.requestTimeoutMs(),
        "standInAfterMs {} must be 1..requestTimeoutMs-1 ({})", standInAfterMs, settings.requestTimeoutMs());
  }
}
