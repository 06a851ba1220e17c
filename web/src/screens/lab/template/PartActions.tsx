// Moving a field, question, option or criterion up or down, or removing it. After a move the
// focus follows the moved part, so the keyboard can keep moving it.
import { controlId } from '../../../lab/error-paths';

/** Focuses the element with `id` once the edit has been drawn. */
export function focusSoon(id: string) {
  requestAnimationFrame(() => document.getElementById(id)?.focus());
}

export function PartActions({
  what,
  path,
  index,
  count,
  onMove,
  onRemove,
  canRemove = true,
  removeLabel = 'Remove',
}: {
  /** Names the part in the buttons' accessible names: "field prompt". */
  what: string;
  /** The part's path, e.g. "template.fields[0]" (its id names the buttons' ids). */
  path: string;
  index: number;
  count: number;
  onMove: (to: number) => void;
  onRemove: () => void;
  canRemove?: boolean;
  removeLabel?: string;
}) {
  const at = (i: number) => path.replace(/\[\d+\]$/, `[${i}]`);
  const move = (to: number, button: 'up' | 'down') => {
    onMove(to);
    const stays = button === 'up' ? to > 0 : to < count - 1;
    focusSoon(stays ? `${controlId(at(to))}-${button}` : controlId(at(to)));
  };
  return (
    <div class="part-actions">
      <button type="button" class="button small" id={`${controlId(path)}-up`} aria-label={`Move up: ${what}`} disabled={index === 0} onClick={() => move(index - 1, 'up')}>
        Move up
      </button>
      <button type="button" class="button small" id={`${controlId(path)}-down`} aria-label={`Move down: ${what}`} disabled={index === count - 1} onClick={() => move(index + 1, 'down')}>
        Move down
      </button>
      <button type="button" class="button small" aria-label={`${removeLabel}: ${what}`} disabled={!canRemove} onClick={onRemove}>
        {removeLabel}
      </button>
    </div>
  );
}
