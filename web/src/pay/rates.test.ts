import { describe, expect, it } from 'vitest';

import { rateBook, rateText } from './rates';

describe('the expert’s rates', () => {
  it('says what a project pays, and nothing for a project without a rate', () => {
    const book = rateBook([
      { project_id: 'prj_1', hourly_minor: 11250, currency: 'USD' },
      { project_id: 'prj_2', hourly_minor: 3000, currency: 'EUR' },
    ]);
    expect(rateText(book, 'prj_1', 'en-US')).toBe('Pays $112.50 an hour');
    expect(rateText(book, 'prj_2', 'en-US')).toBe('Pays €30.00 an hour');
    expect(rateText(book, 'prj_3', 'en-US')).toBeNull();
  });
});
