-- The wallet issuer's day-end state (docs/wallet.md §3.3), so a restart forgets nothing: the day
-- files taken, each offline debit cleared once by (card id, counter), loads, debts owed, blocked and
-- mismatched cards, the list version and the debts recovered. Card ids are 16 hex digits.
-- Keyed tables are WITHOUT ROWID: one B-tree per table, as issuer V3 explains.
CREATE TABLE wallet_day_file (
  sender VARCHAR(64) NOT NULL,
  business_date VARCHAR(10) NOT NULL,
  sequence BIGINT NOT NULL,
  digest BLOB NOT NULL,
  PRIMARY KEY (sender, business_date, sequence)
) WITHOUT ROWID;

CREATE TABLE wallet_cleared (
  card_id VARCHAR(16) NOT NULL,
  counter BIGINT NOT NULL,
  offline_minor BIGINT NOT NULL,
  balance_after_minor BIGINT NOT NULL,
  PRIMARY KEY (card_id, counter)
) WITHOUT ROWID;

CREATE TABLE wallet_load (
  load_id BIGINT PRIMARY KEY,
  card_id VARCHAR(16) NOT NULL,
  counter_at_load BIGINT NOT NULL,
  credited_minor BIGINT NOT NULL
);

-- One row per failed online part of a card: what is still owed to its merchant.
CREATE TABLE wallet_debt (
  card_id VARCHAR(16) NOT NULL,
  counter BIGINT NOT NULL,
  owed_minor BIGINT NOT NULL,
  merchant_account BIGINT NOT NULL,
  PRIMARY KEY (card_id, counter)
) WITHOUT ROWID;

-- mark: BLOCKED or MISMATCHED; mark_order keeps the order the cards were marked in (the list's order).
CREATE TABLE wallet_card_mark (
  card_id VARCHAR(16) NOT NULL,
  mark VARCHAR(10) NOT NULL,
  mark_order BIGINT NOT NULL,
  PRIMARY KEY (card_id, mark)
) WITHOUT ROWID;

CREATE TABLE wallet_day_end_state (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  list_version BIGINT NOT NULL,
  debts_recovered_minor BIGINT NOT NULL
);
INSERT INTO wallet_day_end_state (id, list_version, debts_recovered_minor) VALUES (1, 0, 0);

-- Each ledger transfer of the day end, recorded PLANNED in the same transaction as the records it
-- carries, before it is submitted; its transfer id is derived from posting_id, so submitting it again
-- after a crash is a repeat the ledger answers OK without applying it twice. POSTED once the ledger answered.
CREATE TABLE wallet_posting (
  posting_id BIGINT PRIMARY KEY,
  debit_account BIGINT NOT NULL,
  credit_account BIGINT NOT NULL,
  amount_minor BIGINT NOT NULL,
  state VARCHAR(8) NOT NULL
);
CREATE INDEX wallet_posting_planned ON wallet_posting (state) WHERE state = 'PLANNED';
