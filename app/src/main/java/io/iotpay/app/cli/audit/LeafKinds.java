package io.iotpay.app.cli.audit;

import io.iotpay.ledger.AccountLeaf;
import io.iotpay.ledger.LedgerAuditCheck;
import io.iotpay.ledger.audit.LeafCheck;
import io.iotpay.platform.decision.DecisionAuditCheck;
import io.iotpay.platform.decision.DecisionCodec;
import io.iotpay.foundation.store.Database;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The kinds of leaf the log holds, counted as the verifier walks it, and the row cross-checks that ran:
 * so {@code audit verify} says what it checked (an older database may lack account leaves, or a check).
 */
final class LeafKinds implements LeafCheck {
  /** The kinds, as data: name and how a leaf is recognised; the first match wins, else "other". */
  private enum Kind {
    ACCOUNT("account"),
    LEDGER_ENTRY("ledger-entry"),
    PLATFORM_DECISION("platform-decision"),
    OTHER("other");

    final String label;

    Kind(String label) {
      this.label = label;
    }

    static Kind of(byte[] entry) {
      if (AccountLeaf.isAccountLeaf(entry)) {
        return ACCOUNT;
      }
      if (LedgerAuditCheck.isLedgerEntry(entry)) {
        return LEDGER_ENTRY;
      }
      return DecisionCodec.isDecision(entry) ? PLATFORM_DECISION : OTHER;
    }
  }

  private final LeafCheck inner;
  private final List<String> rowCrossChecks;
  private final long[] counts = new long[Kind.values().length];

  private LeafKinds(LeafCheck inner, List<String> rowCrossChecks) {
    this.inner = inner;
    this.rowCrossChecks = List.copyOf(rowCrossChecks);
  }

  /** Counts around {@code inner}, a check whose row cross-checks are not known by name. */
  static LeafKinds around(LeafCheck inner, List<String> rowCrossChecks) {
    return new LeafKinds(inner, rowCrossChecks);
  }

  /** The cross-checks of a database: ledger entries, ledger accounts (when migrated) and platform decisions. */
  static LeafKinds ofDatabase(Database database) {
    LedgerAuditCheck ledger = LedgerAuditCheck.of(database);
    List<String> checks = new ArrayList<>(List.of("ledger_entry"));
    if (ledger.accountsChecked()) {
      checks.add("ledger_account");
    }
    checks.add("platform_decision");
    return new LeafKinds(LeafCheck.allOf(ledger, DecisionAuditCheck.of(database)), checks);
  }

  @Override
  public Optional<String> problem(long leafIndex, byte[] entry) {
    Optional<String> problem = inner.problem(leafIndex, entry);
    if (problem.isEmpty()) {
      counts[Kind.of(entry).ordinal()]++;
    }
    return problem;
  }

  @Override
  public Optional<String> afterLastLeaf() {
    return inner.afterLastLeaf();
  }

  /** Leaves checked, by kind label, in a fixed order. */
  Map<String, Long> counts() {
    Map<String, Long> out = new LinkedHashMap<>();
    for (Kind kind : Kind.values()) {
      out.put(kind.label, counts[kind.ordinal()]);
    }
    return out;
  }

  /** Names of the tables whose rows were cross-checked against their leaves. */
  List<String> rowCrossChecks() {
    return rowCrossChecks;
  }
}
