// The API's JSON shapes as the app uses them (docs/api.md is the reference).

/** A time as the API writes it: RFC 3339 in UTC ("2026-12-06T03:02:54Z"). */
export type Timestamp = string;

export type Role = 'operator' | 'owner' | 'member' | 'expert';

/** Why a qualification was granted. */
export interface Grounds {
  kind: 'exam' | 'credential' | 'operator';
  score?: number;
  reason?: string;
}

export interface Qualification {
  domain: string;
  /** The domain a sub-field belongs to; null for a domain. */
  parent: string | null;
  level: number;
  level_name: string;
  reviewer: boolean;
  granted_at: Timestamp;
  expires_at: Timestamp | null;
  expired: boolean;
  grounds: Grounds;
}

export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
  lab_id?: string | null;
  created_at: Timestamp;
  disabled?: boolean;
}

export interface Me {
  id: string;
  email: string;
  name: string;
  role: Role;
  lab: { id: string; name: string } | null;
  qualifications: Qualification[];
}

export interface LoginAnswer {
  expires_at: Timestamp;
  user: User;
}

export interface Lab {
  id: string;
  name: string;
  slug: string;
  created_at: Timestamp;
}

export interface ProjectCounts {
  items: number;
  gold_items: number;
  complete_items: number;
  submissions: number;
}

export interface Project {
  id: string;
  name: string;
  description: string;
  preset: string | null;
  template_version: number;
  guidelines: string;
  domain: string | null;
  min_level: number;
  redundancy: number;
  status: 'active' | 'paused' | 'archived';
  created_at: Timestamp;
  updated_at: Timestamp;
  counts: ProjectCounts | null;
}

export interface WorkProject {
  id: string;
  name: string;
  domain: string | null;
  min_level: number;
  open_items: number;
  template_version: number;
  guidelines: string;
  /** The version of the terms the expert accepts before working; null or absent: none. */
  terms_version?: number | null;
}

/** Why an expert cannot work on a project yet, in an order they can act on. */
export type UnmetReason =
  | 'not_qualified'
  | 'qualification_expired'
  | 'exam_score'
  | 'credential_missing'
  | 'language_missing'
  | 'terms_not_accepted'
  | 'paused';

/** A project the expert could unlock (or is paused on). */
export interface LockedProject {
  id: string;
  name: string;
  domain: string | null;
  min_level: number;
  open_items: number;
  unmet: { reason: UnmetReason | string; message: string }[];
}

/** A project's terms as the expert reads them. */
export interface ProjectTerms {
  version: number;
  text: string;
  created_at: Timestamp;
  accepted_at: Timestamp | null;
}
