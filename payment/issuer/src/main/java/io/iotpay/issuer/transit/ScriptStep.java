package io.iotpay.issuer.transit;

import io.iotpay.protocol.script.CardScript;

/** What the issuer does after a relayed script's result: send another, or stop. */
public sealed interface ScriptStep {
  /** Relay this script next. */
  record Next(CardScript script) implements ScriptStep {}

  /** The push is done: the card's quota is now {@code quotaMinor}. */
  record Completed(long quotaMinor) implements ScriptStep {}

  /** The push failed (the card refused, the relay tampered, or the result is stale); retry later. */
  record Failed(String reason) implements ScriptStep {}
}
