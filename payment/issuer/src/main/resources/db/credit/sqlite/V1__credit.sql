-- Credit evaluation of wallet cardholders (docs/credit.md). Dates are epoch days (days since
-- 1970-01-01, as java.time.LocalDate.toEpochDay()); amounts are minor units of the cardholder's currency.
CREATE TABLE credit_cardholder (
  cardholder_id BIGINT PRIMARY KEY,
  currency VARCHAR(3) NOT NULL,
  issued_day INTEGER NOT NULL
) WITHOUT ROWID;

-- One row per cardholder and business day with a purchase, a load or a change of the online balance.
CREATE TABLE credit_day_fact (
  cardholder_id BIGINT NOT NULL,
  business_day INTEGER NOT NULL,
  purchases INTEGER NOT NULL,
  purchases_minor BIGINT NOT NULL,
  loads INTEGER NOT NULL,
  loads_minor BIGINT NOT NULL,
  loads_auto INTEGER NOT NULL,
  online_balance_minor BIGINT NOT NULL,
  PRIMARY KEY (cardholder_id, business_day)
) WITHOUT ROWID;

-- Online parts of split payments that failed definitively; recovered_day stays NULL while the debt is outstanding.
CREATE TABLE credit_failed_part (
  cardholder_id BIGINT NOT NULL,
  part_id BIGINT NOT NULL,
  failed_day INTEGER NOT NULL,
  amount_minor BIGINT NOT NULL,
  recovered_day INTEGER,
  PRIMARY KEY (cardholder_id, part_id)
) WITHOUT ROWID;

-- Ratings waiting for (or written at) the card's next tap; written_at_ms is set when the card confirms.
CREATE TABLE credit_rating (
  cardholder_id BIGINT NOT NULL,
  business_day INTEGER NOT NULL,
  scorecard_version INTEGER NOT NULL,
  score INTEGER NOT NULL,
  band VARCHAR(1) NOT NULL,
  allowance_minor BIGINT NOT NULL,
  currency VARCHAR(3) NOT NULL,
  split_kinds_mask INTEGER NOT NULL,
  reason_codes VARCHAR(32) NOT NULL,
  written_at_ms BIGINT,
  PRIMARY KEY (cardholder_id, business_day)
) WITHOUT ROWID;

-- Completed nightly runs: a rerun of a completed date returns this row and writes nothing.
CREATE TABLE credit_run (
  business_day INTEGER PRIMARY KEY,
  scorecard_version INTEGER NOT NULL,
  cardholders BIGINT NOT NULL,
  band_a BIGINT NOT NULL,
  band_b BIGINT NOT NULL,
  band_c BIGINT NOT NULL,
  band_d BIGINT NOT NULL,
  band_e BIGINT NOT NULL,
  completed_at_ms BIGINT NOT NULL
);
