-- What an operator of `iotpay serve` creates through the HTTP API and a restart must keep:
-- merchants, users (their bearer token only as its SHA-256) and who holds which ledger account.
CREATE TABLE platform_merchant (
  merchant_id            TEXT    PRIMARY KEY,
  name                   TEXT    NOT NULL,
  category               TEXT    NOT NULL,   -- ISO 18245, four digits
  settlement_account_id  INTEGER NOT NULL,
  latitude_deg           REAL,               -- both null for a merchant without a place
  longitude_deg          REAL
);
CREATE TABLE platform_user (
  user_id       TEXT    PRIMARY KEY,
  token_sha256  TEXT    NOT NULL UNIQUE,   -- hex SHA-256 of the bearer token; the token itself is never stored
  created_at_ms INTEGER NOT NULL
);
CREATE TABLE platform_account_owner (
  account_id  INTEGER PRIMARY KEY,
  user_id     TEXT,                        -- null: an account no user holds (a merchant's settlement account)
  currency    TEXT    NOT NULL
);
