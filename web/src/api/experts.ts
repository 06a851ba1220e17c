// The expert network's calls: domains, sign-up, the expert's profile and credentials, and the
// operator's vetting (docs/api.md, "Expert profiles, sign-up and credentials").
import { type Api, api as defaultApi } from './client';
import type { Qualification, Timestamp, User } from './types';
import { type UploadProgress, uploadWithProgress } from './upload';

export interface Domain {
  name: string;
  title: string;
  /** The domain a sub-field belongs to; null for a domain. */
  parent: string | null;
}

export interface Level {
  level: number;
  name: string;
}

export interface Domains {
  domains: Domain[];
  levels: Level[];
}

export type SignupMode = 'closed' | 'invitation' | 'open';

export interface DeclaredDomain {
  domain: string;
  level: number;
  level_name?: string;
}

export type AffiliationKind = 'employer' | 'client';

export interface Affiliation {
  id?: string;
  organisation: string;
  organisation_key?: string;
  kind: AffiliationKind;
  since: Timestamp | null;
  until: Timestamp | null;
}

export interface Profile {
  headline: string;
  languages: string[];
  time_zone: string;
  weekly_hours_cap: number | null;
  domains: DeclaredDomain[];
  affiliations: Affiliation[];
  updated_at: Timestamp | null;
}

export type CredentialKind = 'degree' | 'licence' | 'certification' | 'employment';
export type IdentifierKind = 'orcid' | 'licence_number' | 'other';
export type CredentialStatus = 'draft' | 'pending' | 'verified' | 'rejected' | 'withdrawn' | 'expired';

export interface Evidence {
  name: string;
  content_type: string;
  bytes: number;
  sha256: string;
  url: string;
}

export interface Decision {
  outcome: 'verified' | 'rejected';
  by: { id: string; name: string };
  at: Timestamp;
  reason: string | null;
}

export interface Credential {
  id: string;
  kind: CredentialKind;
  title: string;
  issuer: string | null;
  domain: string | null;
  level: number | null;
  level_name: string | null;
  identifier_kind: IdentifierKind | null;
  identifier: string | null;
  issued_at: Timestamp | null;
  expires_at: Timestamp | null;
  status: CredentialStatus;
  evidence: Evidence | null;
  submitted_at: Timestamp | null;
  decision: Decision | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface NewCredential {
  kind: CredentialKind;
  title: string;
  issuer?: string;
  domain?: string;
  level?: number;
  identifier_kind?: IdentifierKind;
  identifier?: string;
  issued_at?: string;
  expires_at?: string;
}

export interface Invitation {
  id: string;
  email: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  state: 'pending' | 'expired';
}

export interface PendingCredential extends Credential {
  expert: { id: string; name: string; email: string };
}

export interface VerifyRequest {
  expires_at?: string;
  grant?: { domain: string; level: number; reviewer?: boolean };
}

export interface Dossier {
  expert: User;
  profile: Profile;
  credentials: Credential[];
  qualifications: Qualification[];
}

const enc = encodeURIComponent;

export class ExpertsApi {
  constructor(private readonly api: Api = defaultApi) {}

  domains(signal?: AbortSignal): Promise<Domains> {
    return this.api.get<Domains>('/api/v1/domains', signal);
  }
  addDomain(d: { name: string; title: string; parent?: string }): Promise<Domain> {
    return this.api.post<Domain>('/api/v1/domains', d);
  }

  signupMode(signal?: AbortSignal): Promise<{ mode: SignupMode }> {
    return this.api.get<{ mode: SignupMode }>('/api/v1/signup', signal);
  }
  signup(body: { name: string; password: string; email?: string; invitation?: string }): Promise<{ user: User }> {
    return this.api.post<{ user: User }>('/api/v1/signup', body);
  }

  signupSettings(signal?: AbortSignal): Promise<{ mode: SignupMode }> {
    return this.api.get<{ mode: SignupMode }>('/api/v1/settings/expert-signup', signal);
  }
  setSignupMode(mode: SignupMode): Promise<{ mode: SignupMode }> {
    return this.api.put<{ mode: SignupMode }>('/api/v1/settings/expert-signup', { mode });
  }
  async invitations(signal?: AbortSignal): Promise<Invitation[]> {
    return (await this.api.get<{ invitations: Invitation[] }>('/api/v1/expert-invitations', signal)).invitations;
  }
  invite(email: string): Promise<{ invitation: Invitation }> {
    return this.api.post<{ invitation: Invitation }>('/api/v1/expert-invitations', { email });
  }
  withdrawInvitation(id: string): Promise<void> {
    return this.api.delete<void>(`/api/v1/expert-invitations/${enc(id)}`);
  }

  profile(signal?: AbortSignal): Promise<Profile> {
    return this.api.get<Profile>('/api/v1/me/profile', signal);
  }
  saveProfile(p: Omit<Profile, 'updated_at'>): Promise<Profile> {
    return this.api.put<Profile>('/api/v1/me/profile', p);
  }

  async credentials(signal?: AbortSignal): Promise<Credential[]> {
    return (await this.api.get<{ credentials: Credential[] }>('/api/v1/me/credentials', signal)).credentials;
  }
  addCredential(c: NewCredential): Promise<Credential> {
    return this.api.post<Credential>('/api/v1/me/credentials', c);
  }
  withdrawCredential(id: string): Promise<Credential> {
    return this.api.delete<Credential>(`/api/v1/me/credentials/${enc(id)}`);
  }

  async vettingQueue(signal?: AbortSignal): Promise<PendingCredential[]> {
    return (await this.api.get<{ credentials: PendingCredential[] }>('/api/v1/vetting/credentials', signal)).credentials;
  }
  verify(id: string, body: VerifyRequest): Promise<{ credential: Credential; qualification: Qualification | null }> {
    return this.api.post(`/api/v1/vetting/credentials/${enc(id)}/verify`, body);
  }
  reject(id: string, reason: string): Promise<Credential> {
    return this.api.post<Credential>(`/api/v1/vetting/credentials/${enc(id)}/reject`, { reason });
  }
  dossier(userId: string, signal?: AbortSignal): Promise<Dossier> {
    return this.api.get<Dossier>(`/api/v1/experts/${enc(userId)}/dossier`, signal);
  }
}

export const expertsApi = new ExpertsApi();

/** Sends `file` as the credential's evidence (streamed from disk, with progress); the answer
 * is the credential, now pending. Throws ApiError (413, 415, 422 `evidence_type`…) or an
 * AbortError when `signal` cancels. */
export function uploadEvidence(
  credentialId: string,
  file: File,
  onProgress: (p: UploadProgress) => void,
  signal?: AbortSignal,
): Promise<Credential> {
  const path = `/api/v1/me/credentials/${enc(credentialId)}/evidence?filename=${enc(file.name)}`;
  return uploadWithProgress<Credential>(path, file, file.type || 'application/octet-stream', onProgress, signal, 'PUT');
}
