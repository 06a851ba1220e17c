// A project's terms for the expert: read them, accept the current version
// (docs/api.md, "The work loop").
import { type Api, api as defaultApi } from './client';
import type { ProjectTerms, Timestamp } from './types';

const path = (projectId: string) => `/api/v1/work/projects/${encodeURIComponent(projectId)}/terms`;

export class TermsApi {
  constructor(private readonly api: Api = defaultApi) {}

  /** The current terms; ApiError 404 when the project has none. */
  get(projectId: string, signal?: AbortSignal): Promise<ProjectTerms> {
    return this.api.get<ProjectTerms>(path(projectId), signal);
  }
  /** Accepts `version`; ApiError 409 `terms_changed` when it is no longer the current one. */
  accept(projectId: string, version: number): Promise<{ version: number; accepted_at: Timestamp }> {
    return this.api.post(path(projectId), { version });
  }
}

export const termsApi = new TermsApi();
