// The work loop's calls, as the workbench makes them.
import { Api, api as defaultApi } from '../api/client';
import type { Answer } from '../api/template';
import type { Assignment, AssignmentList, HeartbeatAnswer, NextAnswer, Submission } from './types';

export interface WorkApi {
  active(): Promise<Assignment[]>;
  next(projectId: string): Promise<NextAnswer>;
  submit(id: string, answer: Answer, key: string): Promise<Submission>;
  skip(id: string, reason: string): Promise<void>;
  heartbeat(id: string, activeSeconds: number): Promise<HeartbeatAnswer>;
  saveDraft(id: string, answer: Answer): Promise<void>;
}

const path = (id: string, what: string) => `/api/v1/assignments/${encodeURIComponent(id)}/${what}`;

export function workApi(api: Api = defaultApi): WorkApi {
  return {
    active: async () => (await api.get<AssignmentList>('/api/v1/assignments?state=active')).assignments,
    next: (projectId) => api.post<NextAnswer>('/api/v1/work/next', { project_id: projectId }),
    submit: (id, answer, key) => api.post<Submission>(path(id, 'submit'), { answer, idempotency_key: key }),
    skip: async (id, reason) => {
      await api.post(path(id, 'skip'), { reason });
    },
    heartbeat: (id, activeSeconds) => api.post<HeartbeatAnswer>(path(id, 'heartbeat'), { active_seconds: activeSeconds }),
    saveDraft: async (id, answer) => {
      await api.put(path(id, 'draft'), { answer });
    },
  };
}

/**
 * The last heartbeat of a page being hidden or closed: sendBeacon, which the browser delivers
 * after the page is gone (a fetch with keepalive when the beacon is refused).
 */
export function beaconHeartbeat(id: string, activeSeconds: number): void {
  const body = JSON.stringify({ active_seconds: activeSeconds });
  const url = path(id, 'heartbeat');
  const blob = new Blob([body], { type: 'application/json' });
  if (typeof navigator.sendBeacon === 'function' && navigator.sendBeacon(url, blob)) return;
  void fetch(url, {
    method: 'POST',
    body,
    keepalive: true,
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json' },
  }).catch(() => undefined);
}
