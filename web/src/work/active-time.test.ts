import { describe, expect, it } from 'vitest';

import { ActiveClock, IDLE_AFTER_MS } from './active-time';

describe('ActiveClock', () => {
  it('counts visible time after an input', () => {
    const c = new ActiveClock(0);
    for (let t = 1000; t <= 10_000; t += 1000) c.tick(t, true);
    expect(c.take()).toBe(10);
    expect(c.take()).toBe(0);
  });

  it('stops two minutes after the last input and starts again on the next', () => {
    const c = new ActiveClock(0);
    c.tick(IDLE_AFTER_MS + 60_000, true);
    expect(c.take()).toBe(120);
    expect(c.idle(IDLE_AFTER_MS + 60_000)).toBe(true);
    c.interact(IDLE_AFTER_MS + 70_000);
    c.tick(IDLE_AFTER_MS + 75_000, true);
    expect(c.take()).toBe(5);
  });

  it('does not count a hidden tab', () => {
    const c = new ActiveClock(0);
    c.tick(5000, false);
    c.interact(5000);
    c.tick(8000, true);
    expect(c.take()).toBe(3);
    expect(c.totalSeconds).toBe(3);
  });

  it('keeps fractions and takes back what a failed report did not deliver', () => {
    const c = new ActiveClock(0);
    c.tick(1500, true);
    expect(c.take()).toBe(1);
    c.tick(2000, true);
    expect(c.take()).toBe(1);
    c.giveBack(1);
    expect(c.take()).toBe(1);
  });

  it('never counts more than the wall time', () => {
    const c = new ActiveClock(0);
    c.tick(1000, true);
    c.tick(1000, true);
    c.tick(500, true);
    expect(c.take()).toBe(1);
  });
});
