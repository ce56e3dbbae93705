-- Issuer card registry, rider accounts, cleared card transactions and deny list (docs/issuer.md).
CREATE TABLE issuer_card (
  pan VARCHAR(19) PRIMARY KEY,
  pan_sequence INTEGER NOT NULL,
  suite VARCHAR(16) NOT NULL,
  account_id BIGINT NOT NULL,
  status VARCHAR(16) NOT NULL,
  push_atc INTEGER NOT NULL,
  quota_known_minor BIGINT NOT NULL,
  quota_configured_minor BIGINT NOT NULL,
  last_atc INTEGER NOT NULL
);
CREATE TABLE issuer_account (
  account_id BIGINT PRIMARY KEY,
  kind VARCHAR(8) NOT NULL,
  credit_limit_minor BIGINT NOT NULL
);
CREATE TABLE issuer_cleared (
  pan VARCHAR(19) NOT NULL,
  pan_sequence INTEGER NOT NULL,
  atc INTEGER NOT NULL,
  outcome VARCHAR(24) NOT NULL,
  fare_minor BIGINT NOT NULL,
  PRIMARY KEY (pan, pan_sequence, atc)
);
CREATE TABLE issuer_deny (
  pan VARCHAR(19) PRIMARY KEY,
  version BIGINT NOT NULL
);
