// Autosave: the answer being written is saved as the assignment's draft a moment after the
// expert stops typing, and again whenever it changes; when the network is gone the saver keeps
// the latest answer and tries again until it gets through, and says so.
import { signal } from '@preact/signals';

import type { Answer } from '../api/template';
import { ApiError } from '../api/client';
import { BACKOFF_MS, retryable } from './retry';

export type SaveState =
  | { kind: 'saved'; at: Date | null }
  | { kind: 'unsaved' }
  | { kind: 'saving' }
  | { kind: 'retrying'; attempt: number }
  | { kind: 'failed'; message: string; error: unknown };

export interface Timers {
  set: (f: () => void, ms: number) => unknown;
  clear: (handle: unknown) => void;
}

const browserTimers: Timers = {
  set: (f, ms) => setTimeout(f, ms),
  clear: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export class DraftSaver {
  readonly state = signal<SaveState>({ kind: 'saved', at: null });
  private pending: Answer | null = null;
  private timer: unknown = null;
  private inFlight = false;
  private attempt = 0;
  private stopped = false;

  constructor(
    private readonly save: (answer: Answer) => Promise<unknown>,
    private readonly delayMs = 800,
    private readonly timers: Timers = browserTimers,
  ) {}

  /** The answer changed: save it soon. */
  change(answer: Answer): void {
    if (this.stopped) return;
    this.pending = answer;
    if (this.state.value.kind !== 'retrying') this.state.value = { kind: 'unsaved' };
    this.schedule(this.attempt > 0 ? this.backoff() : this.delayMs);
  }

  /** True while something typed has not reached the server. */
  get dirty(): boolean {
    return this.pending !== null || this.inFlight;
  }

  /** No more saves (the answer was submitted or skipped, or the screen closed). */
  stop(): void {
    this.stopped = true;
    this.pending = null;
    if (this.timer !== null) this.timers.clear(this.timer);
    this.timer = null;
  }

  private backoff(): number {
    return BACKOFF_MS[Math.min(this.attempt - 1, BACKOFF_MS.length - 1)]!;
  }

  private schedule(ms: number): void {
    if (this.timer !== null) this.timers.clear(this.timer);
    this.timer = this.timers.set(() => {
      this.timer = null;
      void this.run();
    }, ms);
  }

  private async run(): Promise<void> {
    if (this.inFlight || this.pending === null || this.stopped) return;
    const answer = this.pending;
    this.pending = null;
    this.inFlight = true;
    if (this.attempt === 0) this.state.value = { kind: 'saving' };
    try {
      await this.save(answer);
      this.attempt = 0;
      if (!this.stopped) this.state.value = this.pending ? { kind: 'unsaved' } : { kind: 'saved', at: new Date() };
    } catch (e) {
      if (this.pending === null) this.pending = answer;
      if (retryable(e)) {
        this.attempt++;
        this.state.value = { kind: 'retrying', attempt: this.attempt };
        this.schedule(this.backoff());
      } else {
        this.pending = null;
        this.state.value = { kind: 'failed', message: e instanceof ApiError ? e.message : String(e), error: e };
      }
      return;
    } finally {
      this.inFlight = false;
    }
    if (this.pending !== null && !this.stopped) this.schedule(this.delayMs);
  }
}
