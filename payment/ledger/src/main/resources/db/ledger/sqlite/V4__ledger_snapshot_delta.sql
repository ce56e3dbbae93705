-- Incremental snapshots (docs/ledger.md, "Start-up"): a snapshot with base_seq > 0 holds only the
-- balances of the accounts that changed since the snapshot at base_seq (zeros included) and every
-- hold open at its seq; its hash covers its base's hash, so it is used only on top of that chain. A
-- snapshot with base_seq = 0 is full, as before.
ALTER TABLE ledger_snapshot ADD COLUMN base_seq INTEGER NOT NULL DEFAULT 0;
