-- The transit operator's back office (docs/clearing-files.md §10): what it must not lose in a crash.

-- Every gate record collected, once per record id, as its journal line (the gate's own format; the
-- gate's journal file holds the same line). upload_seq: the upload that carries it, null while pending.
CREATE TABLE operator_record (
  operator        VARCHAR(16)   NOT NULL,
  terminal_id     VARCHAR(16)   NOT NULL,
  record_sequence BIGINT        NOT NULL,
  business_date   VARCHAR(10)   NOT NULL,
  journal_line    VARCHAR(2048) NOT NULL,
  upload_seq      BIGINT,
  PRIMARY KEY (operator, terminal_id, record_sequence)
);

-- Every offline file built, by file sequence: PREPARED before it is sent, then ACCEPTED (with the
-- switch's figures) or REJECTED (its records pending again). A PREPARED upload found at start-up is
-- sent again: the switch answers a file it already has with its first receipt.
CREATE TABLE operator_upload (
  operator             VARCHAR(16) NOT NULL,
  file_sequence        BIGINT      NOT NULL,
  business_date        VARCHAR(10) NOT NULL,
  status               VARCHAR(16) NOT NULL,
  records_accepted     BIGINT      NOT NULL,
  fares_accepted_minor BIGINT      NOT NULL,
  PRIMARY KEY (operator, file_sequence)
);

-- Settlement reports booked (one per window) and their net position.
CREATE TABLE operator_settlement (
  operator      VARCHAR(16) NOT NULL,
  business_date VARCHAR(10) NOT NULL,
  net_minor     BIGINT      NOT NULL,
  PRIMARY KEY (operator, business_date)
);

-- Chargebacks received (from the switch's notices) and re-presentments sent, once per record and stage.
CREATE TABLE operator_exception (
  operator        VARCHAR(16) NOT NULL,
  terminal_id     VARCHAR(16) NOT NULL,
  record_sequence BIGINT      NOT NULL,
  stage           VARCHAR(16) NOT NULL,
  business_date   VARCHAR(10) NOT NULL,
  reason          VARCHAR(32) NOT NULL,
  fare_minor      BIGINT      NOT NULL,
  file_sequence   BIGINT      NOT NULL,
  PRIMARY KEY (operator, terminal_id, record_sequence, stage)
);

-- The deny lists held, one per issuer: the version and its PANs (comma-separated, ascending).
CREATE TABLE operator_deny_list (
  operator VARCHAR(16) NOT NULL,
  issuer   VARCHAR(16) NOT NULL,
  version  BIGINT      NOT NULL,
  pans     TEXT        NOT NULL,
  PRIMARY KEY (operator, issuer)
);

-- Re-presentment files the operator sent, numbered from 1, one record each. answer is null until
-- the switch answered (ACCEPTED or REFUSED): a file sent without a recorded answer is sent again, as
-- is, after a crash (the switch answers a file it has with its first receipt).
CREATE TABLE operator_sent_exception_file (
  operator        VARCHAR(16) NOT NULL,
  file_sequence   BIGINT      NOT NULL,
  business_date   VARCHAR(10) NOT NULL,
  terminal_id     VARCHAR(16) NOT NULL,
  record_sequence BIGINT      NOT NULL,
  answer          VARCHAR(16),
  PRIMARY KEY (operator, file_sequence)
);
