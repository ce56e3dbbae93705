-- Cards and cleared card transactions become WITHOUT ROWID tables: each is then ONE B-tree keyed by
-- its primary key, instead of a rowid table plus a separate primary-key index written beside it.
-- Clearing writes a row per card transaction and updates a row per card (docs/bench-clearing.md),
-- so every insert and update touches half the pages it did. PostgreSQL has no such choice (heap
-- and index always), so this migration is SQLite's only.
CREATE TABLE issuer_card_keyed (
  pan VARCHAR(19) PRIMARY KEY,
  pan_sequence INTEGER NOT NULL,
  suite VARCHAR(16) NOT NULL,
  account_id BIGINT NOT NULL,
  status VARCHAR(16) NOT NULL,
  push_atc INTEGER NOT NULL,
  quota_known_minor BIGINT NOT NULL,
  quota_configured_minor BIGINT NOT NULL,
  last_atc INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO issuer_card_keyed SELECT pan, pan_sequence, suite, account_id, status, push_atc, quota_known_minor,
  quota_configured_minor, last_atc FROM issuer_card;
DROP TABLE issuer_card;
ALTER TABLE issuer_card_keyed RENAME TO issuer_card;

CREATE TABLE issuer_cleared_keyed (
  pan VARCHAR(19) NOT NULL,
  pan_sequence INTEGER NOT NULL,
  atc INTEGER NOT NULL,
  outcome VARCHAR(24) NOT NULL,
  fare_minor BIGINT NOT NULL,
  transfer_id BIGINT,
  PRIMARY KEY (pan, pan_sequence, atc)
) WITHOUT ROWID;
INSERT INTO issuer_cleared_keyed SELECT pan, pan_sequence, atc, outcome, fare_minor, transfer_id FROM issuer_cleared;
DROP TABLE issuer_cleared;
ALTER TABLE issuer_cleared_keyed RENAME TO issuer_cleared;
