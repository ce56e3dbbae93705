-- Settlement of QR push credits (docs/qr.md, "Settlement"). A push credit is a financial request
-- (0200, processing code 26): final when the merchant's acquirer approves it, so the switch settles
-- it from its own message log, no presentment file. The log gains the processing code (rows logged
-- before this migration have it NULL and are never settled as push credits).
ALTER TABLE online_message_log ADD COLUMN processing_code CHAR(6);

-- Each push credit the settlement took, once by its message key (originator, terminal, STAN,
-- field 7): the window that settled it (originator pays receiver) and, when an approved reversal
-- came after that window, the window that settled it back (receiver pays originator).
CREATE TABLE online_push_credit (
  originator     VARCHAR(16) NOT NULL,
  terminal_id    VARCHAR(8)  NOT NULL,
  stan           INTEGER     NOT NULL,
  transmitted_at VARCHAR(10) NOT NULL,
  receiver       VARCHAR(16) NOT NULL,
  amount_minor   BIGINT      NOT NULL,
  settled_on     VARCHAR(10) NOT NULL,
  reversed_on    VARCHAR(10),
  PRIMARY KEY (originator, terminal_id, stan, transmitted_at)
);
CREATE INDEX online_push_credit_settled ON online_push_credit (settled_on);
CREATE INDEX online_push_credit_reversed ON online_push_credit (reversed_on);

-- Settlement windows closed to push credits, and whether that run was recorded.
CREATE TABLE online_push_day (
  business_date VARCHAR(10) PRIMARY KEY,
  closed_at_ms  BIGINT      NOT NULL,
  settled       INTEGER     NOT NULL DEFAULT 0
);
