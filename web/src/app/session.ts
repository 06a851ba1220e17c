// Who is signed in. The session itself is the server's HttpOnly cookie; the app only knows
// the user it belongs to (GET /api/v1/me) and forgets it on sign-out or on any 401.
import { signal } from '@preact/signals';

import { type Api, ApiError, api as defaultApi } from '../api/client';
import type { LoginAnswer, Me, Role } from '../api/types';

export type SessionState =
  | { kind: 'loading' }
  | { kind: 'signed-out' }
  | { kind: 'signed-in'; me: Me }
  | { kind: 'unreachable'; message: string };

export const session = signal<SessionState>({ kind: 'loading' });

export class Session {
  constructor(private readonly api: Api = defaultApi) {}

  /** Reads who the cookie belongs to. */
  async load(): Promise<void> {
    try {
      const me = await this.api.get<Me>('/api/v1/me');
      session.value = { kind: 'signed-in', me };
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) session.value = { kind: 'signed-out' };
      else session.value = { kind: 'unreachable', message: (e as Error).message };
    }
  }

  /** Signs in; throws the ApiError (401 wrong credentials, 429 throttled, 400 a field). */
  async signIn(email: string, password: string): Promise<Me> {
    await this.api.post<LoginAnswer>('/api/v1/auth/login', { email, password });
    const me = await this.api.get<Me>('/api/v1/me');
    session.value = { kind: 'signed-in', me };
    return me;
  }

  async signOut(): Promise<void> {
    try {
      await this.api.post('/api/v1/auth/logout');
    } finally {
      session.value = { kind: 'signed-out' };
    }
  }
}

export const sessions = new Session();

/** The screens' home for each role. */
export function homeFor(role: Role): string {
  switch (role) {
    case 'expert':
      return '/work';
    case 'owner':
    case 'member':
      return '/lab/projects';
    case 'operator':
      return '/admin/labs';
  }
}
