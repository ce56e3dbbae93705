package io.iotpay.acquirer.pos.online;

/**
 * Where one terminal request stands at the acquirer (docs/acquirer-online.md, "States").
 * Only {@link #APPROVED} purchases are captured at day end.
 */
public enum TransactionState {
  /** Written durably, then forwarded to the switch; no answer yet. */
  SENT,
  /** The switch answered 00. */
  APPROVED,
  /** The switch answered anything else, or the host refused it before the switch (never sent). */
  DECLINED,
  /** No answer in time, or the terminal reversed it: an 0400 waits in the store-and-forward queue. */
  REVERSAL_QUEUED,
  /** The switch acknowledged the reversal (0410): never captured. */
  REVERSED,
  /** An approved purchase presented for clearing at day end: too late to reverse (refund it instead). */
  CAPTURED,
  /** A refund (0200, processing code 20xxxx), recorded for day end, never sent online. */
  REFUND
}
