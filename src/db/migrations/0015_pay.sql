-- Pay (pay/): rates, prices, budgets, the double-entry ledger, invoices and payouts. Money is
-- integer minor units of an ISO 4217 currency (base/money.h); nothing here is floating point.

-- Pay bands the operator sets: the hourly rate of work in a domain ('' = generalist work) at a
-- level, per currency.
CREATE TABLE pay_bands (
  domain TEXT NOT NULL,
  level INTEGER NOT NULL,
  currency TEXT NOT NULL,
  hourly_minor BIGINT NOT NULL,
  updated_by BIGINT REFERENCES users(id),
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (domain, level, currency)
);

-- A lab's currency and markup (NULL: the instance's default, instance_settings
-- 'pay_markup_bp'). A lab without a row pays in USD at the default markup.
CREATE TABLE org_pay (
  org_id BIGINT PRIMARY KEY REFERENCES orgs(id),
  currency TEXT NOT NULL,
  markup_bp BIGINT,
  updated_at BIGINT NOT NULL
);

-- A project's pay terms and running figures. hourly_minor: a raised rate (NULL: the band);
-- fixed_price_minor: the lab's price per accepted task (NULL: cost plus markup);
-- budget_minor: in the lab's currency, in price terms (NULL: none). spent_minor is the sum of
-- the lab charges posted for the project, reserved_minor the sum of its budget_reservations;
-- decided_tasks counts its decisions, accepted_tasks and accepted_seconds the accepted ones and
-- their payable seconds (the expected price of a task); all kept in the transaction of each
-- change.
CREATE TABLE project_pay (
  project_id BIGINT PRIMARY KEY REFERENCES projects(id),
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  hourly_minor BIGINT,
  fixed_price_minor BIGINT,
  budget_minor BIGINT,
  spent_minor BIGINT NOT NULL DEFAULT 0,
  reserved_minor BIGINT NOT NULL DEFAULT 0,
  decided_tasks BIGINT NOT NULL DEFAULT 0,
  accepted_tasks BIGINT NOT NULL DEFAULT 0,
  accepted_seconds BIGINT NOT NULL DEFAULT 0,
  updated_at BIGINT NOT NULL
);
CREATE INDEX project_pay_org ON project_pay(org_id);

-- The expected price a running lease holds against its project's budget, from the lease's
-- start until it ends without a submission or its submission is decided.
CREATE TABLE budget_reservations (
  assignment_id BIGINT PRIMARY KEY REFERENCES assignments(id),
  project_id BIGINT NOT NULL REFERENCES projects(id),
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  amount_minor BIGINT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX budget_reservations_project ON budget_reservations(project_id);

-- Ledger accounts. kind: expert_payable (owner: the expert), lab_receivable (owner: the lab),
-- platform_revenue and platform_cash (owner 0). Debits are positive, credits negative;
-- balance_minor is the sum of the account's postings, kept in each posting's transaction.
CREATE TABLE ledger_accounts (
  id {{id}},
  kind TEXT NOT NULL,
  currency TEXT NOT NULL,
  owner_id BIGINT NOT NULL,
  org_id BIGINT REFERENCES orgs(id),
  expert_id BIGINT REFERENCES users(id),
  balance_minor BIGINT NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  UNIQUE (kind, currency, owner_id)
);

-- Ledger transactions: append-only. reference is unique (a decision, an adjustment request,
-- a payout line), so a retried or concurrent cause posts once; a correction is a new
-- transaction that `reverses` another (at most once). kind: decision, bonus, adjustment,
-- reversal, payout.
CREATE TABLE ledger_transactions (
  id {{id}},
  kind TEXT NOT NULL,
  reference TEXT NOT NULL UNIQUE,
  currency TEXT NOT NULL,
  outcome TEXT NOT NULL DEFAULT '',
  reason TEXT NOT NULL DEFAULT '',
  author_id BIGINT REFERENCES users(id),
  reverses BIGINT UNIQUE REFERENCES ledger_transactions(id),
  org_id BIGINT REFERENCES orgs(id),
  project_id BIGINT REFERENCES projects(id),
  expert_id BIGINT REFERENCES users(id),
  submission_id BIGINT REFERENCES submissions(id),
  seconds BIGINT,
  created_at BIGINT NOT NULL
);
CREATE INDEX ledger_transactions_expert ON ledger_transactions(expert_id, created_at);
CREATE INDEX ledger_transactions_org ON ledger_transactions(org_id, created_at);
CREATE INDEX ledger_transactions_project ON ledger_transactions(project_id);
CREATE INDEX ledger_transactions_created ON ledger_transactions(created_at);

-- The postings of a transaction; they sum to zero.
CREATE TABLE ledger_postings (
  id {{id}},
  transaction_id BIGINT NOT NULL REFERENCES ledger_transactions(id),
  account_id BIGINT NOT NULL REFERENCES ledger_accounts(id),
  amount_minor BIGINT NOT NULL
);
CREATE INDEX ledger_postings_transaction ON ledger_postings(transaction_id);
CREATE INDEX ledger_postings_account ON ledger_postings(account_id, transaction_id);

-- A lab's invoice for a period [period_from, period_to): every lab charge of that currency
-- not invoiced before and made in the period, each transaction on one invoice only.
CREATE TABLE invoices (
  id {{id}},
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  currency TEXT NOT NULL,
  period_from BIGINT NOT NULL,
  period_to BIGINT NOT NULL,
  total_minor BIGINT NOT NULL,
  issued_by BIGINT REFERENCES users(id),
  issued_at BIGINT NOT NULL
);
CREATE INDEX invoices_org ON invoices(org_id, issued_at);

-- An invoice's lines: one per project (project_id NULL: charges not tied to a project).
CREATE TABLE invoice_lines (
  invoice_id BIGINT NOT NULL REFERENCES invoices(id),
  line INTEGER NOT NULL,
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  project_id BIGINT REFERENCES projects(id),
  tasks BIGINT NOT NULL,
  amount_minor BIGINT NOT NULL,
  PRIMARY KEY (invoice_id, line)
);

CREATE TABLE invoice_transactions (
  transaction_id BIGINT PRIMARY KEY REFERENCES ledger_transactions(id),
  invoice_id BIGINT NOT NULL REFERENCES invoices(id)
);
CREATE INDEX invoice_transactions_invoice ON invoice_transactions(invoice_id);

-- A payout batch: every expert's payable balance in a currency when it was made. status:
-- open, then paid (each line's payout transaction posted).
CREATE TABLE payout_batches (
  id {{id}},
  currency TEXT NOT NULL,
  status TEXT NOT NULL,
  total_minor BIGINT NOT NULL,
  created_by BIGINT REFERENCES users(id),
  created_at BIGINT NOT NULL,
  paid_by BIGINT REFERENCES users(id),
  paid_at BIGINT
);

CREATE TABLE payout_lines (
  batch_id BIGINT NOT NULL REFERENCES payout_batches(id),
  expert_id BIGINT NOT NULL REFERENCES users(id),
  amount_minor BIGINT NOT NULL,
  transaction_id BIGINT REFERENCES ledger_transactions(id),
  PRIMARY KEY (batch_id, expert_id)
);
