import { describe, expect, it } from 'vitest';

import { currentLink, NAV } from './Shell';

describe('currentLink', () => {
  it('marks the longest link the path falls under', () => {
    expect(currentLink(NAV.expert, '/work/history')).toBe('/work/history');
    expect(currentLink(NAV.expert, '/work/prj_abc')).toBe('/work');
    expect(currentLink(NAV.owner, '/lab/projects/prj_abc')).toBe('/lab/projects');
    expect(currentLink(NAV.owner, '/lab/projectsx')).toBeUndefined();
  });
});
