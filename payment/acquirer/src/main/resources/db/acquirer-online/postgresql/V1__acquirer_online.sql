-- The acquirer's online host (docs/acquirer-online.md).

-- Merchants that have transacted: their field 42 and their payable account in the acquirer's ledger.
CREATE TABLE online_merchant (
  seq           BIGINT  PRIMARY KEY,
  merchant_id   TEXT    NOT NULL UNIQUE,
  acceptor_id   TEXT    NOT NULL UNIQUE,
  account_id    BIGINT  NOT NULL UNIQUE,
  created_at_ms BIGINT  NOT NULL
);

-- One row per terminal request (0100 purchase, 0200 refund), written before it is forwarded.
-- request_bytes: the message as forwarded, response_bytes: the terminal's answer, both ISO 8583 without
-- MAC and sealed (RecordSeal: AES or SM4 CBC + CMAC), as is a reversal's message_bytes: no column holds a
-- PAN in clear (pan_masked is first 6 and last 4).
CREATE TABLE online_request (
  id             BIGSERIAL PRIMARY KEY,
  terminal_id    TEXT    NOT NULL,
  stan           INTEGER NOT NULL,
  transmitted_at TEXT    NOT NULL,
  mti            TEXT    NOT NULL,
  kind           TEXT    NOT NULL,
  merchant_id    TEXT    NOT NULL,
  business_date  TEXT    NOT NULL,
  rrn            TEXT    NOT NULL,
  pan_masked     TEXT    NOT NULL,
  amount_minor   BIGINT  NOT NULL,
  currency       TEXT    NOT NULL,
  state          TEXT    NOT NULL,
  response_code  TEXT,
  approval_code  TEXT,
  original_id    BIGINT  REFERENCES online_request (id),
  request_bytes  BYTEA    NOT NULL,
  response_bytes BYTEA,
  created_at_ms  BIGINT  NOT NULL,
  updated_at_ms  BIGINT  NOT NULL,
  UNIQUE (terminal_id, stan, transmitted_at, mti)
);
CREATE INDEX online_request_day ON online_request (business_date, state);
CREATE INDEX online_request_rrn ON online_request (terminal_id, rrn);

-- The store-and-forward queue of reversals: at most one per request, sent until an 0410 comes.
CREATE TABLE online_reversal (
  id              BIGSERIAL PRIMARY KEY,
  request_id      BIGINT  NOT NULL UNIQUE REFERENCES online_request (id),
  reason          TEXT    NOT NULL,
  message_bytes   BYTEA    NOT NULL,
  queued_at_ms    BIGINT  NOT NULL,
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_try_ms     BIGINT  NOT NULL,
  acked_at_ms     BIGINT ,
  response_code   TEXT
);
CREATE INDEX online_reversal_due ON online_reversal (acked_at_ms, next_try_ms);

-- Closed business days.
CREATE TABLE online_batch (
  business_date TEXT    PRIMARY KEY,
  closed_at_ms  BIGINT  NOT NULL
);

-- What each closed day presents for clearing.
CREATE TABLE online_presentment (
  presentment_id TEXT    PRIMARY KEY,
  business_date  TEXT    NOT NULL REFERENCES online_batch (business_date),
  request_id     BIGINT  NOT NULL UNIQUE REFERENCES online_request (id),
  kind           TEXT    NOT NULL,
  merchant_id    TEXT    NOT NULL,
  amount_minor   BIGINT  NOT NULL
);

-- T+1 merchant payouts, one per merchant and day; posted = 1 once the ledger took both transfers.
CREATE TABLE online_payout (
  business_date    TEXT    NOT NULL,
  merchant_id      TEXT    NOT NULL,
  account_id       BIGINT  NOT NULL,
  captured_minor   BIGINT  NOT NULL,
  refunded_minor   BIGINT  NOT NULL,
  mdr_minor        BIGINT  NOT NULL,
  net_minor        BIGINT  NOT NULL,
  net_transfer_id  BIGINT  NOT NULL UNIQUE,
  mdr_transfer_id  BIGINT  NOT NULL UNIQUE,
  posted           INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (business_date, merchant_id)
);
