// The profile as its form edits it, and back: languages typed as one list, the hour cap as
// text, affiliation dates as dates. The server checks every rule; the form only reads what it
// needs to send, and places the server's per-field errors beside the field they name.
import type { AffiliationKind, Profile } from '../api/experts';

export interface AffiliationRow {
  organisation: string;
  kind: AffiliationKind;
  /** YYYY-MM-DD or empty. */
  since: string;
  /** YYYY-MM-DD or empty (ongoing). */
  until: string;
}

export interface ProfileForm {
  headline: string;
  /** Language tags separated by commas or spaces ("en, pt-BR"). */
  languages: string;
  time_zone: string;
  /** Whole hours a week, or empty for no cap. */
  weekly_hours_cap: string;
  domains: { domain: string; level: number }[];
  affiliations: AffiliationRow[];
}

export type ProfileRequest = Omit<Profile, 'updated_at'>;

function dateOf(t: string | null): string {
  return t ? t.slice(0, 10) : '';
}

export function formFromProfile(p: Profile): ProfileForm {
  return {
    headline: p.headline,
    languages: p.languages.join(', '),
    time_zone: p.time_zone,
    weekly_hours_cap: p.weekly_hours_cap === null ? '' : String(p.weekly_hours_cap),
    domains: p.domains.map((d) => ({ domain: d.domain, level: d.level })),
    affiliations: p.affiliations.map((a) => ({
      organisation: a.organisation,
      kind: a.kind,
      since: dateOf(a.since),
      until: dateOf(a.until),
    })),
  };
}

/** The language tags of the form's list, in order, without blanks. */
export function splitLanguages(text: string): string[] {
  return text.split(/[\s,;]+/).filter((t) => t.length > 0);
}

/** The PUT body, or the fields the form itself can tell are wrong (by the server's names). */
export function profileRequest(f: ProfileForm): { body: ProfileRequest } | { errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  let cap: number | null = null;
  const capText = f.weekly_hours_cap.trim();
  if (capText !== '') {
    if (!/^\d+$/.test(capText)) errors.weekly_hours_cap = 'Enter whole hours, or leave it empty for no cap.';
    else cap = Number(capText);
  }
  if (Object.keys(errors).length > 0) return { errors };
  return {
    body: {
      headline: f.headline.trim(),
      languages: splitLanguages(f.languages),
      time_zone: f.time_zone.trim(),
      weekly_hours_cap: cap,
      domains: f.domains.map((d) => ({ domain: d.domain, level: d.level })),
      affiliations: f.affiliations.map((a) => ({
        organisation: a.organisation.trim(),
        kind: a.kind,
        since: a.since || null,
        until: a.until || null,
      })),
    },
  };
}

/** The server's errors about languages ("languages" or "languages[i]") as one message naming
 * the tags at fault; undefined when there is none. */
export function languagesError(fields: Record<string, string>, sent: readonly string[]): string | undefined {
  const parts: string[] = [];
  if (fields.languages) parts.push(fields.languages);
  for (const [field, message] of Object.entries(fields)) {
    const m = /^languages\[(\d+)\]$/.exec(field);
    if (!m) continue;
    const tag = sent[Number(m[1])];
    parts.push(tag === undefined ? message : `“${tag}”: ${message}`);
  }
  return parts.length > 0 ? parts.join('; ') : undefined;
}

/** The message for row `i` of a list (`domains`, `affiliations`): its own fields' errors, each
 * with the part of the row it names, and the row as a whole. */
export function rowError(fields: Record<string, string>, list: string, i: number, key: string): string | undefined {
  return fields[`${list}[${i}].${key}`];
}

/** Errors naming a list or one of its rows but no field the form shows beside a control. */
export function listError(fields: Record<string, string>, list: string, keys: readonly string[]): string | undefined {
  const parts: string[] = [];
  for (const [field, message] of Object.entries(fields)) {
    if (field === list) {
      parts.push(message);
      continue;
    }
    const m = new RegExp(`^${list}\\[(\\d+)\\](?:\\.(\\w+))?$`).exec(field);
    if (m && (m[2] === undefined || !keys.includes(m[2]))) parts.push(`Row ${Number(m[1]) + 1}: ${message}`);
  }
  return parts.length > 0 ? parts.join('; ') : undefined;
}

/** The IANA time zones this browser knows, for suggestions; UTC first. */
export function timeZones(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (k: string) => string[] };
  const zones = intl.supportedValuesOf ? intl.supportedValuesOf('timeZone') : [];
  return ['UTC', ...zones.filter((z) => z !== 'UTC')];
}
