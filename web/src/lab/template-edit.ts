// Editing a template: pure functions from one template to the next, for the lab's template
// editor. They keep what the server checks in step where an edit would silently break it: a
// renamed field or question is renamed in the export mapping too, a removed one leaves the
// mapping's slot empty (so the editor asks for a new choice), and a question that changes type
// keeps its name, title, description and options where the new type has them.
import type {
  FieldType,
  PreferenceExport,
  Question,
  QuestionType,
  SftExport,
  Template,
  TemplateField,
} from '../api/template';
import { parseJsonObject } from './json-object';

/** Each field type with its name in the editor. */
export const FIELD_TYPES: Readonly<Record<FieldType, string>> = { text: 'Text', markdown: 'Markdown with math', code: 'Code', chat: 'Chat transcript', image_url: 'Image (URL)' };

/** Each question type with its name in the editor. */
export const QUESTION_TYPES: Readonly<Record<QuestionType, string>> = {
  label: 'Label (one of)', multi_label: 'Labels (several of)', rating: 'Rating scale', ranking: 'Ranking',
  preference: 'Preference (A or B)', rubric: 'Rubric', text: 'Written answer', number: 'Number',
};

/** Which field types each export slot takes (src/projects/template.h). */
export const SLOT_FIELD_TYPES = {
  prompt: ['text', 'markdown', 'code', 'chat'],
  system: ['text', 'markdown'],
  response: ['text', 'markdown', 'code'],
} as const satisfies Record<string, readonly FieldType[]>;

/** `base`, or `base_2`, `base_3`, … : the first that is not taken. */
export function uniqueName(base: string, taken: readonly string[]): string {
  if (!taken.includes(base)) return base;
  for (let n = 2; ; n++) {
    const candidate = `${base}_${n}`;
    if (!taken.includes(candidate)) return candidate;
  }
}

export function replaceAt<T>(list: readonly T[], i: number, value: T): T[] {
  return list.map((x, j) => (j === i ? value : x));
}

export function removeAt<T>(list: readonly T[], i: number): T[] {
  return list.filter((_, j) => j !== i);
}

/** The list with the element at `from` moved to `to` (clamped to the list). */
export function moveTo<T>(list: readonly T[], from: number, to: number): T[] {
  const target = Math.max(0, Math.min(list.length - 1, to));
  if (from === target || from < 0 || from >= list.length) return [...list];
  const out = [...list];
  const [x] = out.splice(from, 1);
  out.splice(target, 0, x as T);
  return out;
}

function optionsOf(q: Question): string[] | null {
  return q.type === 'label' || q.type === 'multi_label' || q.type === 'ranking' ? q.options : null;
}

/** A new question of `type`, taking over what `from` has that the type also has. */
export function questionOfType(type: QuestionType, name: string, from?: Question): Question {
  const base = {
    name,
    ...(from?.title ? { title: from.title } : {}),
    ...(from?.description ? { description: from.description } : {}),
    required: from?.required ?? true,
  };
  const options = (from && optionsOf(from)) ?? ['yes', 'no'];
  switch (type) {
    case 'label':
      return { ...base, type, options };
    case 'multi_label':
      return { ...base, type, options };
    case 'ranking':
      return { ...base, type, options: options.length >= 2 ? options : [...options, 'other'] };
    case 'rating':
      return { ...base, type, min: 1, max: 5 };
    case 'preference':
      return { ...base, type, allow_tie: true, strength_max: 3 };
    case 'rubric':
      return { ...base, type, criteria: [{ name: 'correct', title: 'The answer is correct', kind: 'pass_fail' }] };
    case 'text':
      return { ...base, type };
    case 'number':
      return { ...base, type };
  }
}

type Mapping = NonNullable<Template['export']>;

/** The mapping with every reference to `from` (a field or a question) renamed to `to`; when
 * `to` is null, emptied ("") or, where the slot is optional, left out. */
function remapExport(
  mapping: Template['export'],
  kind: 'field' | 'question',
  from: string,
  to: string | null,
): Template['export'] {
  if (!mapping) return mapping;
  const out: Mapping = {};
  if (mapping.sft) {
    const sft: SftExport = { ...mapping.sft };
    const keys = kind === 'field' ? (['prompt_field', 'system_field'] as const) : (['prompt_question', 'response_question'] as const);
    for (const key of keys) {
      if (sft[key] !== from) continue;
      if (to !== null) sft[key] = to;
      else if (key === 'system_field') delete sft.system_field;
      else sft[key] = '';
    }
    out.sft = sft;
  }
  if (mapping.preference) {
    const pref: PreferenceExport = { ...mapping.preference };
    const keys = kind === 'field' ? (['prompt_field', 'a_field', 'b_field'] as const) : (['question'] as const);
    for (const key of keys) if (pref[key] === from) pref[key] = to ?? '';
    out.preference = pref;
  }
  return out;
}

function withExport(t: Template, mapping: Template['export']): Template {
  const { export: _, ...rest } = t;
  return mapping && (mapping.sft || mapping.preference) ? { ...rest, export: mapping } : rest;
}

export function addField(t: Template): Template {
  const name = uniqueName('field', t.fields.map((f) => f.name));
  return { ...t, fields: [...t.fields, { name, type: 'text', required: true }] };
}

type PartList = 'fields' | 'questions';

/** `t` with part `i` of `list` replaced by `next`, or removed when `next` is null; a new name
 * is carried into the export mapping, and a removed part's slots there are emptied. */
function editPart<L extends PartList>(t: Template, list: L, i: number, next: Template[L][number] | null): Template {
  const parts: readonly Template[L][number][] = t[list];
  const old = parts[i];
  if (!old) return t;
  const updated = { ...t, [list]: next === null ? removeAt(parts, i) : replaceAt(parts, i, next) } as Template;
  const name = next === null ? null : next.name;
  if (old.name === name) return updated;
  return withExport(updated, remapExport(t.export, list === 'fields' ? 'field' : 'question', old.name, name));
}

/** Replaces field `i`; a new name is carried into the export mapping, and a field that is no
 * longer code loses its language. */
export function setField(t: Template, i: number, field: TemplateField): Template {
  if (field.type !== 'code' && field.language !== undefined) {
    const { language: _, ...rest } = field;
    return editPart(t, 'fields', i, rest);
  }
  return editPart(t, 'fields', i, field);
}

export function removeField(t: Template, i: number): Template {
  return editPart(t, 'fields', i, null);
}

export function moveField(t: Template, from: number, to: number): Template {
  return { ...t, fields: moveTo(t.fields, from, to) };
}

export function addQuestion(t: Template, type: QuestionType): Template {
  const name = uniqueName(type, t.questions.map((q) => q.name));
  return { ...t, questions: [...t.questions, questionOfType(type, name)] };
}

/** Replaces question `i`; a new name is carried into the export mapping. */
export function setQuestion(t: Template, i: number, q: Question): Template {
  return editPart(t, 'questions', i, q);
}

/** Question `i` as a question of `type`. An export slot that needs the old type is emptied. */
export function changeQuestionType(t: Template, i: number, type: QuestionType): Template {
  const old = t.questions[i];
  if (!old || old.type === type) return t;
  const updated = { ...t, questions: replaceAt(t.questions, i, questionOfType(type, old.name, old)) };
  return withExport(updated, remapExport(t.export, 'question', old.name, null));
}

export function removeQuestion(t: Template, i: number): Template {
  return editPart(t, 'questions', i, null);
}

export function moveQuestion(t: Template, from: number, to: number): Template {
  return { ...t, questions: moveTo(t.questions, from, to) };
}

export function setSft(t: Template, sft: SftExport | null): Template {
  const { sft: _, ...others } = t.export ?? {};
  return withExport(t, sft ? { ...others, sft } : others);
}

export function setPreference(t: Template, preference: PreferenceExport | null): Template {
  const { preference: _, ...others } = t.export ?? {};
  return withExport(t, preference ? { ...others, preference } : others);
}

export function fieldsFor(t: Template, types: readonly FieldType[]): string[] {
  return t.fields.filter((f) => types.includes(f.type)).map((f) => f.name);
}

export function questionsOfType(t: Template, type: QuestionType): string[] {
  return t.questions.filter((q) => q.type === type).map((q) => q.name);
}

/** A first SFT mapping for the template: the prompt from a field, or else from a written
 * question, and the response from a written question. */
export function suggestSft(t: Template): SftExport {
  const texts = questionsOfType(t, 'text');
  const promptField = fieldsFor(t, SLOT_FIELD_TYPES.prompt)[0];
  if (promptField !== undefined) return { prompt_field: promptField, response_question: texts[0] ?? '' };
  return { prompt_question: texts[0] ?? '', response_question: texts[1] ?? '' };
}

/** A first preference mapping: the prompt and the two responses from fields in their order,
 * the verdict from the first preference question. */
export function suggestPreference(t: Template): PreferenceExport {
  const responses = fieldsFor(t, SLOT_FIELD_TYPES.response);
  const a = responses.find((n) => /(^|_)a$/.test(n)) ?? responses[1] ?? '';
  const b = responses.find((n) => n !== a && /(^|_)b$/.test(n)) ?? responses.find((n) => n !== a && n !== responses[0]) ?? '';
  const prompt = fieldsFor(t, SLOT_FIELD_TYPES.prompt).find((n) => n !== a && n !== b) ?? '';
  return { prompt_field: prompt, a_field: a, b_field: b, question: questionsOfType(t, 'preference')[0] ?? '' };
}

export type ExportFormatName = 'raw' | 'sft' | 'preference';

/** The export formats a template allows: raw always, sft and preference with their mapping. */
export function exportFormats(t: Pick<Template, 'export'>): ExportFormatName[] {
  const out: ExportFormatName[] = ['raw'];
  if (t.export?.sft) out.push('sft');
  if (t.export?.preference) out.push('preference');
  return out;
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => [k, canonical(v)]),
    );
  }
  return value;
}

/** Whether two templates are the same JSON, whatever the order of their keys. */
export function sameTemplate(a: Template, b: Template): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

export type ParsedTemplate = { ok: true; template: Template } | { ok: false; error: string };

/** Reads a template pasted as JSON. Only the shape the editor needs is checked here (an object
 * with a list of fields and a list of questions, each with a name and a type); the server checks
 * the rest when the project is created. */
export function parseTemplateJson(text: string): ParsedTemplate {
  const parsed = parseJsonObject(text, 'A template is a JSON object with "fields" and "questions".');
  if (!parsed.ok) return parsed;
  const v = parsed.value;
  const fields = v.fields ?? [];
  if (!Array.isArray(fields)) return { ok: false, error: '"fields" must be a list.' };
  if (!Array.isArray(v.questions)) return { ok: false, error: '"questions" must be a list.' };
  const named = (x: unknown) =>
    !!x && typeof x === 'object' && typeof (x as { name?: unknown }).name === 'string' && typeof (x as { type?: unknown }).type === 'string';
  const badField = fields.findIndex((f) => !named(f));
  if (badField >= 0) return { ok: false, error: `Field ${badField + 1} needs a "name" and a "type".` };
  const badQuestion = v.questions.findIndex((q) => !named(q));
  if (badQuestion >= 0) return { ok: false, error: `Question ${badQuestion + 1} needs a "name" and a "type".` };
  return { ok: true, template: { ...v, fields } as unknown as Template };
}
