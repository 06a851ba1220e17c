// Pay (docs/api.md, "Pay"): amounts are integer minor units of a currency (ISO 4217), never
// floating point; rates are per hour, markups in basis points.
import { type Api, api as defaultApi } from './client';
import type { Timestamp } from './types';

export interface PayBand {
  /** "" for generalist work. */
  domain: string;
  level: number;
  currency: string;
  hourly_minor: number;
}

export interface LabPay {
  currency: string;
  /** null: the instance's default markup. */
  markup_bp: number | null;
  /** The markup that applies (the lab's, else the instance's). */
  effective_markup_bp?: number;
}

export interface ProjectPay {
  currency: string;
  band_hourly_minor: number | null;
  /** What experts earn: the project's raised rate, else the band's, else 0. */
  hourly_minor: number;
  /** The project's own rate, when it raised the band's. */
  raised_hourly_minor: number | null;
  fixed_price_minor: number | null;
  markup_bp: number;
  budget_minor: number | null;
  spent_minor: number;
  committed_minor: number;
  forecast_minor: number;
  expected_task_minor: number;
  /** The budget is spent: `next` hands out none of the project's work until it is raised. */
  exhausted?: boolean;
}

export interface ProjectPayPatch {
  hourly_minor: number | null;
  fixed_price_minor: number | null;
  budget_minor: number | null;
}

export interface ProjectCosts {
  currency: string;
  accepted_answers: number;
  spent_minor: number;
  cost_per_accepted_minor: number | null;
  correct_labels: number;
  cost_per_correct_label_minor: number | null;
  adaptive: { judgments_saved: number; saved_minor: number };
}

export interface ProjectSpend {
  id: string;
  name: string;
  budget_minor: number | null;
  spent_minor: number;
  committed_minor: number;
  forecast_minor: number;
  /** The budget is spent: no more of the project's work is handed out. */
  exhausted?: boolean;
}

export interface LabSpend {
  currency: string;
  projects: ProjectSpend[];
}

export interface Rate {
  project_id: string;
  hourly_minor: number;
  currency: string;
}

/** A ledger line of the expert's: positive what they earned, negative a payout. */
export interface StatementLine {
  id: string;
  at: Timestamp;
  /** "decision", "bonus", "adjustment", "reversal" or "payout". */
  kind: string;
  /** A decision's: accepted, auto_accepted, rejected_quality, rejected_spam. */
  outcome: string | null;
  project: { id: string; name: string } | null;
  submission_id: string | null;
  seconds: number | null;
  amount_minor: number;
  currency: string;
  reason: string | null;
}

export interface StatementTotal {
  currency: string;
  opening_minor: number;
  earned_minor: number;
  paid_minor: number;
  balance_minor: number;
}

/** The period is [from, to): RFC 3339 times. */
export interface Statement {
  from: Timestamp;
  to: Timestamp;
  currency: string | null;
  lines: StatementLine[];
  totals: StatementTotal[];
}

export interface TimesheetEntry {
  assignment_id: string;
  seconds: number;
  /** The assignment's: active, submitted, skipped, expired, revoked. */
  state: string;
  /** Its latest dispute's (open, accepted, rejected), or null. */
  dispute_status: string | null;
}

/** Days newest first, each with the seconds credited per project and assignment. */
export interface TimesheetDay {
  day: string;
  seconds: number;
  projects: { project: { id: string; name: string }; seconds: number; entries: TimesheetEntry[] }[];
}

export interface Timesheet {
  from: string;
  to: string;
  total_seconds: number;
  days: TimesheetDay[];
}

export type DisputeStatus = 'open' | 'accepted' | 'rejected';

export interface Dispute {
  id: string;
  assignment_id: string;
  project: { id: string; name: string };
  credited_seconds: number;
  claimed_seconds: number;
  comment: string;
  status: DisputeStatus | string;
  /** Accepted: the seconds allowed in all. */
  allowed_seconds: number | null;
  /** The operator's comment. */
  resolution: string | null;
  resolved_at: Timestamp | null;
  transaction_id: string | null;
  created_at: Timestamp;
  /** For the operator. */
  expert?: { id: string; name: string; email: string };
  org?: { id: string; name: string };
}

export interface InvoiceLine {
  /** null: charges tied to no project. */
  project: { id: string; name: string } | null;
  /** Accepted tasks charged, net of reversals. */
  tasks: number;
  amount_minor: number;
}

/** The charges of [from, to), RFC 3339 times. */
export interface Invoice {
  id: string;
  lab: { id: string; name: string };
  from: Timestamp;
  to: Timestamp;
  currency: string;
  total_minor: number;
  issued_at: Timestamp;
  /** When the operator recorded the lab's payment; null until then. */
  paid_at: Timestamp | null;
  lines?: InvoiceLine[];
}

export interface Payout {
  id: string;
  currency: string;
  total_minor: number;
  /** "open" until marked paid, then "paid". */
  status: string;
  created_at: Timestamp;
  paid_at: Timestamp | null;
  lines: { expert: { id: string; name: string; email: string }; amount_minor: number; transaction_id: string | null }[];
}

/** A ledger account: `expert_payable` (what the platform owes an expert), `lab_receivable`
 * (what a lab owes), `platform_revenue`, `platform_cash`. */
export type LedgerAccount = 'expert_payable' | 'lab_receivable' | 'platform_revenue' | 'platform_cash';

export type TransactionKind = 'decision' | 'bonus' | 'adjustment' | 'reversal' | 'payout' | 'invoice_payment';

/** One side of a transaction: a debit positive, a credit negative. */
export interface LedgerPosting {
  account: LedgerAccount | string;
  /** The expert (expert_payable) or lab (lab_receivable); null for the platform's accounts. */
  owner_id: string | null;
  amount_minor: number;
}

/** What a transaction names: an expert, a lab, a project, its author. */
export interface Named {
  id: string;
  name: string;
}

/** A ledger transaction as the operator reads it; its postings sum to zero. */
export interface LedgerTransaction {
  id: string;
  kind: TransactionKind | string;
  currency: string;
  /** A decision's outcome ("accepted", ...); "" otherwise. */
  outcome: string;
  reason: string;
  author_id: string | null;
  /** Who made it; null for automatic postings. */
  author: Named | null;
  /** The transaction this one reverses. */
  reverses: string | null;
  /** The reversal that undid this one. */
  reversed_by: string | null;
  lab_id: string | null;
  lab: Named | null;
  project_id: string | null;
  project: Named | null;
  expert_id: string | null;
  expert: Named | null;
  submission_id: string | null;
  seconds: number | null;
  created_at: Timestamp;
  postings: LedgerPosting[];
}

/** A page of the ledger, newest first; `next_before` asks for the page after it (null: none). */
export interface LedgerPage {
  transactions: LedgerTransaction[];
  next_before: string | null;
}

/** An operator's bonus or adjustment: to an expert (positive pays more) or a lab (positive
 * charges more, negative credits it). */
export type AdjustmentRequest = ({ expert_id: string } | { org_id: string }) & {
  amount_minor: number;
  currency: string;
  reason: string;
  kind: 'bonus' | 'adjustment';
};

/** A retry with the same idempotency key returns the first transaction. */
export type AdjustmentBody = AdjustmentRequest & { idempotency_key: string };

const enc = encodeURIComponent;

/** A period's query: dates, both days included. */
function period(from: string, to: string): string {
  return new URLSearchParams({ from, to }).toString();
}

export class PayApi {
  constructor(private readonly api: Api = defaultApi) {}

  async bands(signal?: AbortSignal): Promise<PayBand[]> {
    return (await this.api.get<{ bands: PayBand[] }>('/api/v1/pay/bands', signal)).bands;
  }
  putBand(band: PayBand): Promise<PayBand> {
    return this.api.put<PayBand>('/api/v1/pay/bands', band);
  }
  deleteBand(b: Pick<PayBand, 'domain' | 'level' | 'currency'>): Promise<void> {
    // The generalist band's domain is "", which a path names "-".
    return this.api.delete<void>(`/api/v1/pay/bands/${enc(b.domain || '-')}/${b.level}/${enc(b.currency)}`);
  }
  settings(signal?: AbortSignal): Promise<{ markup_bp: number }> {
    return this.api.get<{ markup_bp: number }>('/api/v1/pay/settings', signal);
  }
  putSettings(markupBp: number): Promise<{ markup_bp: number }> {
    return this.api.put<{ markup_bp: number }>('/api/v1/pay/settings', { markup_bp: markupBp });
  }
  labPay(labId: string, signal?: AbortSignal): Promise<LabPay> {
    return this.api.get<LabPay>(`/api/v1/labs/${enc(labId)}/pay`, signal);
  }
  putLabPay(labId: string, pay: LabPay): Promise<LabPay> {
    return this.api.put<LabPay>(`/api/v1/labs/${enc(labId)}/pay`, pay);
  }
  projectPay(projectId: string, signal?: AbortSignal): Promise<ProjectPay> {
    return this.api.get<ProjectPay>(`/api/v1/projects/${enc(projectId)}/pay`, signal);
  }
  putProjectPay(projectId: string, patch: ProjectPayPatch): Promise<ProjectPay> {
    return this.api.put<ProjectPay>(`/api/v1/projects/${enc(projectId)}/pay`, patch);
  }
  costs(projectId: string, signal?: AbortSignal): Promise<ProjectCosts> {
    return this.api.get<ProjectCosts>(`/api/v1/projects/${enc(projectId)}/costs`, signal);
  }
  labSpend(signal?: AbortSignal): Promise<LabSpend> {
    return this.api.get<LabSpend>('/api/v1/lab/spend', signal);
  }
  async rates(signal?: AbortSignal): Promise<Rate[]> {
    return (await this.api.get<{ rates: Rate[] }>('/api/v1/me/rates', signal)).rates;
  }
  earnings(from: string, to: string, signal?: AbortSignal): Promise<Statement> {
    return this.api.get<Statement>(`/api/v1/me/earnings?${period(from, to)}`, signal);
  }
  earningsCsvHref(from: string, to: string): string {
    return `/api/v1/me/earnings.csv?${period(from, to)}`;
  }
  /** Both ends included. */
  timesheet(from: string, to: string, signal?: AbortSignal): Promise<Timesheet> {
    return this.api.get<Timesheet>(`/api/v1/me/timesheet?${new URLSearchParams({ from, to }).toString()}`, signal);
  }
  dispute(assignmentId: string, seconds: number, comment: string): Promise<Dispute> {
    return this.api.post<Dispute>('/api/v1/me/disputes', { assignment_id: assignmentId, seconds, comment });
  }
  async myDisputes(signal?: AbortSignal): Promise<Dispute[]> {
    return (await this.api.get<{ disputes: Dispute[] }>('/api/v1/me/disputes', signal)).disputes;
  }
  async disputes(status: string, signal?: AbortSignal): Promise<Dispute[]> {
    const q = status ? `?status=${enc(status)}` : '';
    return (await this.api.get<{ disputes: Dispute[] }>(`/api/v1/disputes${q}`, signal)).disputes;
  }
  resolveDispute(id: string, decision: 'accept' | 'reject', seconds: number | null, comment: string): Promise<Dispute> {
    return this.api.post<Dispute>(`/api/v1/disputes/${enc(id)}/resolve`, seconds === null ? { decision, comment } : { decision, seconds, comment });
  }
  async invoices(signal?: AbortSignal): Promise<Invoice[]> {
    return (await this.api.get<{ invoices: Invoice[] }>('/api/v1/invoices', signal)).invoices;
  }
  invoice(id: string, signal?: AbortSignal): Promise<Invoice> {
    return this.api.get<Invoice>(`/api/v1/invoices/${enc(id)}`, signal);
  }
  invoiceCsvHref(id: string): string {
    return `/api/v1/invoices/${enc(id)}.csv`;
  }
  markInvoicePaid(id: string): Promise<Invoice> {
    return this.api.post<Invoice>(`/api/v1/invoices/${enc(id)}/paid`);
  }
  issueInvoice(orgId: string, from: string, to: string): Promise<Invoice> {
    return this.api.post<Invoice>('/api/v1/invoices', { org_id: orgId, from, to });
  }
  async payouts(signal?: AbortSignal): Promise<Payout[]> {
    return (await this.api.get<{ payouts: Payout[] }>('/api/v1/payouts', signal)).payouts;
  }
  payout(id: string, signal?: AbortSignal): Promise<Payout> {
    return this.api.get<Payout>(`/api/v1/payouts/${enc(id)}`, signal);
  }
  payoutCsvHref(id: string): string {
    return `/api/v1/payouts/${enc(id)}.csv`;
  }
  createPayout(currency: string): Promise<Payout> {
    return this.api.post<Payout>('/api/v1/payouts', { currency });
  }
  markPaid(id: string): Promise<Payout> {
    return this.api.post<Payout>(`/api/v1/payouts/${enc(id)}/paid`);
  }
  /** `query`: the list's query string without "?" (pay/ledger-filter.ts writes it). */
  transactions(query: string, signal?: AbortSignal): Promise<LedgerPage> {
    return this.api.get<LedgerPage>(`/api/v1/ledger/transactions${query ? `?${query}` : ''}`, signal);
  }
  /** A retry with the same idempotency key returns the first transaction. */
  adjust(body: AdjustmentBody): Promise<LedgerTransaction> {
    return this.api.post<LedgerTransaction>('/api/v1/ledger/adjustments', body);
  }
  /** 409 `already_reversed`, `is_reversal` (the error's reason). */
  reverse(id: string, reason: string): Promise<LedgerTransaction> {
    return this.api.post<LedgerTransaction>(`/api/v1/ledger/transactions/${enc(id)}/reverse`, { reason });
  }
}

export const payApi = new PayApi();
