// Where the draft stands: saved, saving, or waiting for the network (and still kept).
import { formatClock } from '../../ui/format';
import type { SaveState } from '../../work/draft-saver';

function text(state: SaveState): string {
  switch (state.kind) {
    case 'saved':
      return state.at ? `Draft saved ${formatClock(state.at)}` : 'No changes yet';
    case 'unsaved':
      return 'Unsaved changes';
    case 'saving':
      return 'Saving draft…';
    case 'retrying':
      return 'Offline: your draft is kept here and saved when the connection is back';
    case 'failed':
      return 'The draft could not be saved';
  }
}

export function SaveStatus({ state }: { state: SaveState }) {
  return (
    <span class={`save-status save-${state.kind}`} role="status" aria-live="polite">
      {text(state)}
    </span>
  );
}
