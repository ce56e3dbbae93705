-- A merchant's payout also carries its QR push credits (docs/qr.md, "Settlement of push credits"):
-- credited, taken back after an earlier payout, and their MDR. The card columns keep the card figures,
-- so net_minor stays captured - refunded - mdr; the ledger's net transfer is net_minor + qr_net.
ALTER TABLE online_payout ADD COLUMN qr_credited_minor BIGINT NOT NULL DEFAULT 0;
ALTER TABLE online_payout ADD COLUMN qr_taken_back_minor BIGINT NOT NULL DEFAULT 0;
ALTER TABLE online_payout ADD COLUMN qr_mdr_minor BIGINT NOT NULL DEFAULT 0;
