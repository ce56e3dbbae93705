-- The linked bank account, a second source of the online part (docs/wallet.md §2.7). One link per
-- card: the bank's id and the account's number there. wallet_online_part.source records which
-- source is tried or paid (NULL: the online account, tried first); source_account is the ledger
-- account debited when the linked account was chosen, so a retry after a crash carries out the
-- recorded decision under the same transfer id.
CREATE TABLE wallet_linked_account (
  card_id VARCHAR(16) NOT NULL PRIMARY KEY,
  bank_id VARCHAR(11) NOT NULL,
  account_number VARCHAR(34) NOT NULL,
  linked_at_ms BIGINT NOT NULL
);

ALTER TABLE wallet_online_part ADD COLUMN source VARCHAR(16);
ALTER TABLE wallet_online_part ADD COLUMN source_account BIGINT;
