package io.iotpay.acquirer.pos.online;

import io.iotpay.foundation.Assert;
import io.iotpay.foundation.crypto.RecordSeal;
import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.iso8583.LinkSettings;
import io.iotpay.protocol.iso8583.ZoneKeys;
import java.net.InetSocketAddress;

/**
 * The acquirer's online host set-up (docs/acquirer-online.md). Every bound is checked here, at start-up.
 *
 * @param acquirer the acquirer's party id (written into presentments)
 * @param institutionId field 32 of every message the host sends the switch, 1..11 digits
 * @param switchAddress the switch's ISO 8583 server for this acquirer
 * @param switchLink the client side of the link to the switch; its {@code requestTimeoutMs} is how
 *     long a terminal's request waits for the switch before it is reversed (answered 91 to the terminal)
 * @param switchKeys the zone keys of the switch link
 * @param terminalListen where terminals connect (port 0: any free port)
 * @param terminalLink the server side of the terminal link
 * @param terminalKeys the zone keys of the terminal link (null only when {@code terminalLink.macRequired()} is false)
 * @param storeSeal seals every stored message (they hold the full PAN: the reversal and the
 *     presentment need it), AES or SM4 with a CMAC ({@link RecordSeal})
 * @param currency the one currency of the acquirer's ledger accounts and of the transactions it accepts
 * @param bookId the ledger book of the acquirer's accounts
 * @param settlementAccountId the acquirer's settlement account with the switch (what the scheme owes it)
 * @param revenueAccountId the acquirer's merchant-discount revenue account
 * @param merchantAccountBase merchant payable accounts are {@code merchantAccountBase + n}, n = 1, 2, … in
 *     the order merchants first transact; must leave room above the two accounts above
 * @param transferIdBase payout transfers take ids above it (the ledger's ids are shared; keep a range apart)
 * @param mdrBasisPoints the merchant discount rate, 0..10,000 basis points of the day's captured amount
 * @param reversalRetryMs first wait before a reversal is sent again, 10..600,000; doubles up to
 *     {@code reversalRetryMaxMs}
 * @param reversalRetryMaxMs longest wait between two tries of a reversal, reversalRetryMs..3,600,000
 * @param riskCheck asked before each purchase and refund is forwarded or recorded; null for none
 */
public record AcquirerHostConfig(
    PartyId acquirer,
    String institutionId,
    InetSocketAddress switchAddress,
    LinkSettings switchLink,
    ZoneKeys switchKeys,
    InetSocketAddress terminalListen,
    LinkSettings terminalLink,
    ZoneKeys terminalKeys,
    RecordSeal storeSeal,
    CurrencyUnit currency,
    long bookId,
    long settlementAccountId,
    long revenueAccountId,
    long merchantAccountBase,
    long transferIdBase,
    int mdrBasisPoints,
    long reversalRetryMs,
    long reversalRetryMaxMs,
    TerminalRiskCheck riskCheck) {

  public static final long REVERSAL_RETRY_MS_DEFAULT = 1_000;
  public static final long REVERSAL_RETRY_MAX_MS_DEFAULT = 60_000;

  /** The set-up without a terminal risk check. */
  public AcquirerHostConfig(PartyId acquirer, String institutionId, InetSocketAddress switchAddress,
      LinkSettings switchLink, ZoneKeys switchKeys, InetSocketAddress terminalListen, LinkSettings terminalLink,
      ZoneKeys terminalKeys, RecordSeal storeSeal, CurrencyUnit currency, long bookId, long settlementAccountId,
      long revenueAccountId, long merchantAccountBase, long transferIdBase, int mdrBasisPoints, long reversalRetryMs,
      long reversalRetryMaxMs) {
    this(acquirer, institutionId, switchAddress, switchLink, switchKeys, terminalListen, terminalLink, terminalKeys,
        storeSeal, currency, bookId, settlementAccountId, revenueAccountId, merchantAccountBase, transferIdBase,
        mdrBasisPoints, reversalRetryMs, reversalRetryMaxMs, null);
  }

  /** @throws AssertionError for a configuration fault */
  public AcquirerHostConfig {
    Assert.notNull(acquirer, "acquirer");
    Assert.that(institutionId != null && institutionId.matches("[0-9]{1,11}"), "institutionId must be 1..11 digits");
    Assert.notNull(switchAddress, "switchAddress");
    Assert.notNull(switchLink, "switchLink");
    Assert.that(!switchLink.macRequired() || switchKeys != null, "a MACed switch link needs zone keys");
    Assert.notNull(terminalListen, "terminalListen");
    Assert.notNull(terminalLink, "terminalLink");
    Assert.that(!terminalLink.macRequired() || terminalKeys != null, "a MACed terminal link needs zone keys");
    Assert.notNull(storeSeal, "storeSeal");
    Assert.notNull(currency, "currency");
    Assert.that(bookId > 0 && settlementAccountId > 0 && revenueAccountId > 0 && settlementAccountId != revenueAccountId,
        "book and the two acquirer accounts must be positive, the accounts distinct");
    Assert.that(merchantAccountBase >= Math.max(settlementAccountId, revenueAccountId)
        || merchantAccountBase + 1_000_000_000L < Math.min(settlementAccountId, revenueAccountId),
        "merchant accounts (merchantAccountBase + n) must not meet the acquirer's own accounts");
    Assert.that(merchantAccountBase >= 0 && transferIdBase >= 0, "bases must not be negative");
    Assert.that(mdrBasisPoints >= 0 && mdrBasisPoints <= 10_000, "mdrBasisPoints {} outside 0..10000", mdrBasisPoints);
    Assert.that(reversalRetryMs >= 10 && reversalRetryMs <= 600_000, "reversalRetryMs {} outside 10..600000", reversalRetryMs);
    Assert.that(reversalRetryMaxMs >= reversalRetryMs && reversalRetryMaxMs <= 3_600_000,
        "reversalRetryMaxMs {} outside reversalRetryMs..3600000", reversalRetryMaxMs);
  }

  /** The same set-up with another first retry wait and cap for reversals. */
  public AcquirerHostConfig withReversalRetry(long firstMs, long maxMs) {
    return new AcquirerHostConfig(acquirer, institutionId, switchAddress, switchLink, switchKeys, terminalListen,
        terminalLink, terminalKeys, storeSeal, currency, bookId, settlementAccountId, revenueAccountId, merchantAccountBase,
        transferIdBase, mdrBasisPoints, firstMs, maxMs, riskCheck);
  }

  /** The same set-up pointing at another switch address (e.g. a proxy in front of it). */
  public AcquirerHostConfig withSwitchAddress(InetSocketAddress address) {
    return new AcquirerHostConfig(acquirer, institutionId, address, switchLink, switchKeys, terminalListen,
        terminalLink, terminalKeys, storeSeal, currency, bookId, settlementAccountId, revenueAccountId, merchantAccountBase,
        transferIdBase, mdrBasisPoints, reversalRetryMs, reversalRetryMaxMs, riskCheck);
  }

  /** The same set-up with a terminal risk check (null: none). */
  public AcquirerHostConfig withRiskCheck(TerminalRiskCheck check) {
    return new AcquirerHostConfig(acquirer, institutionId, switchAddress, switchLink, switchKeys, terminalListen,
        terminalLink, terminalKeys, storeSeal, currency, bookId, settlementAccountId, revenueAccountId, merchantAccountBase,
        transferIdBase, mdrBasisPoints, reversalRetryMs, reversalRetryMaxMs, check);
  }
}
