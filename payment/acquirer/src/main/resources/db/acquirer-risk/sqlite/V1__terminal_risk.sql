-- Terminal risk sensing (docs/phone-sdk.md, "Risk sensing"). No column holds card data.

-- Nonces issued to terminals for their attestation tokens; used once.
CREATE TABLE risk_nonce (
  nonce        TEXT    PRIMARY KEY,
  terminal_id  TEXT    NOT NULL,
  issued_at_ms INTEGER NOT NULL,
  used         INTEGER NOT NULL
);

-- Per terminal: the highest SE counter seen and where and when its last approved attestation was.
CREATE TABLE risk_terminal (
  terminal_id    TEXT    PRIMARY KEY,
  last_counter   INTEGER NOT NULL,
  latitude_micro INTEGER,
  longitude_micro INTEGER,
  located_at_ms  INTEGER
);

-- An approved attestation admits the terminal's next payment, once, until it expires.
CREATE TABLE risk_approval (
  terminal_id   TEXT    PRIMARY KEY,
  expires_at_ms INTEGER NOT NULL
);

-- Requests the risk check let through (a repeat of one is let through again).
CREATE TABLE risk_admission (
  terminal_id    TEXT    NOT NULL,
  stan           INTEGER NOT NULL,
  transmitted_at TEXT    NOT NULL,
  kind           TEXT    NOT NULL,
  merchant_id    TEXT    NOT NULL,
  amount_minor   INTEGER NOT NULL,
  business_date  TEXT    NOT NULL,
  at_ms          INTEGER NOT NULL,
  PRIMARY KEY (terminal_id, stan, transmitted_at, kind)
);
CREATE INDEX risk_admission_merchant ON risk_admission (merchant_id, at_ms);

-- Every verdict other than a plain admission, with its reason: the durable record.
CREATE TABLE risk_event (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  at_ms       INTEGER NOT NULL,
  terminal_id TEXT    NOT NULL,
  merchant_id TEXT    NOT NULL,
  stage       TEXT    NOT NULL,
  outcome     TEXT    NOT NULL,
  reason      TEXT    NOT NULL,
  detail      TEXT    NOT NULL
);
CREATE INDEX risk_event_terminal ON risk_event (terminal_id, id);
