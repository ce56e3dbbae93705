package io.iotpay.switching.online;

import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.iso8583.CardTransaction;
import io.iotpay.protocol.iso8583.ResponseCode;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Stand-in processing: decides on the issuer's behalf within its {@link StandInLimits} and records
 * each approval as exposure (durable, so limits hold across a restart). The check and the record
 * happen under one lock, so two requests cannot both fit under the same remaining limit.
 */
final class StandIn {
  /** Stand-in approval codes start with this letter; an issuer's never do in our network. */
  static final char APPROVAL_CODE_PREFIX = 'S';
  private static final SecureRandom RANDOM = new SecureRandom();
  private final OnlineStore store;
  private final ReentrantLock lock = new ReentrantLock();

  /** The decision: an approval carries its code, a decline has none. */
  record Decision(ResponseCode code, String approvalCode) {
    boolean approved() {
      return code.approved();
    }
  }

  StandIn(OnlineStore store) {
    this.store = store;
  }

  Decision decide(PartyId issuer, StandInLimits limits, CardTransaction t, String panHash, long nowMs) {
    if (!isPurchase(t) || !t.amount().currency().equals(limits.perTransactionMax().currency())
        || t.amount().isGreaterThan(limits.perTransactionMax())) {
      return new Decision(ResponseCode.ISSUER_UNAVAILABLE, null);
    }
    String day = Instant.ofEpochMilli(nowMs).atOffset(ZoneOffset.UTC).toLocalDate().toString();
    lock.lock();
    try {
      OnlineStore.StandInTotals totals = store.standInTotals(issuer, day, panHash, t.amount().currency().alphaCode());
      long amount = t.amount().amountMinor();
      if (totals.cardMinor() + amount > limits.perCardDayMax().amountMinor()
          || totals.issuerMinor() + amount > limits.issuerDayMax().amountMinor()) {
        return new Decision(ResponseCode.ISSUER_UNAVAILABLE, null);
      }
      String code = APPROVAL_CODE_PREFIX + String.format("%05d", RANDOM.nextInt(100_000));
      store.insertStandInApproval(issuer, panHash, day, t, code);
      return new Decision(ResponseCode.APPROVED, code);
    } finally {
      lock.unlock();
    }
  }

  /** Only purchases (processing code 00xxxx) are approved in stand-in: refunds and others need the issuer. */
  private static boolean isPurchase(CardTransaction t) {
    return t.processingCode().startsWith("00") && t.amount().isPositive();
  }
}
