package io.iotpay.acquirer.pos.merchant;

import java.time.Instant;

/**
 * A merchant as the acquirer keeps it. Holds the owner's identity number only masked and the
 * settlement account number in full (the acquirer pays into it); {@link #toString()} masks it.
 *
 * @param id never null
 * @param state never null
 * @param stateReason why the last change happened; may be empty
 */
public record Merchant(
    MerchantId id,
    MerchantState state,
    String legalName,
    String licenceNumber,
    String ownerIdMasked,
    String mcc,
    String address,
    SettlementAccount settlementAccount,
    Instant registeredAt,
    Instant stateChangedAt,
    String stateReason) {

  /** This merchant in a new state. */
  public Merchant withState(MerchantState to, Instant at, String reason) {
    return new Merchant(id, to, legalName, licenceNumber, ownerIdMasked, mcc, address, settlementAccount, registeredAt, at, reason);
  }

  @Override
  public String toString() {
    return "Merchant[id=" + id + ", state=" + state + ", legalName=" + legalName + ", mcc=" + mcc
        + ", settlementAccount=" + settlementAccount + "]";
  }
}
