// The operator's vetting queue: pending credentials, oldest first; one at a time with its
// evidence beside the decision (verify, optionally granting the qualification it proves, or
// reject with a reason the expert reads).
import { useState } from 'preact/hooks';

import { expertsApi, type PendingCredential } from '../../api/experts';
import { domainTitle } from '../../experts/domains';
import { formatTime } from '../../ui/format';
import { useResource } from '../../ui/resource';
import { Loaded } from '../../ui/Status';
import { VettingDetail } from './VettingDetail';

async function load(signal: AbortSignal) {
  const [queue, domains] = await Promise.all([expertsApi.vettingQueue(signal), expertsApi.domains(signal)]);
  return { queue, domains };
}

export function Vetting() {
  const [data, reload] = useResource(load, []);
  const [selected, setSelected] = useState<string | null>(null);
  const [done, setDone] = useState('');

  return (
    <section class="page">
      <h1>Vetting</h1>
      <p class="muted" role="status">
        {done}
      </p>
      <Loaded resource={data} onRetry={reload}>
        {({ queue, domains }) => {
          if (queue.length === 0) return <p>No credential is waiting for review.</p>;
          const current = queue.find((c) => c.id === selected) ?? queue[0]!;
          return (
            <div class="vetting">
              <nav aria-label="Pending credentials">
                <ul class="expert-list">
                  {queue.map((c: PendingCredential) => (
                    <li key={c.id}>
                      <button
                        type="button"
                        class={`card queue-entry${c.id === current.id ? ' selected' : ''}`}
                        aria-current={c.id === current.id ? 'true' : undefined}
                        onClick={() => setSelected(c.id)}
                      >
                        <strong>{c.title}</strong>
                        <span>{c.expert.name}</span>
                        <span class="muted">
                          {domainTitle(domains.domains, c.domain) || 'no domain'}
                          {c.submitted_at ? ` · sent ${formatTime(c.submitted_at)}` : ''}
                        </span>
                      </button>
                    </li>
                  ))}
                </ul>
              </nav>
              <VettingDetail
                key={current.id}
                credential={current}
                domains={domains}
                onDecided={(message) => {
                  setDone(message);
                  setSelected(null);
                  reload();
                }}
              />
            </div>
          );
        }}
      </Loaded>
    </section>
  );
}
