// A sample item for the template preview: a plausible value for every field, by its type, so
// the lab sees what an expert will see before any item is imported. Values the lab typed in
// stay as long as their field does and the value still fits its type.
import type { FieldType, Template, TemplateField } from '../api/template';
import { parseJsonObject } from './json-object';

const CODE_SAMPLES: Record<string, string> = {
  python: 'def mean(xs: list[float]) -> float:\n    """The arithmetic mean of a non-empty list."""\n    return sum(xs) / len(xs)\n',
  javascript: 'function mean(xs) {\n  return xs.reduce((a, b) => a + b, 0) / xs.length;\n}\n',
  typescript: 'function mean(xs: number[]): number {\n  return xs.reduce((a, b) => a + b, 0) / xs.length;\n}\n',
  cpp: 'double Mean(const std::vector<double>& xs) {\n  return std::accumulate(xs.begin(), xs.end(), 0.0) / xs.size();\n}\n',
};

/** A value of `field`'s type that shows how the expert sees it. */
export function sampleValue(field: TemplateField, origin: string): unknown {
  const title = field.title || field.name;
  switch (field.type) {
    case 'text':
      return `${title}: a sample of plain text, shown as it is written.`;
    case 'markdown':
      return `**${title}**: a *sample* with inline math, $x^2 \\ge 0$, and a display:\n\n$$\\int_0^1 x^2 \\, dx = \\tfrac{1}{3}$$`;
    case 'code':
      return CODE_SAMPLES[field.language?.toLowerCase() ?? ''] ?? CODE_SAMPLES.python;
    case 'chat':
      return [
        { role: 'user', content: 'What is the derivative of $x^2$?' },
        { role: 'assistant', content: 'By the power rule, $\\frac{d}{dx} x^2 = 2x$.' },
      ];
    case 'image_url':
      return `${origin}/favicon.svg`;
  }
}

/** Whether `value` can stand for a field of `type` in the preview. */
export function fitsType(value: unknown, type: FieldType): boolean {
  if (type === 'chat') {
    return (
      Array.isArray(value) &&
      value.every((t) => !!t && typeof t === 'object' && typeof (t as { content?: unknown }).content === 'string')
    );
  }
  if (type === 'image_url') return typeof value === 'string' && /^https?:\/\//.test(value);
  return typeof value === 'string';
}

/** A sample item for `template`: the values of `previous` that still fit their field (and any
 * keys that name no field, which an item may carry as metadata), and a generated value for
 * every other field. */
export function sampleItem(
  template: Template,
  previous: Record<string, unknown> = {},
  origin = typeof window === 'undefined' ? 'https://example.org' : window.location.origin,
): Record<string, unknown> {
  const names = new Set(template.fields.map((f) => f.name));
  const out: Record<string, unknown> = {};
  for (const f of template.fields) {
    const kept = previous[f.name];
    out[f.name] = kept !== undefined && fitsType(kept, f.type) ? kept : sampleValue(f, origin);
  }
  for (const [k, v] of Object.entries(previous)) if (!names.has(k)) out[k] = v;
  return out;
}

export type ParsedSample = { ok: true; data: Record<string, unknown> } | { ok: false; error: string };

/** Reads a sample item typed as JSON: an object of field values. */
export function parseSample(text: string): ParsedSample {
  const parsed = parseJsonObject(text, 'An item is a JSON object of field values, e.g. {"prompt": "…"}.');
  return parsed.ok ? { ok: true, data: parsed.value } : parsed;
}
