-- QR payments at the card issuer (docs/qr.md). Tokens: the keyed hash of the token number (never the
-- number itself, never the PAN), the keyed hash of the card it stands for, the custody label of the
-- key its SE applet was personalised from, and its state. Codes: one row per token ATC an
-- authorisation consumed, so a code is paid once. Decisions: every QR authorisation's answer and
-- why. Push credits: one row per payment id of the issuer app, with the message it sent.
CREATE TABLE issuer_qr_token (
  token_hash VARCHAR(64) PRIMARY KEY,
  token_masked VARCHAR(19) NOT NULL,
  card_pan_hash VARCHAR(64) NOT NULL,
  key_label VARCHAR(64) NOT NULL,
  expiry_yymm VARCHAR(4) NOT NULL,
  status VARCHAR(16) NOT NULL
);
CREATE TABLE issuer_qr_code (
  token_hash VARCHAR(64) NOT NULL,
  atc INTEGER NOT NULL,
  txn_key VARCHAR(64) NOT NULL,
  PRIMARY KEY (token_hash, atc)
);
CREATE TABLE issuer_qr_decision (
  txn_key VARCHAR(64) PRIMARY KEY,
  token_hash VARCHAR(64) NOT NULL,
  response_code VARCHAR(2) NOT NULL,
  reason VARCHAR(64) NOT NULL,
  decided_at_ms BIGINT NOT NULL
);
CREATE TABLE issuer_qr_push (
  payment_id VARCHAR(40) PRIMARY KEY,
  token_hash VARCHAR(64) NOT NULL,
  merchant_account VARCHAR(19) NOT NULL,
  amount_minor BIGINT NOT NULL,
  currency VARCHAR(3) NOT NULL,
  reference VARCHAR(12),
  stan INTEGER NOT NULL,
  field7 VARCHAR(10) NOT NULL,
  local_time VARCHAR(10) NOT NULL,
  state VARCHAR(24) NOT NULL,
  response_code VARCHAR(2),
  reason VARCHAR(80)
);
