-- The switch's durable intake state (docs/clearing-files.md §8). Seen record keys are not stored:
-- they are rebuilt at start-up by replaying the archived files of the days not yet settled, in
-- acceptance order, which reproduces the same de-duplication decisions.
CREATE TABLE switch_accepted_file (
  switch_id     VARCHAR(16)  NOT NULL,
  accepted_seq  BIGINT       NOT NULL,
  sender        VARCHAR(16)  NOT NULL,
  file_sequence BIGINT       NOT NULL,
  sha256        VARCHAR(64)  NOT NULL,
  business_date VARCHAR(10)  NOT NULL,
  archive_name  VARCHAR(200) NOT NULL,
  PRIMARY KEY (switch_id, accepted_seq),
  UNIQUE (switch_id, sender, file_sequence)
);

CREATE TABLE switch_settled_day (
  switch_id     VARCHAR(16) NOT NULL,
  business_date VARCHAR(10) NOT NULL,
  PRIMARY KEY (switch_id, business_date)
);

CREATE TABLE switch_clearing_sequence (
  switch_id VARCHAR(16) NOT NULL,
  issuer    VARCHAR(16) NOT NULL,
  last_sequence BIGINT  NOT NULL,
  PRIMARY KEY (switch_id, issuer)
);
