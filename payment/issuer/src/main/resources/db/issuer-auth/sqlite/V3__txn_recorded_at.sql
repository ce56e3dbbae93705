-- When each transaction row was first written (ms since the epoch), so the issuer's console lists
-- authorisations newest first; rows written before this migration have none and are listed last.
ALTER TABLE issuer_auth_txn ADD COLUMN recorded_at_ms BIGINT;
CREATE INDEX issuer_auth_txn_recorded ON issuer_auth_txn (recorded_at_ms, txn_key);
