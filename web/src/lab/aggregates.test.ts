import { describe, expect, it } from 'vitest';

import type { Aggregate, Item } from '../api/lab';
import type { Template } from '../api/template';
import {
  aggregatedQuestions,
  confidencesOf,
  formatAnswer,
  formatProbability,
  gatherAggregates,
  itemSnippet,
  joinAggregates,
} from './aggregates';

const agg = (item_id: string, question: string, answer: unknown, confidence = 0.9): Aggregate => ({
  item_id,
  question,
  answer,
  confidence,
  judgments: 3,
});

const item = (id: string): Item => ({
  id,
  external_id: null,
  data: {},
  priority: 0,
  gold: null,
  taken: 0,
  submitted: 0,
  created_at: '2026-12-06T10:00:00Z',
});

describe('aggregates', () => {
  it('keeps the questions with an answer per item', () => {
    const questions = [
      { name: 'label', type: 'label', method: 'ds', judgments: 3, items_aggregated: 1 },
      { name: 'notes', type: 'text', method: 'none', judgments: 3, items_aggregated: 0 },
      { name: 'grade', type: 'rubric', method: 'per-criterion', judgments: 3, items_aggregated: 0 },
      { name: 'grade.correct', type: 'rubric_pass_fail', method: 'ds', judgments: 3, items_aggregated: 1 },
    ];
    expect(aggregatedQuestions({ questions }).map((q) => q.name)).toEqual(['label', 'grade.correct']);
  });

  it('puts each aggregate beside its item', () => {
    const rows = joinAggregates([item('a'), item('b')], [agg('a', 'label', 'yes'), agg('a', 'rating', 4), agg('c', 'label', 'no')]);
    expect(rows.map((r) => [r.item.id, [...r.answers.keys()]])).toEqual([
      ['a', ['label', 'rating']],
      ['b', []],
    ]);
  });

  it('writes every answer form as short text', () => {
    expect(formatAnswer('correct')).toBe('correct');
    expect(formatAnswer(4)).toBe('4');
    expect(formatAnswer(true)).toBe('pass');
    expect(formatAnswer(['x', 'y'])).toBe('x, y');
    expect(formatAnswer([])).toBe('none');
    expect(formatAnswer({ choice: 'tie' })).toBe('tie');
    expect(formatAnswer({ choice: 'A', strength: 2 })).toBe('A (strength 2)');
    expect(formatAnswer(null)).toBe('—');
  });

  it('never rounds a confidence up to certainty', () => {
    expect(formatProbability(0.99997)).toBe('0.999');
    expect(formatProbability(1)).toBe('1.000');
    expect(formatProbability(null)).toBe('—');
  });

  it("shows the start of an item's first text", () => {
    const t: Template = {
      fields: [
        { name: 'img', type: 'image_url' },
        { name: 'chat', type: 'chat' },
      ],
      questions: [],
    };
    expect(itemSnippet({ img: 'https://x.example/a.png', chat: [{ role: 'user', content: 'Hello\n  there' }] }, t)).toBe('Hello there');
    expect(itemSnippet({ chat: [{ role: 'user', content: 'x'.repeat(100) }] }, t, 10)).toBe('xxxxxxxxx…');
    expect(itemSnippet({}, t)).toBe('');
  });

  it('gathers pages up to a number of items', async () => {
    const pages: Record<string, { aggregates: Aggregate[]; next_after: string | null }> = {
      start: { aggregates: [agg('a', 'q', 1, 0.5), agg('b', 'q', 1, 0.7)], next_after: 'b' },
      b: { aggregates: [agg('c', 'q', 1, 0.9)], next_after: null },
    };
    const asked: [number, string | null][] = [];
    const page = async (limit: number, after: string | null) => {
      asked.push([limit, after]);
      return pages[after ?? 'start']!;
    };
    const all = await gatherAggregates(page, 10, 2);
    expect(all.complete).toBe(true);
    expect(confidencesOf(all.aggregates, 'q')).toEqual([0.5, 0.7, 0.9]);
    expect(asked).toEqual([
      [2, null],
      [2, 'b'],
    ]);
    const some = await gatherAggregates(page, 2, 2);
    expect(some).toMatchObject({ complete: false });
    expect(some.aggregates).toHaveLength(2);
  });
});
