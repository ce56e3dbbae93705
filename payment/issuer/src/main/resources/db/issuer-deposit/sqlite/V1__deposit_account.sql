-- Deposit accounts the issuer holds (a merchant's settlement account, docs/merchant-onboarding.md,
-- "The penny test") and the account verifications it answered (0100 with field 103). A
-- verification is stored by its request's identity (acquirer, terminal, STAN, field 7), so a
-- repeat gets the same answer and adds no row; it keeps only the masked account number.
CREATE TABLE issuer_deposit_account (
  account_number VARCHAR(34) PRIMARY KEY,
  state          VARCHAR(8)  NOT NULL,
  changed_at_ms  BIGINT      NOT NULL
);

CREATE TABLE issuer_account_verification (
  request_key     VARCHAR(64) PRIMARY KEY,
  account_masked  VARCHAR(34) NOT NULL,
  response_code   VARCHAR(2)  NOT NULL,
  approval_code   VARCHAR(6),
  verified_at_ms  BIGINT      NOT NULL
);
