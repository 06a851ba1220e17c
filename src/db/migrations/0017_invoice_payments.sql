-- An invoice is paid when the operator records the lab's payment: paid_at, who recorded it and
-- the ledger transaction that posted it (platform_cash debited, the lab's receivable credited
-- by the invoice's total; reference 'invoice:<id>'). NULL: not paid yet.
ALTER TABLE invoices ADD COLUMN paid_at BIGINT;
ALTER TABLE invoices ADD COLUMN paid_by BIGINT REFERENCES users(id);
ALTER TABLE invoices ADD COLUMN payment_transaction_id BIGINT REFERENCES ledger_transactions(id);
