-- The switch process's settlement windows (docs/console.md, "The switch's console"): closing business
-- day T nets its accepted presentments once; the window and each participant's gross and net
-- position are stored here, so closing again returns the same window and never nets twice.
CREATE TABLE online_settlement_window (
  business_date VARCHAR(10) PRIMARY KEY,
  window_id     VARCHAR(24) NOT NULL,
  currency      CHAR(3)     NOT NULL,
  records       BIGINT      NOT NULL,
  state         VARCHAR(12) NOT NULL,
  closed_by     VARCHAR(64) NOT NULL,
  closed_at_ms  BIGINT      NOT NULL,
  UNIQUE (window_id)
);

-- One row per participant of a window: what it pays and receives gross, and its net (receives - pays).
CREATE TABLE online_settlement_position (
  business_date  VARCHAR(10) NOT NULL,
  party          VARCHAR(16) NOT NULL,
  role           VARCHAR(8)  NOT NULL,
  pays_minor     BIGINT      NOT NULL,
  receives_minor BIGINT      NOT NULL,
  net_minor      BIGINT      NOT NULL,
  PRIMARY KEY (business_date, party)
);

-- Every clearing file the switch process received (taken, replayed or refused, and why) or sent.
CREATE TABLE online_file_event (
  id            BIGSERIAL PRIMARY KEY,
  at_ms         BIGINT       NOT NULL,
  direction     VARCHAR(8)   NOT NULL,
  kind          VARCHAR(24)  NOT NULL,
  file_name     VARCHAR(255) NOT NULL,
  party         VARCHAR(16),
  business_date VARCHAR(10),
  sequence      BIGINT,
  signer        VARCHAR(64)  NOT NULL,
  outcome       VARCHAR(16)  NOT NULL,
  reason        VARCHAR(255),
  records       INTEGER      NOT NULL,
  accepted      INTEGER      NOT NULL
);
CREATE INDEX online_file_event_direction ON online_file_event (direction, id);
