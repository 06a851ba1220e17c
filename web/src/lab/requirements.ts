// A project's requirements as the lab edits them: exam score, credential kinds, languages,
// competitors, terms and standing thresholds (docs/api.md, project `requirements`). The form
// holds text as typed; the PATCH sends numbers, lists and, only when it changed, the terms.
import type { CredentialKind } from '../api/experts';
import type { ProjectRequirements, RequirementsPatch } from '../api/lab';

export interface RequirementsForm {
  min_exam_score: string;
  credential_kinds: CredentialKind[];
  /** Tags separated by commas or spaces. */
  languages: string;
  /** One organisation a line. */
  competitors: string;
  terms: string;
  /** Percent, empty for none. */
  min_gold_accuracy: string;
  /** 0..1, empty for none. */
  min_skill: string;
  min_judgments: string;
}

export const NO_REQUIREMENTS: ProjectRequirements = {
  min_exam_score: 0,
  credential_kinds: [],
  languages: [],
  competitors: [],
  terms: null,
  standing: { min_gold_accuracy: null, min_skill: null, min_judgments: 10 },
};

function trimNumber(n: number): string {
  return String(Math.round(n * 10000) / 10000);
}

export function formFromRequirements(r: ProjectRequirements): RequirementsForm {
  return {
    min_exam_score: String(r.min_exam_score),
    credential_kinds: [...r.credential_kinds] as CredentialKind[],
    languages: r.languages.join(', '),
    competitors: r.competitors.join('\n'),
    terms: r.terms?.text ?? '',
    min_gold_accuracy: r.standing.min_gold_accuracy === null ? '' : trimNumber(r.standing.min_gold_accuracy * 100),
    min_skill: r.standing.min_skill === null ? '' : trimNumber(r.standing.min_skill),
    min_judgments: String(r.standing.min_judgments),
  };
}

function numberOrNaN(text: string): number {
  const t = text.trim().replace(',', '.');
  return t === '' ? Number.NaN : Number(t);
}

/** The `requirements` object of a PATCH, or the fields the form can tell are not numbers (by
 * the server's field names). The terms go only when their text changed (a new version). */
export function requirementsPatch(
  f: RequirementsForm,
  current: ProjectRequirements,
): { patch: RequirementsPatch } | { errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const score = numberOrNaN(f.min_exam_score);
  if (!Number.isFinite(score)) errors['requirements.min_exam_score'] = 'Enter a score from 0 to 100 (0: any pass).';
  const judgments = numberOrNaN(f.min_judgments);
  if (!Number.isFinite(judgments)) errors['requirements.standing.min_judgments'] = 'Enter a number of judgments.';
  let gold: number | null = null;
  if (f.min_gold_accuracy.trim() !== '') {
    const g = numberOrNaN(f.min_gold_accuracy);
    if (!Number.isFinite(g)) errors['requirements.standing.min_gold_accuracy'] = 'Enter a percentage, or leave it empty.';
    else gold = g / 100;
  }
  let skill: number | null = null;
  if (f.min_skill.trim() !== '') {
    const s = numberOrNaN(f.min_skill);
    if (!Number.isFinite(s)) errors['requirements.standing.min_skill'] = 'Enter a number from 0 to 1, or leave it empty.';
    else skill = s;
  }
  if (Object.keys(errors).length > 0) return { errors };
  const patch: RequirementsPatch = {
    min_exam_score: score,
    credential_kinds: f.credential_kinds,
    languages: f.languages.split(/[\s,;]+/).filter(Boolean),
    competitors: f.competitors
      .split('\n')
      .map((c) => c.trim())
      .filter(Boolean),
    standing: { min_gold_accuracy: gold, min_skill: skill, min_judgments: judgments },
  };
  const text = f.terms.trim() === '' ? '' : f.terms;
  if (text !== (current.terms?.text ?? '')) patch.terms = text;
  return { patch };
}

/** The form's field for a server error field: "requirements.languages[2]" → "languages". */
export function requirementsField(field: string): string | null {
  const m = /^requirements\.(?:standing\.)?([a-z_]+)/.exec(field);
  return m ? m[1]! : null;
}

/** The server's errors by the form's field names; those naming no field go to `form`. */
export function requirementsErrors(fields: Record<string, string>): { fields: Record<string, string>; form: string | null } {
  const out: Record<string, string> = {};
  const rest: string[] = [];
  for (const [k, v] of Object.entries(fields)) {
    const name = requirementsField(k);
    if (name) out[name] = out[name] ? `${out[name]}; ${v}` : v;
    else rest.push(`${k}: ${v}`);
  }
  return { fields: out, form: rest.length > 0 ? rest.join('; ') : null };
}

/** The requirements in words, one line each, for the project's overview. */
export function requirementLines(r: ProjectRequirements, kindLabel: (k: string) => string): string[] {
  const lines: string[] = [];
  if (r.min_exam_score > 0) lines.push(`a qualifying exam score of at least ${r.min_exam_score}`);
  for (const k of r.credential_kinds) lines.push(`a verified ${kindLabel(k).toLowerCase()}`);
  if (r.languages.length > 0) lines.push(`speaks ${r.languages.join(', ')}`);
  if (r.competitors.length > 0) lines.push(`not affiliated with ${r.competitors.join(', ')}`);
  if (r.terms) lines.push(`accepts the terms (version ${r.terms.version})`);
  const s = r.standing;
  const after = `after ${s.min_judgments} judgment${s.min_judgments === 1 ? '' : 's'}`;
  if (s.min_gold_accuracy !== null) lines.push(`gold accuracy at least ${Math.round(s.min_gold_accuracy * 100)}% ${after}`);
  if (s.min_skill !== null) lines.push(`skill at least ${s.min_skill} ${after}`);
  return lines;
}
