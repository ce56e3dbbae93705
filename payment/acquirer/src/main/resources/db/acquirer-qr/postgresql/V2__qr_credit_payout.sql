-- Push credits are paid to the merchant with the card payouts, net of MDR (docs/qr.md,
-- "Settlement of push credits"): each credit records the payout day that took it, and a credit
-- taken back after that payout the later payout day that deducts it.
ALTER TABLE acquirer_qr_credit ADD COLUMN payout_date VARCHAR(10);
ALTER TABLE acquirer_qr_credit ADD COLUMN taken_back_on VARCHAR(10);

-- Payout days that took the credits: once per day, so a payout computed again finds the same ones.
CREATE TABLE acquirer_qr_payout_day (
  business_date VARCHAR(10) PRIMARY KEY,
  taken_at_ms BIGINT NOT NULL
);
