package io.iotpay.acquirer.pos.risk;

import io.iotpay.foundation.Assert;
import io.iotpay.foundation.codec.Hex;
import java.util.Set;

/**
 * Terminal risk sensing's set-up (docs/phone-sdk.md, "Risk sensing").
 *
 * @param allowedBuildsHex the app integrity digests (64 hex digits, any case) of the SDK builds the acquirer accepts
 * @param nonceTtlMs how long an issued nonce may be used, 1..600,000
 * @param approvalTtlMs how long an approved attestation admits the terminal's next payment, 1..600,000
 * @param velocityMax payments (purchases and refunds) a merchant may make in {@code velocityWindowMs}, ≥ 1
 * @param velocityWindowMs the velocity window, ≥ 1
 * @param speedKmhMax fastest plausible travel between two attestations of one phone, ≥ 1
 * @param slackKm distance always allowed (location noise), ≥ 0
 */
public record RiskConfig(Set<String> allowedBuildsHex, long nonceTtlMs, long approvalTtlMs, int velocityMax,
    long velocityWindowMs, int speedKmhMax, int slackKm) {
  public RiskConfig {
    Assert.notNull(allowedBuildsHex, "allowedBuildsHex");
    allowedBuildsHex = allowedBuildsHex.stream().map(h -> {
      Assert.that(h != null && h.matches("[0-9A-Fa-f]{64}"), "an allowed build is 64 hex digits");
      return h.toUpperCase();
    }).collect(java.util.stream.Collectors.toUnmodifiableSet());
    Assert.that(nonceTtlMs >= 1 && nonceTtlMs <= 600_000, "nonceTtlMs {} outside 1..600000", nonceTtlMs);
    Assert.that(approvalTtlMs >= 1 && approvalTtlMs <= 600_000, "approvalTtlMs {} outside 1..600000", approvalTtlMs);
    Assert.that(velocityMax >= 1 && velocityWindowMs >= 1, "velocity limit and window must be positive");
    Assert.that(speedKmhMax >= 1 && slackKm >= 0, "speed must be positive, slack not negative");
  }

  boolean allows(byte[] digest) {
    return allowedBuildsHex.contains(Hex.encode(digest).toUpperCase());
  }
}
