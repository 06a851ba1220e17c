import { describe, expect, it } from 'vitest';

import type { Item } from '../api/lab';
import type { Template } from '../api/template';
import { joinAggregates } from './aggregates';
import { answerColumns } from './answer-columns';

const T: Template = {
  fields: [],
  questions: [
    { name: 'verdict', type: 'label', options: ['a', 'b'] },
    {
      name: 'grade',
      type: 'rubric',
      criteria: [
        { name: 'right', kind: 'pass_fail' },
        { name: 'clear', kind: 'points', max_points: 2 },
      ],
    },
    { name: 'confidence', type: 'rating', min: 1, max: 5 },
  ],
};

describe('answerColumns', () => {
  it("orders the page's aggregated questions as the template does, criteria in the rubric's place", () => {
    const item = { id: 'i1' } as Item;
    const agg = (question: string) => ({ item_id: 'i1', question, answer: 1, confidence: 1, judgments: 1 });
    const rows = joinAggregates([item], ['confidence', 'grade.clear', 'grade.right', 'verdict', 'zzz'].map(agg));
    expect(answerColumns(T, rows)).toEqual(['verdict', 'grade.right', 'grade.clear', 'confidence', 'zzz']);
    expect(answerColumns(T, [])).toEqual([]);
  });
});
