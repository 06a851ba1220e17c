// The operator's decision on a pending credential, as its forms build it: verifying may set
// the expiry the evidence shows and grant the qualification the credential proves; rejecting
// needs a reason the expert will read.
import type { Credential, VerifyRequest } from '../api/experts';

export interface VerifyForm {
  /** YYYY-MM-DD or empty to keep the credential's own expiry. */
  expires_at: string;
  grant: boolean;
  domain: string;
  level: string;
  reviewer: boolean;
}

/** The form for `c`: a grant offered (and preselected) when the credential names a domain and
 * level, with those as its defaults. */
export function verifyFormFor(c: Pick<Credential, 'domain' | 'level' | 'expires_at'>, fallbackDomain: string): VerifyForm {
  return {
    expires_at: c.expires_at ? c.expires_at.slice(0, 10) : '',
    grant: c.domain !== null && c.level !== null,
    domain: c.domain ?? fallbackDomain,
    level: String(c.level ?? 3),
    reviewer: false,
  };
}

export function verifyRequest(f: VerifyForm, c: Pick<Credential, 'expires_at'>): VerifyRequest {
  const body: VerifyRequest = {};
  const own = c.expires_at ? c.expires_at.slice(0, 10) : '';
  if (f.expires_at && f.expires_at !== own) body.expires_at = f.expires_at;
  if (f.grant) body.grant = { domain: f.domain, level: Number(f.level), reviewer: f.reviewer };
  return body;
}

/** The server's errors for the verify form, keyed by its fields ("grant.domain" → "domain"). */
export function verifyErrors(fields: Record<string, string>): Partial<Record<keyof VerifyForm, string>> {
  const out: Partial<Record<keyof VerifyForm, string>> = {};
  for (const [k, v] of Object.entries(fields)) {
    if (k === 'expires_at') out.expires_at = v;
    else if (k === 'grant.domain') out.domain = v;
    else if (k === 'grant.level') out.level = v;
    else if (k === 'grant' || k.startsWith('grant.')) out.grant = v;
  }
  return out;
}

/** The public page of an identifier, when it has one (an ORCID iD). */
export function identifierUrl(kind: string | null, identifier: string | null): string | null {
  if (kind === 'orcid' && identifier && /^\d{4}-\d{4}-\d{4}-\d{3}[\dX]$/.test(identifier)) return `https://orcid.org/${identifier}`;
  return null;
}
