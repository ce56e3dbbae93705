package io.iotpay.acquirer.pos.console;

import io.iotpay.acquirer.pos.merchant.AuditEvent;
import io.iotpay.acquirer.pos.store.JdbcOnboardingStore;
import io.iotpay.ledger.audit.AuditLog;
import io.iotpay.ledger.audit.TreeHasher;
import java.security.MessageDigest;
import java.util.List;

/**
 * Where each onboarding state change sits in the audit log, so a page can show it audited: the
 * change's leaf index ({@code pos_event.audit_index}) and whether the log's leaf there hashes as the
 * change's own leaf ({@link AuditEvent#leaf()}).
 */
public record OnboardingTrail(JdbcOnboardingStore store, AuditLog auditLog) {
  /** Where one change is. @param index the leaf index, -1 when none is recorded */
  public record Place(long index, boolean matches) {}

  /** The place of each of {@code events} (one subject's history, oldest first, as the store reads it). */
  List<Place> places(String subjectKind, String subjectId, List<AuditEvent> events) {
    List<Long> indices = store.auditIndices(subjectKind, subjectId);
    TreeHasher hasher = TreeHasher.of(auditLog.suite());
    return java.util.stream.IntStream.range(0, events.size()).mapToObj(i -> {
      if (i >= indices.size()) {
        return new Place(-1, false);
      }
      long index = indices.get(i);
      boolean matches = index < auditLog.size()
          && MessageDigest.isEqual(auditLog.leafHash(index), hasher.leafHash(events.get(i).leaf()));
      return new Place(index, matches);
    }).toList();
  }
}
