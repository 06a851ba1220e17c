// The quality report's aggregated answers as the lab reads them: per item beside the item, as
// text, and gathered across pages for the confidence histogram.
import type { Aggregate, Item, QualityReport, QuestionQuality } from '../api/lab';
import type { Template } from '../api/template';

/** The report's questions that have an aggregated answer per item (a rubric has none of its
 * own: each criterion is its own entry). */
export function aggregatedQuestions(report: Pick<QualityReport, 'questions'>): QuestionQuality[] {
  return report.questions.filter((q) => q.method !== 'none' && q.type !== 'rubric');
}

export interface ItemRow {
  item: Item;
  /** By question name. */
  answers: Map<string, Aggregate>;
}

/** Each item with its aggregates (items without any get an empty map). */
export function joinAggregates(items: readonly Item[], aggregates: readonly Aggregate[]): ItemRow[] {
  const byItem = new Map<string, Map<string, Aggregate>>();
  for (const a of aggregates) {
    let m = byItem.get(a.item_id);
    if (!m) byItem.set(a.item_id, (m = new Map()));
    m.set(a.question, a);
  }
  return items.map((item) => ({ item, answers: byItem.get(item.id) ?? new Map() }));
}

const decimal = new Intl.NumberFormat(undefined, { maximumFractionDigits: 3 });

/** An answer in the template's answer form as short text. */
export function formatAnswer(answer: unknown): string {
  if (answer === null || answer === undefined) return '—';
  if (typeof answer === 'string') return answer;
  if (typeof answer === 'number') return decimal.format(answer);
  if (typeof answer === 'boolean') return answer ? 'pass' : 'fail';
  if (Array.isArray(answer)) return answer.length ? answer.map(formatAnswer).join(', ') : 'none';
  if (typeof answer === 'object' && 'choice' in answer) {
    const { choice, strength } = answer as { choice: unknown; strength?: unknown };
    return strength === undefined ? String(choice) : `${String(choice)} (strength ${String(strength)})`;
  }
  return JSON.stringify(answer);
}

/** A probability (a confidence, a skill, an accuracy) as a decimal of three places, rounded
 * down, so only a certain 1 reads "1.000". */
export function formatProbability(c: number | null | undefined): string {
  if (c === null || c === undefined || !Number.isFinite(c)) return '—';
  return (Math.floor(c * 1000) / 1000).toFixed(3);
}

/** The start of the item's first text field, for telling items apart in a table. */
export function itemSnippet(data: Record<string, unknown>, template: Template, max = 80): string {
  for (const f of template.fields) {
    const v = data[f.name];
    let text: string | null = null;
    if (typeof v === 'string' && f.type !== 'image_url') text = v;
    else if (f.type === 'chat' && Array.isArray(v)) {
      const first = v.find((t) => t && typeof t === 'object' && typeof (t as { content?: unknown }).content === 'string');
      text = first ? (first as { content: string }).content : null;
    }
    if (text) {
      const flat = text.replace(/\s+/g, ' ').trim();
      return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
    }
  }
  return '';
}

type AggregatePage = { aggregates: Aggregate[]; next_after: string | null };

/** Every aggregate of up to `maxItems` items, read page by page; `complete` says whether that
 * was all of them. */
export async function gatherAggregates(
  page: (limit: number, after: string | null) => Promise<AggregatePage>,
  maxItems: number,
  pageSize = 1000,
): Promise<{ aggregates: Aggregate[]; complete: boolean }> {
  const out: Aggregate[] = [];
  let after: string | null = null;
  let read = 0;
  for (;;) {
    const limit = Math.min(pageSize, maxItems - read);
    const p = await page(limit, after);
    out.push(...p.aggregates);
    read += new Set(p.aggregates.map((a) => a.item_id)).size;
    if (p.next_after === null) return { aggregates: out, complete: true };
    if (read >= maxItems) return { aggregates: out, complete: false };
    after = p.next_after;
  }
}

/** The confidences of one question's aggregates. */
export function confidencesOf(aggregates: readonly Aggregate[], question: string): number[] {
  return aggregates.filter((a) => a.question === question).map((a) => a.confidence);
}
