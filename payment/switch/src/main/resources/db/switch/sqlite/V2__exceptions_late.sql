-- Late presentments and exceptions (docs/clearing-files.md §8-9).
-- A file for a day already settled is accepted into the window open at the time (the day after the
-- last settled one): window_date records it, so recovery replays the file into that window. Files of
-- their own day have window_date = business_date. The receipt's figures are kept so that a
-- re-upload is answered with them (an operator that crashed before booking learns what to book).
ALTER TABLE switch_accepted_file ADD COLUMN window_date VARCHAR(10);
ALTER TABLE switch_accepted_file ADD COLUMN records_accepted BIGINT NOT NULL DEFAULT 0;
ALTER TABLE switch_accepted_file ADD COLUMN records_refused BIGINT NOT NULL DEFAULT 0;
ALTER TABLE switch_accepted_file ADD COLUMN fares_accepted_minor BIGINT NOT NULL DEFAULT 0;

-- Exception files accepted (issuers' chargebacks, operators' re-presentments): a replay changes
-- nothing and is answered with the file's first receipt (lines accepted and refused, amount).
CREATE TABLE switch_exception_file (
  switch_id      VARCHAR(16) NOT NULL,
  sender         VARCHAR(16) NOT NULL,
  file_sequence  BIGINT      NOT NULL,
  business_date  VARCHAR(10) NOT NULL,
  lines_accepted BIGINT      NOT NULL,
  lines_refused  BIGINT      NOT NULL,
  amount_minor   BIGINT      NOT NULL,
  PRIMARY KEY (switch_id, sender, file_sequence)
);

-- One row per dispute step accepted; the key allows one chargeback and one re-presentment per
-- record. window_date is null until a settlement window nets it, and is set in the same transaction
-- that marks the window settled.
CREATE TABLE switch_exception (
  switch_id       VARCHAR(16)  NOT NULL,
  exception_seq   BIGINT       NOT NULL,
  operator        VARCHAR(16)  NOT NULL,
  terminal_id     VARCHAR(16)  NOT NULL,
  record_sequence BIGINT       NOT NULL,
  stage           VARCHAR(16)  NOT NULL,
  issuer          VARCHAR(16)  NOT NULL,
  business_date   VARCHAR(10)  NOT NULL,
  pan             VARCHAR(19)  NOT NULL,
  pan_sequence    INTEGER      NOT NULL,
  atc             INTEGER      NOT NULL,
  fare_minor      BIGINT       NOT NULL,
  reason          VARCHAR(32)  NOT NULL,
  evidence        VARCHAR(120) NOT NULL,
  window_date     VARCHAR(10),
  PRIMARY KEY (switch_id, operator, terminal_id, record_sequence, stage),
  UNIQUE (switch_id, exception_seq)
);
