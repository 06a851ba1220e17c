// Experts' standing per project (gold accuracy, skill, paused with the reason), for the expert
// and for the operator who reinstates (docs/api.md, "Standing").
import { type Api, api as defaultApi } from './client';
import type { Timestamp } from './types';

export interface Standing {
  project_id: string;
  project_name: string;
  judgments: number;
  gold_total: number;
  gold_correct: number;
  gold_accuracy: number | null;
  skill: number | null;
  paused: boolean;
  /** "" when not paused. */
  reason: string;
  since: Timestamp;
  changed_at: Timestamp;
}

export interface OperatorStanding extends Standing {
  expert: { id: string; email: string; name: string };
  org: { id: string; name: string };
}

export class StandingsApi {
  constructor(private readonly api: Api = defaultApi) {}

  async mine(signal?: AbortSignal): Promise<Standing[]> {
    return (await this.api.get<{ standings: Standing[] }>('/api/v1/me/standings', signal)).standings;
  }
  async all(pausedOnly: boolean, signal?: AbortSignal): Promise<OperatorStanding[]> {
    return (await this.api.get<{ standings: OperatorStanding[] }>(`/api/v1/standings?paused=${pausedOnly}`, signal)).standings;
  }
  reinstate(userId: string, projectId: string, reason: string): Promise<OperatorStanding> {
    return this.api.post<OperatorStanding>(
      `/api/v1/experts/${encodeURIComponent(userId)}/standings/${encodeURIComponent(projectId)}/reinstate`,
      { reason },
    );
  }
}

export const standingsApi = new StandingsApi();
