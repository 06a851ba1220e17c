// How an item's fields are laid out: for a pairwise preference the two responses stand side
// by side (labelled A and B, as the answer's choice names them); every other field in the
// template's order.
import type { Template, TemplateField } from '../api/template';

export interface TaskLayout {
  /** Fields shown one after another, before the pair. */
  lead: TemplateField[];
  /** The two responses of a preference question, or null. */
  pair: { a: TemplateField; b: TemplateField } | null;
  /** Fields after the pair. */
  rest: TemplateField[];
}

function pairOf(template: Template): { a: TemplateField; b: TemplateField } | null {
  if (!template.questions.some((q) => q.type === 'preference')) return null;
  const byName = new Map(template.fields.map((f) => [f.name, f]));
  const mapping = template.export?.preference;
  if (mapping) {
    const a = byName.get(mapping.a_field);
    const b = byName.get(mapping.b_field);
    if (a && b) return { a, b };
  }
  // Without a mapping: a field ending in "_a" and its "_b" sibling.
  for (const f of template.fields) {
    if (f.name.endsWith('_a')) {
      const b = byName.get(`${f.name.slice(0, -2)}_b`);
      if (b) return { a: f, b };
    }
  }
  return null;
}

export function layoutOf(template: Template): TaskLayout {
  const pair = pairOf(template);
  if (!pair) return { lead: template.fields, pair: null, rest: [] };
  const ia = template.fields.indexOf(pair.a);
  const ib = template.fields.indexOf(pair.b);
  const first = Math.min(ia, ib);
  const others = template.fields.filter((f) => f !== pair.a && f !== pair.b);
  return {
    lead: others.filter((f) => template.fields.indexOf(f) < first),
    pair,
    rest: others.filter((f) => template.fields.indexOf(f) > first),
  };
}
