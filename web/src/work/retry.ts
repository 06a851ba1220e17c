// Calls that must get through: a draft, a submission. A dropped network or a server that is
// briefly unavailable is retried with growing pauses, and the caller is told while it waits;
// any other error is the answer and is passed on at once.
import { ApiError } from '../api/client';

export const BACKOFF_MS = [1000, 2000, 4000, 8000, 15000];

/** True for failures worth retrying: no connection, or the server asks to come back later. */
export function retryable(e: unknown): boolean {
  return e instanceof ApiError && (e.isNetwork || e.status === 502 || e.status === 503 || e.status === 504);
}

export type Sleep = (ms: number) => Promise<void>;
export const sleep: Sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Runs `call` until it succeeds or fails for good. `onWait(attempt, error)` is told before each
 * pause; `stopped()` ends the retries (the screen went away) with the last error.
 */
export async function withRetry<T>(
  call: () => Promise<T>,
  onWait: (attempt: number, error: ApiError) => void,
  stopped: () => boolean = () => false,
  pause: Sleep = sleep,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (e) {
      if (!retryable(e) || stopped()) throw e;
      onWait(attempt + 1, e as ApiError);
      await pause(BACKOFF_MS[Math.min(attempt, BACKOFF_MS.length - 1)]!);
      if (stopped()) throw e;
    }
  }
}

/** An idempotency key: 128 random bits, hex. */
export function newIdempotencyKey(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
