// Where the server's field errors belong in the new-project form. A detail names its place as a
// path ("name", "template.questions[1].options", "template.export.sft.prompt_field"); each
// control's id is that path made into an id, so an error finds its control, and a path without
// a control of its own (a whole question, a list entry) finds the nearest one that has one.
import type { Template } from '../api/template';

/** The id of the control for `path`: "template.questions[1].options" → "template-questions-1-options". */
export function controlId(path: string): string {
  return path
    .replace(/\[(\d+)\]/g, '-$1')
    .replace(/[^A-Za-z0-9_-]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** The path and its shorter prefixes, longest first: a.b[1].c, a.b[1], a.b, a. */
export function pathPrefixes(path: string): string[] {
  const out = [path];
  let p = path;
  for (;;) {
    const cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
    if (cut <= 0) break;
    p = p.slice(0, cut);
    out.push(p);
  }
  return out;
}

/** The id of the nearest control that `exists`, from `path` upwards; null when none does. */
export function nearestControl(path: string, exists: (id: string) => boolean): string | null {
  for (const p of pathPrefixes(path)) {
    const id = controlId(p);
    if (exists(id)) return id;
  }
  return null;
}

const SETTINGS: Record<string, string> = {
  name: 'Name',
  description: 'Description',
  domain: 'Domain',
  min_level: 'Minimum level',
  redundancy: 'Answers per item',
  gold_rate: 'Gold rate',
  guidelines: 'Guidelines',
  preset: 'Preset',
  template: 'Template',
};

/** Where `path` is, in the words of the form: "Question 2 (options): options". */
export function describePath(path: string, template: Template): string {
  const setting = SETTINGS[path];
  if (setting) return setting;
  const field = /^template\.fields\[(\d+)\](?:\.(.+))?$/.exec(path);
  if (field) {
    const i = Number(field[1]);
    const name = template.fields[i]?.name;
    return `Field ${i + 1}${name ? ` “${name}”` : ''}${field[2] ? `: ${field[2]}` : ''}`;
  }
  const question = /^template\.questions\[(\d+)\](?:\.criteria\[(\d+)\])?(?:\.(.+))?$/.exec(path);
  if (question) {
    const i = Number(question[1]);
    const name = template.questions[i]?.name;
    const criterion = question[2] !== undefined ? `, criterion ${Number(question[2]) + 1}` : '';
    return `Question ${i + 1}${name ? ` “${name}”` : ''}${criterion}${question[3] ? `: ${question[3]}` : ''}`;
  }
  const mapping = /^template\.export\.(sft|preference)(?:\.(.+))?$/.exec(path);
  if (mapping) return `${mapping[1] === 'sft' ? 'SFT' : 'Preference'} export${mapping[2] ? `: ${mapping[2]}` : ''}`;
  return path;
}
