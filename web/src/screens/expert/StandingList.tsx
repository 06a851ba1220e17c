// The expert's standing on each project they worked on: gold accuracy and skill, and on a
// paused project the reason, in the expert's own words.
import { standingsApi } from '../../api/standings';
import { percentOrDash, skillText } from '../../lab/workforce';
import { formatCount, formatTime } from '../../ui/format';
import { useResource } from '../../ui/resource';
import { Loaded } from '../../ui/Status';

export function StandingList() {
  const [data, reload] = useResource((signal) => standingsApi.mine(signal), []);
  return (
    <section class="card standing-card" aria-labelledby="standing-title">
      <h2 id="standing-title">Your standing</h2>
      <Loaded resource={data} onRetry={reload}>
        {(standings) =>
          standings.length === 0 ? (
            <p class="muted">Your standing on a project appears once you have answered there.</p>
          ) : (
            <ul class="standing-list">
              {standings.map((s) => (
                <li key={s.project_id} class={s.paused ? 'paused' : ''}>
                  <div class="card-head">
                    <strong>{s.project_name}</strong>
                    {s.paused ? <span class="status-pill paused">paused</span> : <span class="status-pill active">active</span>}
                  </div>
                  <p class="muted">
                    {formatCount(s.judgments)} answer{s.judgments === 1 ? '' : 's'} ·{' '}
                    {s.gold_total > 0 ? `gold ${percentOrDash(s.gold_accuracy)} (${s.gold_correct} of ${s.gold_total})` : 'no gold checks yet'} ·{' '}
                    {s.skill === null ? 'skill not estimated yet' : `skill ${skillText(s.skill)}`}
                  </p>
                  {s.paused && (
                    <p class="notice">
                      {s.reason} (since {formatTime(s.changed_at)}). An operator can reinstate you.
                    </p>
                  )}
                </li>
              ))}
            </ul>
          )
        }
      </Loaded>
    </section>
  );
}
