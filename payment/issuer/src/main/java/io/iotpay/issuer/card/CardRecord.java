package io.iotpay.issuer.card;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.protocol.Pan;

/**
 * One card in the issuer's registry.
 *
 * @param pan the card's PAN (its {@code toString} is masked)
 * @param panSequence 5F34
 * @param suite the card's suite
 * @param accountId the rider's ledger account
 * @param status where the card stands
 * @param pushAtc the last Push ATC the issuer used (monotonic; persisted before each push)
 * @param quotaKnownMinor the quota (9F79) as the issuer last learnt it (a push or the newest record)
 * @param quotaConfiguredMinor the quota a restore sets
 * @param lastAtc the highest ATC seen in clearing (-1 before any), to order quota updates
 */
public record CardRecord(Pan pan, int panSequence, AlgorithmSuite suite, long accountId, CardStatus status,
    int pushAtc, long quotaKnownMinor, long quotaConfiguredMinor, int lastAtc) {

  public CardRecord withStatus(CardStatus newStatus) {
    return new CardRecord(pan, panSequence, suite, accountId, newStatus, pushAtc, quotaKnownMinor,
        quotaConfiguredMinor, lastAtc);
  }

  public CardRecord withQuota(long quotaMinor, int atc) {
    return new CardRecord(pan, panSequence, suite, accountId, status, pushAtc, quotaMinor, quotaConfiguredMinor, atc);
  }
}
