// Projects the expert could unlock: each with every requirement still unmet and where to act
// on it (an exam, a credential, the profile, the terms); a paused project with its reason.
import type { LockedProject } from '../../api/types';
import { rateText, type RateBook } from '../../pay/rates';
import { actionFor } from '../../work/unlock';
import { formatCount } from '../../ui/format';

export function LockedProjects({ projects, rates }: { projects: LockedProject[]; rates: RateBook }) {
  if (projects.length === 0) return null;
  return (
    <section aria-labelledby="locked-title" class="locked">
      <h2 id="locked-title">Projects you could unlock</h2>
      <ul class="project-cards">
        {projects.map((p) => (
          <li key={p.id} class="card" aria-labelledby={`locked-${p.id}`}>
            <div class="card-head">
              <h3 id={`locked-${p.id}`}>{p.name}</h3>
              <span class="badge">{formatCount(p.open_items)} open</span>
            </div>
            {rateText(rates, p.id) && <p class="rate">{rateText(rates, p.id)}</p>}
            <ul class="unmet" aria-label={`What ${p.name} still needs`}>
              {p.unmet.map((u) => {
                const action = actionFor(u.reason, p.id);
                return (
                  <li key={u.reason} class={`unmet-${u.reason}`}>
                    <span>{u.message}</span>
                    {action && (
                      <a href={action.href}>
                        {action.label}
                        <span class="sr-only"> for {p.name}</span>
                      </a>
                    )}
                  </li>
                );
              })}
            </ul>
          </li>
        ))}
      </ul>
    </section>
  );
}
