// The expert's tasks on one project: the one on screen and the next one, leased while the
// expert works on this one so that it is on screen the moment this one is submitted. Tasks
// left from an earlier visit (active leases on this project) come first.
import { signal } from '@preact/signals';

import type { WorkApi } from './work-api';
import type { Assignment, NextAnswer } from './types';

export type Empty = { reason: string; message: string };

export class TaskQueue {
  readonly current = signal<Assignment | null>(null);
  readonly empty = signal<Empty | null>(null);
  private readonly ahead: Assignment[] = [];
  private fetching: Promise<void> | null = null;
  private exhausted = false;

  constructor(
    private readonly api: WorkApi,
    private readonly projectId: string,
  ) {}

  /** The tasks waiting behind the current one (prefetched or resumed). */
  get waiting(): readonly Assignment[] {
    return this.ahead;
  }

  /** Resumes this project's active leases, or leases a first task. */
  async start(): Promise<void> {
    const active = (await this.api.active())
      .filter((a) => a.project_id === this.projectId)
      .sort((a, b) => a.leased_at.localeCompare(b.leased_at) || a.id.localeCompare(b.id));
    this.ahead.push(...active);
    await this.advance();
  }

  /** Shows the next task: the one waiting, else a new lease; then leases the one after. */
  async advance(): Promise<void> {
    const waiting = this.ahead.shift();
    if (waiting) {
      this.current.value = waiting;
      this.empty.value = null;
    } else {
      this.exhausted = false;
      const next = await this.api.next(this.projectId);
      this.show(next);
    }
    void this.prefetch();
  }

  /** Drops a task that can no longer be worked on (its lease ended) from those waiting. */
  drop(id: string): void {
    const i = this.ahead.findIndex((a) => a.id === id);
    if (i >= 0) this.ahead.splice(i, 1);
  }

  /** Leases the task after the current one, once; errors leave it to the next advance. */
  prefetch(): Promise<void> {
    if (this.ahead.length > 0 || this.exhausted || this.current.value === null) return Promise.resolve();
    if (!this.fetching) {
      this.fetching = this.api
        .next(this.projectId)
        .then((n) => {
          if (n.assignment) this.ahead.push(n.assignment);
          else this.exhausted = true;
        })
        .catch(() => undefined)
        .finally(() => {
          this.fetching = null;
        });
    }
    return this.fetching;
  }

  private show(next: NextAnswer): void {
    this.current.value = next.assignment;
    this.empty.value = next.assignment
      ? null
      : { reason: next.reason ?? 'no_open_items', message: next.message ?? 'There is no task for you right now.' };
    if (!next.assignment) this.exhausted = true;
  }
}
