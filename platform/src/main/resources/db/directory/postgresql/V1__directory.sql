-- What an operator of `iotpay serve` creates through the HTTP API and a restart must keep:
-- merchants, users (their bearer token only as its SHA-256) and who holds which ledger account.
CREATE TABLE platform_merchant (
  merchant_id            VARCHAR(64)  PRIMARY KEY,
  name                   VARCHAR(512) NOT NULL,
  category               VARCHAR(4)   NOT NULL,   -- ISO 18245, four digits
  settlement_account_id  BIGINT       NOT NULL,
  latitude_deg           DOUBLE PRECISION,        -- both null for a merchant without a place
  longitude_deg          DOUBLE PRECISION
);
CREATE TABLE platform_user (
  user_id       VARCHAR(64) PRIMARY KEY,
  token_sha256  CHAR(64)    NOT NULL UNIQUE,   -- hex SHA-256 of the bearer token; the token itself is never stored
  created_at_ms BIGINT      NOT NULL
);
CREATE TABLE platform_account_owner (
  account_id  BIGINT      PRIMARY KEY,
  user_id     VARCHAR(64),                     -- null: an account no user holds (a merchant's settlement account)
  currency    VARCHAR(3)  NOT NULL
);
