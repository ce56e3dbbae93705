-- The account path of the card authorisation host (docs/issuer-authorisation.md): every 0220
-- completion and 0400/0420 release on an account token, by its own message key, with the answer it
-- got, so a repeat is answered the same and moves nothing. (The 0100 holds themselves are rows of
-- issuer_auth_txn, so the day's velocity counts them with the cards' rules.)
CREATE TABLE issuer_account_step (
  step_key VARCHAR(64) PRIMARY KEY,
  mti VARCHAR(4) NOT NULL,
  pan_hash VARCHAR(64) NOT NULL,
  original_key VARCHAR(64) NOT NULL,
  amount_minor BIGINT NOT NULL,
  response_code VARCHAR(2) NOT NULL
);
