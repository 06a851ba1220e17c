// Credentials as the expert and the operator read them: what a status means, what a
// credential claims in a line, the new-credential form's body, and a first check of an
// evidence file before it is sent (the server judges the type by content; this only spares a
// long upload that is sure to be refused).
import type { Credential, CredentialKind, CredentialStatus, IdentifierKind, NewCredential } from '../api/experts';
import { formatBytes } from '../lab/import-report';
import { formatDate } from '../ui/format';

export const KIND_LABELS: Record<CredentialKind, string> = {
  degree: 'Degree',
  licence: 'Licence',
  certification: 'Certification',
  employment: 'Employment',
};

export const IDENTIFIER_LABELS: Record<IdentifierKind, string> = {
  orcid: 'ORCID iD',
  licence_number: 'Licence number',
  other: 'Other identifier',
};

export const STATUS_LABELS: Record<CredentialStatus, string> = {
  draft: 'Evidence missing',
  pending: 'Pending review',
  verified: 'Verified',
  rejected: 'Rejected',
  withdrawn: 'Withdrawn',
  expired: 'Expired',
};

/** "Degree · Physics, PhD · ETH Zürich" */
export function claimLine(c: Credential, domainTitle: (name: string) => string): string {
  const parts: string[] = [KIND_LABELS[c.kind]];
  if (c.domain) parts.push(c.level_name ? `${domainTitle(c.domain)}, ${c.level_name}` : domainTitle(c.domain));
  if (c.issuer) parts.push(c.issuer);
  return parts.join(' · ');
}

/** What the status means for the expert, with the decision when there is one. */
export function statusLine(c: Credential): string {
  const d = c.decision;
  switch (c.status) {
    case 'draft':
      return 'Upload the evidence to send it for review.';
    case 'pending':
      return c.submitted_at ? `Sent for review on ${formatDate(c.submitted_at)}.` : 'Waiting for review.';
    case 'verified':
      return d ? `Verified by ${d.by.name} on ${formatDate(d.at)}.` : 'Verified.';
    case 'rejected':
      return d ? `Rejected by ${d.by.name} on ${formatDate(d.at)}: ${d.reason ?? 'no reason given'}` : 'Rejected.';
    case 'withdrawn':
      return 'You withdrew it.';
    case 'expired':
      return c.expires_at ? `Expired on ${formatDate(c.expires_at)}.` : 'Expired.';
  }
}

export function canWithdraw(c: Credential): boolean {
  return c.status === 'draft' || c.status === 'pending';
}

export interface CredentialForm {
  kind: CredentialKind;
  title: string;
  issuer: string;
  domain: string;
  /** "" for none. */
  level: string;
  /** "" for none. */
  identifier_kind: IdentifierKind | '';
  identifier: string;
  issued_at: string;
  expires_at: string;
}

export const EMPTY_CREDENTIAL: CredentialForm = {
  kind: 'degree',
  title: '',
  issuer: '',
  domain: '',
  level: '',
  identifier_kind: '',
  identifier: '',
  issued_at: '',
  expires_at: '',
};

/** The POST body: blank optional fields left out, so the server's defaults apply. */
export function credentialRequest(f: CredentialForm): NewCredential {
  const body: NewCredential = { kind: f.kind, title: f.title.trim() };
  if (f.issuer.trim()) body.issuer = f.issuer.trim();
  if (f.domain) body.domain = f.domain;
  if (f.level) body.level = Number(f.level);
  if (f.identifier_kind) {
    body.identifier_kind = f.identifier_kind;
    body.identifier = f.identifier.trim();
  }
  if (f.issued_at) body.issued_at = f.issued_at;
  if (f.expires_at) body.expires_at = f.expires_at;
  return body;
}

export const EVIDENCE_TYPES = ['application/pdf', 'image/png', 'image/jpeg', 'image/webp'] as const;
export const MAX_EVIDENCE_BYTES = 10 * 1024 * 1024;

/** Why the server would surely refuse this file, or null to send it. */
export function evidenceProblem(file: { size: number; type: string }, maxBytes = MAX_EVIDENCE_BYTES): string | null {
  if (file.size === 0) return 'The file is empty.';
  if (!(EVIDENCE_TYPES as readonly string[]).includes(file.type)) return 'Choose a PDF, PNG, JPEG or WebP file.';
  if (file.size > maxBytes) return `The file is larger than ${formatBytes(maxBytes)}.`;
  return null;
}

/** How an evidence file is shown: a PDF in a frame, an image inline. */
export function evidenceView(contentType: string): 'pdf' | 'image' | 'other' {
  if (contentType === 'application/pdf') return 'pdf';
  if (contentType.startsWith('image/')) return 'image';
  return 'other';
}
