-- Mandates: a user's binding of a device to a payment account and its terms. Usage per day and
-- month is not stored: it is rebuilt at start-up from the approved payments (platform_payment),
-- which commit with their decisions, so it can never disagree with them.
CREATE TABLE platform_mandate (
  id                 VARCHAR(64) PRIMARY KEY,
  user_id            VARCHAR(64) NOT NULL,
  device_id          VARCHAR(64) NOT NULL,
  account_id         BIGINT  NOT NULL,
  currency           INTEGER NOT NULL,   -- ISO 4217 numeric of every limit
  per_payment_minor  BIGINT  NOT NULL,
  per_day_minor      BIGINT  NOT NULL,
  per_month_minor    BIGINT  NOT NULL,
  threshold_minor    BIGINT  NOT NULL,
  merchants          TEXT    NOT NULL,   -- allowed merchant ids, sorted, comma-separated
  categories         TEXT    NOT NULL,   -- allowed merchant category codes, sorted, comma-separated
  status             VARCHAR(16) NOT NULL,   -- ACTIVE, SUSPENDED, REVOKED
  bound_at_ms        BIGINT  NOT NULL
);
