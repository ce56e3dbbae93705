-- Merchant onboarding at the acquirer (io.iotpay.acquirer.pos). Owners' identity numbers are kept
-- only masked and as a keyed hash (owner_id_hash); settlement account numbers in full (the acquirer pays into them).
CREATE TABLE pos_merchant (
  merchant_id         TEXT    NOT NULL PRIMARY KEY,
  state               TEXT    NOT NULL,
  legal_name          TEXT    NOT NULL,
  legal_name_folded   TEXT    NOT NULL,
  licence_number      TEXT    NOT NULL,
  owner_id_masked     TEXT    NOT NULL,
  owner_id_hash       BLOB    NOT NULL,
  mcc                 TEXT    NOT NULL,
  address             TEXT    NOT NULL,
  bank_id             TEXT    NOT NULL,
  account_number      TEXT    NOT NULL,
  registered_at_ms    INTEGER NOT NULL,
  state_changed_at_ms INTEGER NOT NULL,
  state_reason        TEXT    NOT NULL
);
CREATE INDEX pos_merchant_licence ON pos_merchant (licence_number);
CREATE INDEX pos_merchant_state ON pos_merchant (state, merchant_id);

CREATE TABLE pos_request (
  request_id  TEXT NOT NULL PRIMARY KEY,
  merchant_id TEXT NOT NULL REFERENCES pos_merchant (merchant_id),
  fingerprint BLOB NOT NULL
);

CREATE TABLE pos_finding (
  merchant_id   TEXT    NOT NULL REFERENCES pos_merchant (merchant_id),
  seq           INTEGER NOT NULL,
  check_name    TEXT    NOT NULL,
  verdict       TEXT    NOT NULL,
  reason        TEXT    NOT NULL,
  checked_at_ms INTEGER NOT NULL,
  PRIMARY KEY (merchant_id, seq)
);

CREATE TABLE pos_terminal (
  terminal_id         TEXT    NOT NULL PRIMARY KEY,
  merchant_id         TEXT    NOT NULL REFERENCES pos_merchant (merchant_id),
  suite               TEXT    NOT NULL,
  state               TEXT    NOT NULL,
  certificate_der     BLOB    NOT NULL,
  enrolled_at_ms      INTEGER NOT NULL,
  state_changed_at_ms INTEGER NOT NULL,
  state_reason        TEXT    NOT NULL
);
CREATE INDEX pos_terminal_merchant ON pos_terminal (merchant_id, terminal_id);

-- Every state change; audit_index is its leaf in the audit log (ledger.audit), written in the same transaction.
CREATE TABLE pos_event (
  event_id     INTEGER PRIMARY KEY AUTOINCREMENT,
  subject_kind TEXT    NOT NULL,
  subject_id   TEXT    NOT NULL,
  from_state   TEXT    NOT NULL,
  to_state     TEXT    NOT NULL,
  actor        TEXT    NOT NULL,
  at_ms        INTEGER NOT NULL,
  reason       TEXT    NOT NULL,
  audit_index  INTEGER NOT NULL
);
CREATE INDEX pos_event_subject ON pos_event (subject_kind, subject_id, event_id);
