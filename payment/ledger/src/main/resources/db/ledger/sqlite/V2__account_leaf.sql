-- Accounts become audit leaves (docs/audit.md, "Leaf kinds"). audit_index: the index of the
-- account's leaf; NULL only for accounts created before this migration, until the ledger's next
-- start-up records them as "adopted" leaves (audit_origin 2). audit_origin: 1 created, 2 adopted.
-- An account row with a NULL audit_index after that was inserted behind the ledger's back, and
-- `iotpay audit verify` names it.
ALTER TABLE ledger_account ADD COLUMN audit_index BIGINT;
ALTER TABLE ledger_account ADD COLUMN audit_origin INTEGER;
