package io.iotpay.acquirer.pos.merchant;

import java.time.Instant;

/**
 * What one automatic check found for one merchant.
 *
 * @param check never null
 * @param verdict never null
 * @param reason one line for the reviewer; never holds an identity or account number in full
 * @param checkedAt when the check ran
 */
public record Finding(Check check, Verdict verdict, String reason, Instant checkedAt) {
  public Finding {
    io.iotpay.foundation.Assert.notNull(check, "check");
    io.iotpay.foundation.Assert.notNull(verdict, "verdict");
    io.iotpay.foundation.Assert.notNull(reason, "reason");
    io.iotpay.foundation.Assert.notNull(checkedAt, "checkedAt");
  }
}
