-- The audit log: one row per Merkle leaf, signed checkpoints, and the public keys that sign them.
-- PostgreSQL variant; keep it in step with ../sqlite/V1__audit_log.sql.
CREATE TABLE audit_log_info (
  id         INTEGER PRIMARY KEY CHECK (id = 1),
  suite      TEXT    NOT NULL,
  created_ms BIGINT  NOT NULL
);

-- chain_hash = H(0x02 || chain_hash[i-1] || leaf hash): not a security mechanism (the signed
-- checkpoints are); it lets the verifier name the first damaged or moved row.
CREATE TABLE audit_leaf (
  leaf_index BIGINT PRIMARY KEY,
  entry      BYTEA  NOT NULL,
  chain_hash BYTEA  NOT NULL
);

CREATE TABLE audit_key (
  key_id     TEXT  PRIMARY KEY,
  suite      TEXT  NOT NULL,
  public_key BYTEA NOT NULL
);

CREATE TABLE audit_checkpoint (
  checkpoint_number BIGINT PRIMARY KEY,
  tree_size         BIGINT NOT NULL,
  root_hash         BYTEA  NOT NULL,
  timestamp_ms      BIGINT NOT NULL,
  suite             TEXT   NOT NULL,
  key_id            TEXT   NOT NULL,
  signature         BYTEA  NOT NULL
);
