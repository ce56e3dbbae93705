-- The ledger's rows are insert-only; balances are rebuilt in memory by replaying ledger_entry.
-- No foreign keys: the writer validates every reference in memory before it inserts, and a
-- per-row foreign-key lookup would halve the insert rate.
CREATE TABLE ledger_account (
  id        INTEGER PRIMARY KEY,
  book_id   INTEGER NOT NULL,
  currency  INTEGER NOT NULL,   -- ISO 4217 numeric
  flags     INTEGER NOT NULL    -- bit 0 debits_must_not_exceed_credits, bit 1 credits_must_not_exceed_debits
);

CREATE TABLE ledger_entry (
  seq               INTEGER PRIMARY KEY,      -- history order, from 1, no gaps
  kind              INTEGER NOT NULL,         -- 1 single, 2 pending, 3 post, 4 void, 5 expire
  transfer_id       INTEGER UNIQUE,           -- caller's id; NULL for an expiry
  debit_account_id  INTEGER NOT NULL,
  credit_account_id INTEGER NOT NULL,
  amount_minor      INTEGER NOT NULL,
  pending_id        INTEGER NOT NULL,
  timeout_ms        INTEGER NOT NULL,
  linked            INTEGER NOT NULL,
  book_id           INTEGER NOT NULL,
  currency          INTEGER NOT NULL,
  applied_at_ms     INTEGER NOT NULL,         -- business time of the batch
  audit_index       INTEGER NOT NULL          -- index of this entry's leaf in the audit log
);
