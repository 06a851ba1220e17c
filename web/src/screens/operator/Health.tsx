// The instance's health as /healthz reports it, and its version; refreshed every 5 seconds.
import { useEffect } from 'preact/hooks';

import { api } from '../../api/client';
import { formatCount } from '../../ui/format';
import { useResource } from '../../ui/resource';
import { Loaded } from '../../ui/Status';

interface Health {
  status: 'ok' | 'degraded';
  accepting: boolean;
  connections?: number;
  max_connections?: number;
}

async function load(signal: AbortSignal) {
  const [health, version] = await Promise.all([
    fetch('/healthz', { signal, headers: { Accept: 'application/json' } }).then((r) => r.json() as Promise<Health>),
    api.get<{ version: string }>('/api/v1/version', signal),
  ]);
  return { health, version: version.version };
}

export function HealthScreen() {
  const [data, reload] = useResource(load, []);
  useEffect(() => {
    const timer = window.setInterval(reload, 5000);
    return () => window.clearInterval(timer);
  }, [reload]);
  return (
    <section class="page">
      <h1>Instance health</h1>
      <Loaded resource={data} onRetry={reload}>
        {({ health, version }) => (
          <dl class="facts card">
            <dt>Status</dt>
            <dd>
              <span class={`status-pill ${health.status === 'ok' ? 'active' : 'paused'}`}>{health.status}</span>
            </dd>
            <dt>Accepting connections</dt>
            <dd>{health.accepting ? 'yes' : 'no (out of file descriptors)'}</dd>
            <dt>Open connections</dt>
            <dd>
              {formatCount(health.connections ?? 0)} of {formatCount(health.max_connections ?? 0)}
            </dd>
            <dt>Version</dt>
            <dd>fachwerk {version}</dd>
          </dl>
        )}
      </Loaded>
    </section>
  );
}
