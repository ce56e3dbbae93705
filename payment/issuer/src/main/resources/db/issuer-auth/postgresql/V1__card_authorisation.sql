-- Card authorisation host (docs/issuer-authorisation.md): cards by keyed PAN hash, the answer and
-- state of every transaction by its message key, and reversals that came before their original.
CREATE TABLE issuer_auth_card (
  pan_hash VARCHAR(64) PRIMARY KEY,
  pan_masked VARCHAR(19) NOT NULL,
  pan_sequence INTEGER NOT NULL,
  status VARCHAR(16) NOT NULL,
  expiry_yymm VARCHAR(4) NOT NULL,
  key_label VARCHAR(64) NOT NULL,
  account_id BIGINT NOT NULL,
  daily_count_max INTEGER NOT NULL,
  daily_amount_max_minor BIGINT NOT NULL
);
CREATE TABLE issuer_auth_txn (
  txn_key VARCHAR(64) PRIMARY KEY,
  kind VARCHAR(8) NOT NULL,
  pan_hash VARCHAR(64) NOT NULL,
  business_day VARCHAR(10) NOT NULL,
  amount_minor BIGINT NOT NULL,
  transfer_id BIGINT NOT NULL,
  state VARCHAR(12) NOT NULL,
  response_code VARCHAR(2) NOT NULL,
  approval_code VARCHAR(6),
  icc_hex VARCHAR(1024)
);
CREATE INDEX issuer_auth_txn_card_day ON issuer_auth_txn (pan_hash, business_day);
CREATE TABLE issuer_auth_reversed (
  txn_key VARCHAR(64) PRIMARY KEY
);
CREATE TABLE issuer_auth_refund (
  refund_id VARCHAR(64) PRIMARY KEY,
  txn_key VARCHAR(64) NOT NULL,
  amount_minor BIGINT NOT NULL
);
