-- The online switch's records (docs/switch-online.md). No column holds a full PAN: the log keeps
-- the masked PAN and a keyed hash; the advice queue keeps the advice sealed under the store key.

-- Append-only: written in batches by one writer thread, never updated.
CREATE TABLE online_message_log (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  logged_at_ms  BIGINT      NOT NULL,
  acquirer      VARCHAR(16) NOT NULL,
  issuer        VARCHAR(16),
  request_mti   CHAR(4)     NOT NULL,
  response_mti  CHAR(4),
  stan          INTEGER     NOT NULL,
  rrn           VARCHAR(12) NOT NULL,
  terminal_id   VARCHAR(8)  NOT NULL,
  pan_masked    VARCHAR(19) NOT NULL,
  pan_hash      VARCHAR(64) NOT NULL,
  amount_minor  BIGINT      NOT NULL,
  currency      CHAR(3)     NOT NULL,
  response_code VARCHAR(2),
  approval_code VARCHAR(6),
  answered_by   VARCHAR(16) NOT NULL,
  issuer_ms     BIGINT,
  total_ms      BIGINT      NOT NULL
);

-- Stand-in approvals: the exposure the switch took on the issuer's behalf (released by a reversal).
CREATE TABLE online_stip_approval (
  id             INTEGER PRIMARY KEY AUTOINCREMENT,
  issuer         VARCHAR(16) NOT NULL,
  pan_hash       VARCHAR(64) NOT NULL,
  business_date  VARCHAR(10) NOT NULL,
  amount_minor   BIGINT      NOT NULL,
  currency       CHAR(3)     NOT NULL,
  acquirer_id    VARCHAR(11) NOT NULL,
  terminal_id    VARCHAR(8)  NOT NULL,
  stan           INTEGER     NOT NULL,
  transmitted_at VARCHAR(10) NOT NULL,
  approval_code  VARCHAR(6)  NOT NULL,
  released       INTEGER     NOT NULL DEFAULT 0,
  UNIQUE (acquirer_id, terminal_id, stan, transmitted_at)
);
CREATE INDEX online_stip_card_day ON online_stip_approval (issuer, business_date, pan_hash);

-- The store-and-forward queue: delivered in seq order per issuer, marked on acknowledgement.
CREATE TABLE online_advice (
  seq             INTEGER PRIMARY KEY AUTOINCREMENT,
  issuer          VARCHAR(16) NOT NULL,
  mti             CHAR(4)     NOT NULL,
  stan            INTEGER     NOT NULL,
  terminal_id     VARCHAR(8)  NOT NULL,
  sealed          BLOB        NOT NULL,
  queued_at_ms    BIGINT      NOT NULL,
  attempts        INTEGER     NOT NULL DEFAULT 0,
  delivered_at_ms BIGINT
);
CREATE INDEX online_advice_pending ON online_advice (issuer, delivered_at_ms, seq);

-- Late issuer answers that disagree with the stand-in decision: for chargeback or adjustment.
CREATE TABLE online_stip_exception (
  id             INTEGER PRIMARY KEY AUTOINCREMENT,
  recorded_at_ms BIGINT      NOT NULL,
  issuer         VARCHAR(16) NOT NULL,
  kind           VARCHAR(32) NOT NULL,
  acquirer_id    VARCHAR(11) NOT NULL,
  terminal_id    VARCHAR(8)  NOT NULL,
  stan           INTEGER     NOT NULL,
  rrn            VARCHAR(12) NOT NULL,
  pan_hash       VARCHAR(64) NOT NULL,
  amount_minor   BIGINT      NOT NULL,
  currency       CHAR(3)     NOT NULL,
  stand_in_code  VARCHAR(2)  NOT NULL,
  issuer_code    VARCHAR(2)  NOT NULL
);
