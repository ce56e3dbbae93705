-- Clearing of online captures and refunds (docs/online-clearing.md). The log gains what a
-- presentment is matched on: the request's field 7, and for a reversal its original's STAN and
-- field 7 (field 90). Rows logged before this migration have them NULL and match nothing.
ALTER TABLE online_message_log ADD COLUMN transmitted_at VARCHAR(10);
ALTER TABLE online_message_log ADD COLUMN original_stan INTEGER;
ALTER TABLE online_message_log ADD COLUMN original_transmitted_at VARCHAR(10);
CREATE INDEX online_message_log_request ON online_message_log (acquirer, stan, terminal_id);
CREATE INDEX online_message_log_original ON online_message_log (acquirer, original_stan, terminal_id);

-- Every presentment file taken from an acquirer: once per (sender, sequence) and once per content.
CREATE TABLE online_clearing_file (
  id             INTEGER PRIMARY KEY AUTOINCREMENT,
  sender         VARCHAR(16) NOT NULL,
  sequence       BIGINT      NOT NULL,
  business_date  VARCHAR(10) NOT NULL,
  sha256         CHAR(64)    NOT NULL,
  received_at_ms BIGINT      NOT NULL,
  presentments   INTEGER     NOT NULL,
  accepted       INTEGER     NOT NULL,
  UNIQUE (sender, sequence),
  UNIQUE (sha256)
);

-- Each presentment the switch accepted or rejected. The PAN is kept sealed under the store key
-- (the issuer's file carries it), with the masked PAN and the keyed hash beside it.
CREATE TABLE online_presentment (
  acquirer                VARCHAR(16) NOT NULL,
  presentment_id          VARCHAR(40) NOT NULL,
  file_id                 BIGINT      NOT NULL,
  file_line               INTEGER     NOT NULL,
  kind                    CHAR(1)     NOT NULL,
  issuer                  VARCHAR(16),
  business_date           VARCHAR(10) NOT NULL,
  original_mti            CHAR(4)     NOT NULL,
  original_stan           INTEGER     NOT NULL,
  original_transmitted_at VARCHAR(10) NOT NULL,
  original_acquirer_id    VARCHAR(11) NOT NULL,
  original_forwarding_id  VARCHAR(11) NOT NULL,
  rrn                     VARCHAR(12) NOT NULL,
  terminal_id             VARCHAR(8)  NOT NULL,
  merchant_id             VARCHAR(15) NOT NULL,
  pan_masked              VARCHAR(19) NOT NULL,
  pan_hash                VARCHAR(64) NOT NULL,
  pan_sealed              BLOB       NOT NULL,
  amount_minor            BIGINT      NOT NULL,
  currency                CHAR(3)     NOT NULL,
  approval_code           VARCHAR(6)  NOT NULL,
  status                  VARCHAR(24) NOT NULL,
  issuer_status           VARCHAR(24),
  issuer_file_sequence    BIGINT,
  PRIMARY KEY (acquirer, presentment_id)
);
CREATE INDEX online_presentment_original ON online_presentment (acquirer, original_stan, terminal_id);
CREATE INDEX online_presentment_day ON online_presentment (business_date, status, issuer);
CREATE INDEX online_presentment_file ON online_presentment (file_id, file_line);

-- Business days closed to presentments by a settlement run, and whether that run was recorded.
CREATE TABLE online_clearing_day (
  business_date VARCHAR(10) PRIMARY KEY,
  closed_at_ms  BIGINT      NOT NULL,
  settled       INTEGER     NOT NULL DEFAULT 0
);

-- Issuer files written: per issuer a running sequence.
CREATE TABLE online_issuer_file (
  issuer        VARCHAR(16) NOT NULL,
  sequence      BIGINT      NOT NULL,
  business_date VARCHAR(10) NOT NULL,
  presentments  INTEGER     NOT NULL,
  PRIMARY KEY (issuer, sequence)
);
