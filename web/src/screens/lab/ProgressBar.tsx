// How far a project is as one bar: done, under lease, and the rest; its words are its name.
import type { ProgressView } from '../../lab/progress';
import { shares } from '../../lab/progress';
import { formatCount } from '../../ui/format';

export function progressWords(v: ProgressView): string {
  const leased = v.inProgress === null ? '' : `, ${formatCount(v.inProgress)} in progress`;
  return `${formatCount(v.complete)} of ${formatCount(v.items)} items done${leased}, ${formatCount(v.remaining)} remaining`;
}

export function ProgressBar({ view, large = false }: { view: ProgressView; large?: boolean }) {
  const s = shares(view);
  return (
    <div class={`progress-bar${large ? ' large' : ''}`} role="img" aria-label={progressWords(view)}>
      <span class="done" style={{ width: `${s.complete}%` }} />
      <span class="leased" style={{ width: `${s.inProgress}%` }} />
    </div>
  );
}
