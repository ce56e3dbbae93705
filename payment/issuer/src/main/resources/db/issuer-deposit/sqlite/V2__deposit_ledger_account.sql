-- A deposit account may hold money in the issuer's ledger (docs/wallet.md §2.7): its ledger account
-- (DEBITS_MUST_NOT_EXCEED_CREDITS, so a debit is checked against its balance). NULL for an account
-- kept for the penny test only; such an account answers verifications but is never debited.
ALTER TABLE issuer_deposit_account ADD COLUMN ledger_account_id BIGINT;
