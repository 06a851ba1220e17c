import { describe, expect, it } from 'vitest';

import type { Domain } from '../api/experts';
import { domainOptions, domainTitle, domainTree, suggestName } from './domains';

const D: Domain[] = [
  { name: 'physics', title: 'Physics', parent: null },
  { name: 'law', title: 'Law', parent: null },
  { name: 'quantum_field_theory', title: 'Quantum field theory', parent: 'physics' },
  { name: 'tax_law', title: 'Tax law', parent: 'law' },
  { name: 'stray', title: 'Stray', parent: 'gone' },
];

describe('domainTree', () => {
  it('puts sub-fields under their domain and keeps a sub-field of an unknown parent', () => {
    const tree = domainTree(D);
    expect(tree.map((n) => [n.domain.name, n.subfields.map((s) => s.name)])).toEqual([
      ['physics', ['quantum_field_theory']],
      ['law', ['tax_law']],
      ['stray', []],
    ]);
  });
});

describe('domainOptions', () => {
  it('lists each domain followed by its sub-fields', () => {
    expect(domainOptions(D).map((o) => o.label)).toEqual([
      'Physics',
      'Physics › Quantum field theory',
      'Law',
      'Law › Tax law',
      'Stray',
    ]);
  });
});

describe('domainTitle', () => {
  it('finds the title, falls back to the name, and is empty for none', () => {
    expect(domainTitle(D, 'tax_law')).toBe('Tax law');
    expect(domainTitle(D, 'chemistry')).toBe('chemistry');
    expect(domainTitle(D, null)).toBe('');
  });
});

describe('suggestName', () => {
  it('makes a lowercase identifier the server accepts', () => {
    expect(suggestName('Quantum Field Theory')).toBe('quantum_field_theory');
    expect(suggestName('  Ökonometrie & Statistik ')).toBe('okonometrie_statistik');
    expect(suggestName('3D printing')).toBe('d_printing');
    expect(suggestName('x'.repeat(60))).toHaveLength(48);
  });
});
