import { describe, expect, it } from 'vitest';

import { formatBytes, lineErrors } from './import-report';

describe('import report', () => {
  it('writes sizes in bytes, KB, MB', () => {
    expect(formatBytes(512)).toBe('512 bytes');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(3 * 1024 * 1024)).toBe('3 MB');
  });

  it('orders the bad lines by number, and keeps a detail without a line', () => {
    const rows = lineErrors([
      { field: 'line 17', code: 'required', message: 'data.text: this field is required' },
      { field: 'line 3', code: 'invalid_json' },
      { field: 'body', code: 'too_long', message: 'too long' },
    ]);
    expect(rows).toEqual([
      { line: 3, where: 'line 3', code: 'invalid_json', message: 'invalid_json' },
      { line: 17, where: 'line 17', code: 'required', message: 'data.text: this field is required' },
      { line: null, where: 'body', code: 'too_long', message: 'too long' },
    ]);
  });
});
