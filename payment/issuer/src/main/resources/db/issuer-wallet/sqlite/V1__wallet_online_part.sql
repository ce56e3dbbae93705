-- The answers to the online parts the POSes push (docs/wallet.md §2.3), one row per (card id, counter);
-- outcome stays NULL until the ledger answered. IF NOT EXISTS: issuers from before this migration
-- created the same table at start.
CREATE TABLE IF NOT EXISTS wallet_online_part (
  row_id INTEGER PRIMARY KEY,
  card_id TEXT NOT NULL,
  counter BIGINT NOT NULL,
  part BLOB NOT NULL,
  amount_minor BIGINT NOT NULL,
  outcome TEXT,
  UNIQUE (card_id, counter)
);
