-- Fares are posted to the ledger as one transfer per rider account per clearing chunk
-- (docs/bench-clearing.md, ARCHITECTURE.md "issue 4"): each cleared record names the transfer
-- that carried its fare, and each such transfer is recorded here before it is submitted, so a
-- crash in between is completed at start-up (state PLANNED -> POSTED, or ARREARS when refused).
ALTER TABLE issuer_cleared ADD COLUMN transfer_id BIGINT;
CREATE TABLE issuer_fare_posting (
  transfer_id BIGINT PRIMARY KEY,
  account_id BIGINT NOT NULL,
  amount_minor BIGINT NOT NULL,
  records INTEGER NOT NULL,
  state VARCHAR(8) NOT NULL
);
