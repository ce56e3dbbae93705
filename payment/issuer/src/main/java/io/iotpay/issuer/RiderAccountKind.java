package io.iotpay.issuer;

/**
 * How a rider's account pays fares.
 *
 * <ul>
 *   <li>{@link #DEBIT}: a ledger account flagged debits-must-not-exceed-credits; the ledger itself
 *       refuses a fare above the balance.
 *   <li>{@link #CREDIT}: a credit card. The ledger account has no flag; the issuer keeps the credit
 *       limit and counts the transit quota against it: quota is granted (enablement, restore) only
 *       while {@code limit − debt ≥ quota}, and a fare is debited only while {@code debt + fare ≤
 *       limit}. (An explicit available-credit check rather than a ledger hold: the quota is spent
 *       offline in many small amounts the issuer learns of only at clearing, so a hold would have to
 *       be re-sized after every file; the check gives the same guarantee with one number.)
 * </ul>
 */
public enum RiderAccountKind {
  DEBIT,
  CREDIT
}
