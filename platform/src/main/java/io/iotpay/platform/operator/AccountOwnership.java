package io.iotpay.platform.operator;

/**
 * Whether a user may bind devices to a ledger account: the issuer's view of who holds which account.
 * The HTTP API asks it before {@code POST /v1/mandates}, so a user cannot point their device at
 * someone else's money. Thread-safe.
 */
@FunctionalInterface
public interface AccountOwnership {
  /**
   * @param userId the authenticated user; never null
   * @param accountId the account named in the request; positive
   * @return true when the user holds the account
   */
  boolean holds(String userId, long accountId);
}
