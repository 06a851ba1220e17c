// The lab console's part of the API (docs/api.md: projects and items, quality, export): its
// shapes and typed calls, all through the one client.
import { api } from './client';
import type { Template } from './template';
import type { Project, Timestamp } from './types';
import { uploadWithProgress, type UploadProgress } from './upload';

/** How far a project is: items done, in progress and remaining, and the recent pace (gold
 * items and their judgments left out). */
export interface ProjectProgress {
  items: number;
  complete: number;
  in_progress: number;
  remaining: number;
  /** The most judgments still needed to complete every item. */
  remaining_judgments?: number;
  submissions: number;
  submissions_last_hour: number;
  submissions_last_day: number;
  /** Judgments per hour over the last day; null before the first. */
  throughput_per_hour: number | null;
  estimated_completion: Timestamp | null;
  as_of: Timestamp;
}

export interface AdaptiveSettings {
  threshold: number;
  min: number;
  change?: number;
  gate?: number;
}

/** A project as the lab sees it: the project with its template and settings. */
/** What a project requires of an expert beyond its domain and level. */
export interface ProjectRequirements {
  min_exam_score: number;
  credential_kinds: string[];
  languages: string[];
  competitors: string[];
  terms: { version: number; text: string; created_at: Timestamp } | null;
  standing: { min_gold_accuracy: number | null; min_skill: number | null; min_judgments: number };
}

/** A PATCH of requirements: any of them; `terms` is the text ("" removes the terms). */
export interface RequirementsPatch {
  min_exam_score?: number;
  credential_kinds?: string[];
  languages?: string[];
  competitors?: string[];
  terms?: string;
  standing?: Partial<ProjectRequirements['standing']>;
}

export interface Exclusion {
  pseudonym: string;
  created_at: Timestamp;
}

/** A verified, unexpired credential as a lab may learn of it. */
export interface CredentialSummary {
  kind: string;
  domain: string | null;
  level: number | null;
  level_name: string | null;
  verified: boolean;
  /** "verified PhD, physics" */
  text: string;
}

export interface WorkforceExpert {
  pseudonym: string;
  qualification: { domain: string; level: number; level_name: string; grounds: 'exam' | 'credential' | 'operator' } | null;
  credentials: CredentialSummary[];
  judgments: number;
  gold_total: number;
  gold_correct: number;
  gold_accuracy: number | null;
  skill: number | null;
  paused: boolean;
}

export interface Workforce {
  domain: string | null;
  experts: WorkforceExpert[];
  /** Experts per level of their qualification, highest first; level null: without one. */
  mix: { level: number | null; level_name: string | null; experts: number }[];
}

export interface LabProject extends Omit<Project, 'counts'> {
  template: Template;
  /** Present once the server has project requirements. */
  requirements?: ProjectRequirements;
  gold_rate: number;
  lease_seconds: number;
  adaptive: AdaptiveSettings | null;
  /** Only with one project (GET /projects/{id}); the list leaves it out. */
  counts?: Project['counts'];
  progress?: ProjectProgress;
}

export type ProjectStatus = Project['status'];

export interface Preset {
  name: string;
  title: string;
  template: Template;
}

export interface Domain {
  name: string;
  title: string;
}

export interface Level {
  level: number;
  name: string;
}

export interface NewProjectBody {
  name: string;
  description?: string;
  preset?: string;
  template?: Template;
  guidelines?: string;
  domain: string | null;
  min_level?: number | string;
  redundancy?: number | string;
  gold_rate?: number | string;
}

export interface Item {
  id: string;
  external_id: string | null;
  data: Record<string, unknown>;
  priority: number;
  gold: Record<string, unknown> | null;
  taken: number;
  submitted: number;
  created_at: Timestamp;
}

export interface ImportSummary {
  import_id: string;
  items: number;
  gold_items: number;
  existing: number;
}

export interface Agreement {
  metric: string;
  value: number | null;
  note?: string;
}

export interface QuestionQuality {
  name: string;
  type: string;
  method: string;
  judgments: number;
  items_aggregated: number;
  mean_confidence?: number | null;
  agreement?: Agreement;
}

export interface ExpertQuality {
  expert: string;
  answers: number;
  gold_answers: number;
  gold_accuracy: number | null;
  skill: number | null;
  information?: number | null;
  gated?: boolean;
}

export interface QualityReport {
  computed_at: Timestamp;
  submissions: number;
  items_with_answers: number;
  settled_items: number;
  adaptive: (AdaptiveSettings & { max: number; gated_experts: number }) | null;
  questions: QuestionQuality[];
  experts: ExpertQuality[];
}

export interface Aggregate {
  item_id: string;
  question: string;
  answer: unknown;
  confidence: number;
  judgments: number;
}

export type ExportFormat = 'raw' | 'sft' | 'preference';

const projectPath = (id: string) => `/api/v1/projects/${encodeURIComponent(id)}`;

function pageQuery(limit: number, after: string | null): string {
  const q = new URLSearchParams({ limit: String(limit) });
  if (after) q.set('after', after);
  return q.toString();
}

/** One expert's answer to an item, as the lab sees it (the raw export's line). */
export interface ItemSubmission {
  submission_id: string;
  item_id: string;
  answer: Record<string, unknown>;
  template_version: number;
  /** The lab's pseudonym of the expert. */
  expert: string;
  active_seconds: number;
  leased_at: Timestamp;
  submitted_at: Timestamp;
  is_gold: boolean;
}

const itemPath = (id: string, itemId: string) => `${projectPath(id)}/items/${encodeURIComponent(itemId)}`;

export const labApi = {
  projects: (signal?: AbortSignal) => api.get<{ projects: LabProject[] }>('/api/v1/projects', signal),
  project: (id: string, signal?: AbortSignal) => api.get<LabProject>(projectPath(id), signal),
  createProject: (body: NewProjectBody) => api.post<LabProject>('/api/v1/projects', body),
  setStatus: (id: string, status: ProjectStatus) => api.patch<LabProject>(projectPath(id), { status }),
  presets: (signal?: AbortSignal) => api.get<{ presets: Preset[] }>('/api/v1/presets', signal),
  domains: (signal?: AbortSignal) => api.get<{ domains: Domain[]; levels: Level[] }>('/api/v1/domains', signal),
  quality: (id: string, signal?: AbortSignal) => api.get<QualityReport>(`${projectPath(id)}/quality`, signal),
  refreshQuality: (id: string) => api.post<QualityReport>(`${projectPath(id)}/quality/refresh`),
  items: (id: string, limit: number, after: string | null, signal?: AbortSignal) =>
    api.get<{ items: Item[]; next_after: string | null }>(`${projectPath(id)}/items?${pageQuery(limit, after)}`, signal),
  aggregates: (id: string, limit: number, after: string | null, signal?: AbortSignal) =>
    api.get<{ aggregates: Aggregate[]; next_after: string | null }>(
      `${projectPath(id)}/quality/items?${pageQuery(limit, after)}`,
      signal,
    ),
  item: (id: string, itemId: string, signal?: AbortSignal) => api.get<Item>(itemPath(id, itemId), signal),
  itemSubmissions: (id: string, itemId: string, signal?: AbortSignal) =>
    api.get<{ submissions: ItemSubmission[] }>(`${itemPath(id, itemId)}/submissions`, signal),
  /** Sends the file as it is (the browser streams it from disk), reporting upload progress. */
  importItems: (id: string, file: Blob, onProgress: (p: UploadProgress) => void, signal?: AbortSignal) =>
    uploadWithProgress<ImportSummary>(`${projectPath(id)}/items`, file, 'application/x-ndjson', onProgress, signal),
  updateRequirements: (id: string, requirements: RequirementsPatch) => api.patch<LabProject>(projectPath(id), { requirements }),
  exclusions: async (id: string, signal?: AbortSignal) =>
    (await api.get<{ exclusions: Exclusion[] }>(`${projectPath(id)}/exclusions`, signal)).exclusions,
  exclude: (id: string, pseudonym: string) => api.put<Exclusion>(`${projectPath(id)}/exclusions/${encodeURIComponent(pseudonym)}`),
  unexclude: (id: string, pseudonym: string) => api.delete<void>(`${projectPath(id)}/exclusions/${encodeURIComponent(pseudonym)}`),
  workforce: (id: string, signal?: AbortSignal) => api.get<Workforce>(`${projectPath(id)}/workforce`, signal),
  /** A same-origin link that downloads the export with the session cookie. */
  exportUrl: (id: string, format: ExportFormat) => `${projectPath(id)}/export?format=${format}`,
};
