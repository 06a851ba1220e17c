// What a screen shows while its data loads or when loading failed.
import type { ComponentChildren } from 'preact';

import type { Resource } from './resource';

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <p class="status" role="status" aria-live="polite">
      {label}
    </p>
  );
}

export function ErrorBox({ error, onRetry }: { error: Error; onRetry?: () => void }) {
  return (
    <div class="error-box" role="alert">
      <p>{error.message}</p>
      {onRetry && (
        <button type="button" class="button" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

/** Renders `children(data)` once the resource is ready; loading and error states otherwise. */
export function Loaded<T>({
  resource,
  onRetry,
  children,
}: {
  resource: Resource<T>;
  onRetry?: () => void;
  children: (data: T) => ComponentChildren;
}) {
  if (resource.state === 'loading') return <Loading />;
  if (resource.state === 'error') return <ErrorBox error={resource.error} onRetry={onRetry} />;
  return <>{children(resource.data)}</>;
}
