package io.iotpay.acquirer.pos.merchant;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * One onboarding state change: who, when, which subject, from which state to which, and why.
 * Each becomes a leaf of the audit log ({@link #leaf()}) in the same transaction as the change.
 *
 * @param subjectKind MERCHANT or TERMINAL
 * @param subjectId the merchant or terminal id
 * @param from the state before; empty for a creation
 * @param to the state after
 * @param actor {@code applicant}, {@code system} (the automatic review) or {@code operator:<id>}
 * @param at when
 * @param reason why; may be empty
 */
public record AuditEvent(String subjectKind, String subjectId, String from, String to, String actor, Instant at, String reason) {
  /** First bytes of an onboarding leaf: "IPO" (iotpay onboarding) and format version 1. */
  static final byte[] MAGIC = {'I', 'P', 'O', 1};

  public AuditEvent {
    io.iotpay.foundation.Assert.that(subjectKind != null && subjectId != null && from != null && to != null
        && actor != null && at != null && reason != null, "audit event fields must not be null");
  }

  /**
   * The leaf bytes: {@link #MAGIC}, then the epoch milliseconds as 8 bytes big-endian, then each text
   * field as a 2-byte big-endian length and its UTF-8 bytes. Canonical: one event, one encoding.
   */
  public byte[] leaf() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(128);
    out.writeBytes(MAGIC);
    long millis = at.toEpochMilli();
    for (int shift = 56; shift >= 0; shift -= 8) {
      out.write((int) (millis >>> shift));
    }
    for (String field : new String[] {subjectKind, subjectId, from, to, actor, reason}) {
      byte[] bytes = field.getBytes(StandardCharsets.UTF_8);
      io.iotpay.foundation.Assert.that(bytes.length <= 0xFFFF, "audit field of {} bytes", bytes.length);
      out.write(bytes.length >>> 8);
      out.write(bytes.length);
      out.writeBytes(bytes);
    }
    return out.toByteArray();
  }

  /** Whether an audit log entry is an onboarding event (starts with {@link #MAGIC}). */
  public static boolean isOnboardingLeaf(byte[] entry) {
    return entry.length >= MAGIC.length && java.util.Arrays.equals(entry, 0, MAGIC.length, MAGIC, 0, MAGIC.length);
  }
}
