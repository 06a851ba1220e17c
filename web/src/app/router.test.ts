import { describe, expect, it } from 'vitest';

import { matchPath, pathFor, safeReturnPath } from './router';
import { resolve } from './routes';

describe('router', () => {
  it('matches literal segments and parameters', () => {
    expect(matchPath('/lab/projects/:id', '/lab/projects/prj_abc')).toEqual({ id: 'prj_abc' });
    expect(matchPath('/lab/projects/:id', '/lab/projects/prj_abc/items')).toBeNull();
    expect(matchPath('/work', '/work/')).toEqual({});
    expect(matchPath('/a/:x', '/a/%E0%A4%A')).toBeNull();
  });
  it('builds paths with encoded parameters', () => {
    expect(pathFor('/lab/projects/:id', { id: 'a/b' })).toBe('/lab/projects/a%2Fb');
    expect(() => pathFor('/lab/projects/:id')).toThrow();
  });
  it('returns only to paths of this app after sign-in', () => {
    expect(safeReturnPath('/admin/users')).toBe('/admin/users');
    for (const bad of [null, '', 'https://evil.example', '//evil.example', '/\\evil.example', 'javascript:alert(1)']) {
      expect(safeReturnPath(bad)).toBe('/');
    }
  });
  it('opens a screen only for the roles it is for', () => {
    expect(resolve('/work', 'expert')?.route.title).toBe('Work');
    expect(resolve('/work', 'owner')).toBeNull();
    expect(resolve('/admin/labs', 'operator')?.route.title).toBe('Labs');
    expect(resolve('/admin/labs', 'member')).toBeNull();
    expect(resolve('/lab/projects', 'member')?.route.title).toBe('Projects');
  });
});
