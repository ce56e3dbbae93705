-- Payment decisions (every version) and approved payments of the platform (docs/platform-decisions.md).
-- A decision row and its audit leaf are written in one transaction; entry is the leaf's bytes
-- (DecisionCodec, version 1), so the row can be checked against the audit log at start-up.
CREATE TABLE platform_decision (
  device_id    TEXT    NOT NULL,
  counter      INTEGER NOT NULL,
  version      INTEGER NOT NULL,    -- 0 first decision, 1 the user's answer
  audit_index  INTEGER NOT NULL UNIQUE,
  entry        BLOB    NOT NULL,
  PRIMARY KEY (device_id, counter, version)
);

CREATE TABLE platform_payment (
  device_id          TEXT    NOT NULL,
  counter            INTEGER NOT NULL,
  hold_transfer_id   INTEGER NOT NULL UNIQUE,
  debit_account_id   INTEGER NOT NULL,
  credit_account_id  INTEGER NOT NULL,
  amount_minor       INTEGER NOT NULL,
  currency           INTEGER NOT NULL,  -- ISO 4217 numeric
  state              TEXT    NOT NULL,  -- HELD, CAPTURED, VOIDED, EXPIRED
  PRIMARY KEY (device_id, counter)
);
