package io.iotpay.switching.online;

import io.iotpay.foundation.Assert;
import io.iotpay.protocol.transit.CardRange;
import io.iotpay.protocol.PartyId;
import java.util.List;
import java.util.Map;

/**
 * The online switch's set-up. Every bound is checked here, at start-up.
 *
 * @param acquirers the acquirer links (one server and one zone key set each), at least one
 * @param issuers the issuer links (one client and one zone key set each), at least one
 * @param ranges the card ranges, the same list the transit switch routes by
 * @param storeKeys the keys for the PAN hash and the sealed advice queue
 * @param adviceRetryMs how often an issuer with queued advices is tried again, 10..600,000 (default 5,000)
 * @param logQueueMax message-log entries waiting to be written, 1..1,000,000 (default 65,536); a
 *     full queue holds the answering thread, it never drops an entry
 * @param logBatchMax rows per log insert transaction, 1..logQueueMax (default 512)
 * @param recentRequestsMax requests remembered to answer an acquirer's repeat with the same answer,
 *     1..1,000,000 (default 100,000), oldest forgotten first
 * @param institutions the issuer of each institution id (1..11 digits) an account verification's
 *     field 100 may name (default none: every verification is answered 15, no such issuer)
 */
public record OnlineSwitchConfig(
    List<AcquirerEndpoint> acquirers, List<IssuerEndpoint> issuers, List<CardRange> ranges, StoreKeys storeKeys,
    long adviceRetryMs, int logQueueMax, int logBatchMax, int recentRequestsMax, Map<String, PartyId> institutions) {
  public static final long ADVICE_RETRY_MS_DEFAULT = 5_000;
  public static final int LOG_QUEUE_MAX_DEFAULT = 65_536;
  public static final int LOG_BATCH_MAX_DEFAULT = 512;
  public static final int RECENT_REQUESTS_MAX_DEFAULT = 100_000;

  /** @throws AssertionError for a configuration fault */
  public OnlineSwitchConfig {
    acquirers = List.copyOf(acquirers);
    issuers = List.copyOf(issuers);
    ranges = List.copyOf(ranges);
    institutions = Map.copyOf(institutions);
    institutions.keySet().forEach(id -> Assert.that(id.matches("[0-9]{1,11}"), "institution id {} is not 1..11 digits", id));
    Assert.that(!acquirers.isEmpty() && !issuers.isEmpty(), "an online switch needs acquirers and issuers");
    Assert.notNull(storeKeys, "storeKeys");
    Assert.that(adviceRetryMs >= 10 && adviceRetryMs <= 600_000, "adviceRetryMs {} outside 10..600000", adviceRetryMs);
    Assert.that(logQueueMax >= 1 && logQueueMax <= 1_000_000, "logQueueMax {} outside 1..1000000", logQueueMax);
    Assert.that(logBatchMax >= 1 && logBatchMax <= logQueueMax, "logBatchMax {} outside 1..logQueueMax", logBatchMax);
    Assert.that(recentRequestsMax >= 1 && recentRequestsMax <= 1_000_000,
        "recentRequestsMax {} outside 1..1000000", recentRequestsMax);
  }

  /** The defaults above for these links, ranges and keys. */
  public static OnlineSwitchConfig defaults(
      List<AcquirerEndpoint> acquirers, List<IssuerEndpoint> issuers, List<CardRange> ranges, StoreKeys storeKeys) {
    return new OnlineSwitchConfig(acquirers, issuers, ranges, storeKeys, ADVICE_RETRY_MS_DEFAULT,
        LOG_QUEUE_MAX_DEFAULT, LOG_BATCH_MAX_DEFAULT, RECENT_REQUESTS_MAX_DEFAULT, Map.of());
  }

  public OnlineSwitchConfig withAdviceRetryMs(long value) {
    return new OnlineSwitchConfig(acquirers, issuers, ranges, storeKeys, value, logQueueMax, logBatchMax,
        recentRequestsMax, institutions);
  }

  /** This set-up, routing account verifications for each institution id to its issuer. */
  public OnlineSwitchConfig withInstitutions(Map<String, PartyId> value) {
    return new OnlineSwitchConfig(acquirers, issuers, ranges, storeKeys, adviceRetryMs, logQueueMax, logBatchMax,
        recentRequestsMax, value);
  }
}
