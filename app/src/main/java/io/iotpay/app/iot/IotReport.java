package io.iotpay.app.iot;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What {@code iotpay demo iot} found. The first ten fields are the issue's; the rest explain them.
 *
 * @param attacksBlocked attacks refused with a recorded reason and with no money moved
 * @param attacksBlocked attacks the platform's own records show refused with nothing changed ({@link AttackRecords})
 * @param refusals refused envelopes by reason (the platform's security log), whatever caused them
 * @param chips device messages sealed and how many of them a device chip signed
 * @param blockedByRecord blocked attacks by the record that shows it (refusal_log, broker_refusals, clone_flag, device_registry)
 * @param attackRefusals entries the attacks left in the security log, by reason (messages and connections)
 */
public record IotReport(
    int devices, long events, long paymentsApproved, long paymentsDeclined, long confirmationsRequested,
    long duplicatesSuppressed, long attacksInjected, long attacksBlocked, boolean booksBalanced, boolean auditVerified,
    String transport, int hours, long seed, long messages, long captured, long voided, long heldAtEnd,
    long spentMinor, Map<String, Long> attacksByKind, Map<String, Long> refusals, long auditLeaves, String auditDetail,
    Chips chips, Map<String, Long> blockedByRecord, Map<String, Long> attackRefusals) {

  /**
   * @param deviceMessages envelopes the demo's devices sealed through their SDK
   * @param signedOnChip envelopes a device chip signed under its own counter (must equal deviceMessages)
   */
  public record Chips(long deviceMessages, long signedOnChip) {}

  /** Exit status 0 only if every attack was blocked, the books balance and the audit log verifies. */
  public boolean ok() {
    return booksBalanced && auditVerified && attacksBlocked == attacksInjected && chips.signedOnChip() == chips.deviceMessages();
  }

  public Map<String, Object> toJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("devices", devices);
    json.put("events", events);
    json.put("payments_approved", paymentsApproved);
    json.put("payments_declined", paymentsDeclined);
    json.put("confirmations_requested", confirmationsRequested);
    json.put("duplicates_suppressed", duplicatesSuppressed);
    json.put("attacks_injected", attacksInjected);
    json.put("attacks_blocked", attacksBlocked);
    json.put("books_balanced", booksBalanced);
    json.put("audit_verified", auditVerified);
    json.put("transport", transport);
    json.put("hours", hours);
    json.put("seed", seed);
    json.put("messages", messages);
    json.put("payments_captured", captured);
    json.put("payments_voided", voided);
    json.put("payments_held_at_end", heldAtEnd);
    json.put("spent_minor", spentMinor);
    json.put("attacks_by_kind", attacksByKind);
    json.put("refusals_by_reason", refusals);
    json.put("device_messages", chips.deviceMessages());
    json.put("signed_on_chip", chips.signedOnChip());
    json.put("attacks_blocked_by_record", blockedByRecord);
    json.put("attack_refusals_by_reason", attackRefusals);
    json.put("audit_leaves", auditLeaves);
    json.put("audit_detail", auditDetail);
    json.put("ok", ok());
    return json;
  }
}
