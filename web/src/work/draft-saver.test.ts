import { describe, expect, it } from 'vitest';

import { ApiError } from '../api/client';
import { DraftSaver, type Timers } from './draft-saver';

class FakeTimers implements Timers {
  queue: { f: () => void; ms: number; id: number }[] = [];
  private next = 0;
  set = (f: () => void, ms: number) => {
    const id = ++this.next;
    this.queue.push({ f, ms, id });
    return id;
  };
  clear = (h: unknown) => {
    this.queue = this.queue.filter((t) => t.id !== h);
  };
  /** Runs the pending timer; returns its delay. */
  async fire(): Promise<number> {
    const t = this.queue.shift();
    if (!t) throw new Error('no timer');
    t.f();
    await new Promise((r) => setTimeout(r, 0));
    return t.ms;
  }
}

describe('DraftSaver', () => {
  it('saves the latest answer once typing pauses', async () => {
    const saved: unknown[] = [];
    const timers = new FakeTimers();
    const saver = new DraftSaver(async (a) => void saved.push(a), 800, timers);
    saver.change({ t: 'a' });
    saver.change({ t: 'ab' });
    expect(timers.queue).toHaveLength(1);
    expect(saver.state.value.kind).toBe('unsaved');
    expect(await timers.fire()).toBe(800);
    expect(saved).toEqual([{ t: 'ab' }]);
    expect(saver.state.value.kind).toBe('saved');
    expect(saver.dirty).toBe(false);
  });

  it('keeps retrying through a dropped network and says so', async () => {
    const saved: unknown[] = [];
    let online = false;
    const timers = new FakeTimers();
    const saver = new DraftSaver(async (a) => {
      if (!online) throw new ApiError(0, 'network', 'offline');
      saved.push(a);
    }, 800, timers);
    saver.change({ t: 'a' });
    await timers.fire();
    expect(saver.state.value).toEqual({ kind: 'retrying', attempt: 1 });
    expect(saver.dirty).toBe(true);
    saver.change({ t: 'ab' });
    expect(await timers.fire()).toBe(1000);
    expect(saver.state.value).toEqual({ kind: 'retrying', attempt: 2 });
    online = true;
    expect(await timers.fire()).toBe(2000);
    expect(saved).toEqual([{ t: 'ab' }]);
    expect(saver.state.value.kind).toBe('saved');
  });

  it('stops on an error that retrying cannot fix', async () => {
    const timers = new FakeTimers();
    const saver = new DraftSaver(async () => {
      throw new ApiError(409, 'conflict', 'The lease expired.', 'lease_expired');
    }, 800, timers);
    saver.change({ t: 'a' });
    await timers.fire();
    expect(saver.state.value).toMatchObject({ kind: 'failed', message: 'The lease expired.' });
    expect(timers.queue).toHaveLength(0);
  });

  it('saves nothing after stop', async () => {
    const saved: unknown[] = [];
    const timers = new FakeTimers();
    const saver = new DraftSaver(async (a) => void saved.push(a), 800, timers);
    saver.change({ t: 'a' });
    saver.stop();
    saver.change({ t: 'b' });
    expect(timers.queue).toHaveLength(0);
    expect(saved).toEqual([]);
  });
});
