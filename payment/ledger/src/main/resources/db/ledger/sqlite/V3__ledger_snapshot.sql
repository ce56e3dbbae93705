-- Start-up from a snapshot plus the tail (docs/ledger.md, "Start-up"). A snapshot holds, as of the
-- entry seq it names, every account whose balances are not all zero and the seqs of the holds still
-- open; hash is SHA-256 over its canonical form and the canonical bytes of entry seq, so a snapshot
-- that was edited, or that belongs to another history, is not used. Written in one transaction.
CREATE TABLE ledger_snapshot (
  seq            INTEGER PRIMARY KEY,   -- last entry the snapshot includes
  balance_count  INTEGER NOT NULL,
  hold_count     INTEGER NOT NULL,
  written_at_ms  INTEGER NOT NULL,      -- wall clock, for operators only
  hash           BLOB NOT NULL
);

CREATE TABLE ledger_snapshot_balance (
  snapshot_seq           INTEGER NOT NULL,
  account_id             INTEGER NOT NULL,
  debits_pending_minor   INTEGER NOT NULL,
  debits_posted_minor    INTEGER NOT NULL,
  credits_pending_minor  INTEGER NOT NULL,
  credits_posted_minor   INTEGER NOT NULL,
  PRIMARY KEY (snapshot_seq, account_id)
);

CREATE TABLE ledger_snapshot_hold (
  snapshot_seq  INTEGER NOT NULL,
  entry_seq     INTEGER NOT NULL,      -- seq of the PENDING entry of a hold open at snapshot_seq
  PRIMARY KEY (snapshot_seq, entry_seq)
);

-- Resolutions by the hold they resolve: answers "already posted / voided / expired" for a hold no
-- longer in memory. Partial, so single-phase and pending entries (pending_id 0) cost nothing.
CREATE INDEX ledger_entry_pending_id ON ledger_entry (pending_id) WHERE pending_id <> 0;
