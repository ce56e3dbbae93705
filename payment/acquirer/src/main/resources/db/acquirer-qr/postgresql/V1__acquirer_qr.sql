-- QR payments at the acquirer (docs/qr.md). A merchant's QR account number (printed in its codes,
-- not a card), the orders behind dynamic codes, and every push credit by its message key with the
-- answer it got, so a repeat is answered the same and credits nothing twice.
CREATE TABLE acquirer_qr_account (
  account_number VARCHAR(19) PRIMARY KEY,
  merchant_id VARCHAR(32) NOT NULL UNIQUE
);
CREATE TABLE acquirer_qr_order (
  reference VARCHAR(12) PRIMARY KEY,
  merchant_id VARCHAR(32) NOT NULL,
  amount_minor BIGINT NOT NULL,
  currency VARCHAR(3) NOT NULL,
  state VARCHAR(8) NOT NULL,
  paid_key VARCHAR(64)
);
CREATE TABLE acquirer_qr_credit (
  txn_key VARCHAR(64) PRIMARY KEY,
  account_number VARCHAR(19) NOT NULL,
  merchant_id VARCHAR(32),
  amount_minor BIGINT NOT NULL,
  reference VARCHAR(12) NOT NULL,
  state VARCHAR(12) NOT NULL,
  response_code VARCHAR(2) NOT NULL,
  approval_code VARCHAR(6),
  reason VARCHAR(64) NOT NULL
);
