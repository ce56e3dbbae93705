package io.iotpay.platform.mandate;

import io.iotpay.platform.identity.DeviceId;
import java.time.Instant;

/**
 * A user's binding of a device to a payment account, with the terms under which the device may pay.
 *
 * @param id never null
 * @param userId the device owner, 1..64 of [A-Za-z0-9-]
 * @param deviceId never null
 * @param accountId the user's ledger account debited (in the issuer's book), positive
 * @param terms never null
 * @param status never null
 * @param boundAt business time of binding, never null
 */
public record Mandate(MandateId id, String userId, DeviceId deviceId, long accountId, MandateTerms terms, MandateStatus status, Instant boundAt) {
  Mandate withStatus(MandateStatus value) {
    return new Mandate(id, userId, deviceId, accountId, terms, value, boundAt);
  }
}
