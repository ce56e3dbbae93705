-- Issuer scripts queued for a card's next online transaction; sent_txn names the 0110 that carried it.
CREATE TABLE issuer_auth_script (
  pan_hash VARCHAR(64) NOT NULL,
  seq INTEGER NOT NULL,
  template INTEGER NOT NULL,
  header_hex VARCHAR(8) NOT NULL,
  data_hex VARCHAR(128) NOT NULL,
  sent_txn VARCHAR(64),
  PRIMARY KEY (pan_hash, seq)
);
