-- Mandates: a user's binding of a device to a payment account and its terms. Usage per day and
-- month is not stored: it is rebuilt at start-up from the approved payments (platform_payment),
-- which commit with their decisions, so it can never disagree with them.
CREATE TABLE platform_mandate (
  id                 TEXT    PRIMARY KEY,
  user_id            TEXT    NOT NULL,
  device_id          TEXT    NOT NULL,
  account_id         INTEGER NOT NULL,
  currency           INTEGER NOT NULL,   -- ISO 4217 numeric of every limit
  per_payment_minor  INTEGER NOT NULL,
  per_day_minor      INTEGER NOT NULL,
  per_month_minor    INTEGER NOT NULL,
  threshold_minor    INTEGER NOT NULL,
  merchants          TEXT    NOT NULL,   -- allowed merchant ids, sorted, comma-separated
  categories         TEXT    NOT NULL,   -- allowed merchant category codes, sorted, comma-separated
  status             TEXT    NOT NULL,   -- ACTIVE, SUSPENDED, REVOKED
  bound_at_ms        INTEGER NOT NULL
);
