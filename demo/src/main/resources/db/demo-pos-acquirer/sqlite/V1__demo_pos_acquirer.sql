-- The demo's acquirer glue (docs/demo-pos.md): every authorisation a terminal sent, what the switch
-- answered, the reversal queue (state REVERSAL_DUE until a 0410 comes back), refunds and the
-- presentments of each day end with the clearing outcome, settlement day and payout day.
CREATE TABLE demo_acq_auth (
  stan INTEGER PRIMARY KEY,
  field7 VARCHAR(10) NOT NULL,
  business_day VARCHAR(10) NOT NULL,
  terminal_id VARCHAR(8) NOT NULL,
  terminal_stan INTEGER NOT NULL,
  merchant_id VARCHAR(15) NOT NULL,
  pan_sealed VARCHAR(256) NOT NULL,
  pan_masked VARCHAR(19) NOT NULL,
  psn INTEGER NOT NULL,
  amount_minor BIGINT NOT NULL,
  state VARCHAR(16) NOT NULL,
  response_code VARCHAR(2),
  approval_code VARCHAR(6),
  sends INTEGER NOT NULL
);
CREATE UNIQUE INDEX demo_acq_auth_terminal ON demo_acq_auth (terminal_id, terminal_stan);
CREATE TABLE demo_acq_refund (
  refund_id VARCHAR(40) PRIMARY KEY,
  stan INTEGER NOT NULL,
  amount_minor BIGINT NOT NULL,
  business_day VARCHAR(10) NOT NULL
);
CREATE TABLE demo_acq_presentment (
  presentment_id VARCHAR(40) PRIMARY KEY,
  kind VARCHAR(8) NOT NULL,
  stan INTEGER NOT NULL,
  merchant_id VARCHAR(15) NOT NULL,
  amount_minor BIGINT NOT NULL,
  business_day VARCHAR(10) NOT NULL,
  issuer VARCHAR(16),
  outcome VARCHAR(32),
  settled_day VARCHAR(10),
  paid_day VARCHAR(10)
);
CREATE TABLE demo_acq_payout (
  merchant_id VARCHAR(15) NOT NULL,
  business_day VARCHAR(10) NOT NULL,
  gross_minor BIGINT NOT NULL,
  mdr_minor BIGINT NOT NULL,
  paid_minor BIGINT NOT NULL,
  PRIMARY KEY (merchant_id, business_day)
);
