import { describe, expect, it } from 'vitest';

import { TaskQueue } from './queue';
import type { Assignment, NextAnswer } from './types';
import type { WorkApi } from './work-api';

function assignment(id: string, project = 'p1', leasedAt = '2026-12-06T10:00:00Z'): Assignment {
  return {
    id, project_id: project, item: { id: `i-${id}`, data: {} }, template: { fields: [], questions: [] },
    template_version: 1, guidelines: '', leased_at: leasedAt, lease_expires_at: leasedAt, active_seconds: 0, state: 'active',
  };
}

function fakeApi(active: Assignment[], pool: Assignment[]): WorkApi & { nextCalls: number } {
  const api = {
    nextCalls: 0,
    active: async () => active,
    next: async (): Promise<NextAnswer> => {
      api.nextCalls++;
      const a = pool.shift();
      return a ? { assignment: a } : { assignment: null, reason: 'no_open_items', message: 'Nothing left.' };
    },
    submit: async () => { throw new Error('unused'); },
    skip: async () => undefined,
    heartbeat: async () => ({ lease_expires_at: '', active_seconds: 0 }),
    saveDraft: async () => undefined,
  };
  return api;
}

describe('TaskQueue', () => {
  it('resumes active leases of the project, oldest first, before leasing new ones', async () => {
    const api = fakeApi(
      [assignment('a2', 'p1', '2026-12-06T10:05:00Z'), assignment('x', 'p2'), assignment('a1', 'p1', '2026-12-06T10:00:00Z')],
      [assignment('n1')],
    );
    const q = new TaskQueue(api, 'p1');
    await q.start();
    expect(q.current.value?.id).toBe('a1');
    expect(q.waiting.map((a) => a.id)).toEqual(['a2']);
    expect(api.nextCalls).toBe(0);
    await q.advance();
    expect(q.current.value?.id).toBe('a2');
    await q.prefetch();
    expect(q.waiting.map((a) => a.id)).toEqual(['n1']);
  });

  it('has the next task waiting before the current one is done', async () => {
    const api = fakeApi([], [assignment('n1'), assignment('n2')]);
    const q = new TaskQueue(api, 'p1');
    await q.start();
    await q.prefetch();
    expect(q.current.value?.id).toBe('n1');
    expect(q.waiting.map((a) => a.id)).toEqual(['n2']);
    await q.advance();
    expect(q.current.value?.id).toBe('n2');
  });

  it('says why when the pool is empty and stops asking', async () => {
    const api = fakeApi([], [assignment('n1')]);
    const q = new TaskQueue(api, 'p1');
    await q.start();
    await q.prefetch();
    expect(api.nextCalls).toBe(2);
    await q.prefetch();
    expect(api.nextCalls).toBe(2);
    await q.advance();
    expect(q.current.value).toBeNull();
    expect(q.empty.value).toEqual({ reason: 'no_open_items', message: 'Nothing left.' });
  });
});
