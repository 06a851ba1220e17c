// What an expert can do about each unmet requirement of a project they could unlock: the
// screen that acts on it (exams, credentials, profile, the project's terms), or nothing to do
// but wait (paused: an operator reinstates).
import type { LockedProject } from '../api/types';

export interface UnlockAction {
  href: string;
  label: string;
}

export function actionFor(reason: string, projectId: string): UnlockAction | null {
  switch (reason) {
    case 'not_qualified':
    case 'qualification_expired':
    case 'exam_score':
      return { href: '/work/exams', label: 'Go to the exams' };
    case 'credential_missing':
      return { href: '/work/credentials', label: 'Add a credential' };
    case 'language_missing':
      return { href: '/work/profile', label: 'Edit your languages' };
    case 'terms_not_accepted':
      return { href: `/work/${encodeURIComponent(projectId)}/terms`, label: 'Read and accept the terms' };
    default:
      return null;
  }
}

/** True when the project waits only on the expert accepting its terms. */
export function onlyTerms(p: Pick<LockedProject, 'unmet'>): boolean {
  return p.unmet.length > 0 && p.unmet.every((u) => u.reason === 'terms_not_accepted');
}

/** True when an error of the work loop means the terms must be accepted first. */
export function needsTerms(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { status?: number; code?: string; reason?: string };
  return e.status === 403 && (e.reason === 'terms_not_accepted' || e.code === 'terms_not_accepted');
}
