-- The audit log: one row per Merkle leaf, signed checkpoints, and the public keys that sign them.
-- SQLite variant; keep it in step with ../postgresql/V1__audit_log.sql.
CREATE TABLE audit_log_info (
  id         INTEGER PRIMARY KEY CHECK (id = 1),
  suite      TEXT    NOT NULL,
  created_ms INTEGER NOT NULL
);

-- leaf_index is the rowid (INTEGER PRIMARY KEY), so leaves are stored in index order.
-- chain_hash = H(0x02 || chain_hash[i-1] || leaf hash): not a security mechanism (the signed
-- checkpoints are); it lets the verifier name the first damaged or moved row.
CREATE TABLE audit_leaf (
  leaf_index INTEGER PRIMARY KEY,
  entry      BLOB    NOT NULL,
  chain_hash BLOB    NOT NULL
);

CREATE TABLE audit_key (
  key_id     TEXT PRIMARY KEY,
  suite      TEXT NOT NULL,
  public_key BLOB NOT NULL
);

CREATE TABLE audit_checkpoint (
  checkpoint_number INTEGER PRIMARY KEY,
  tree_size         INTEGER NOT NULL,
  root_hash         BLOB    NOT NULL,
  timestamp_ms      INTEGER NOT NULL,
  suite             TEXT    NOT NULL,
  key_id            TEXT    NOT NULL,
  signature         BLOB    NOT NULL
);
