// The reviewer's keyboard shortcuts, drawn from the same table that handles the keys.
import { Fragment } from 'preact';

import { REVIEW_SHORTCUTS } from '../../review/keys';
import { Dialog } from '../../ui/Dialog';

export function ReviewShortcutsDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  return (
    <Dialog open={open} title="Review shortcuts" onClose={onClose}>
      <dl class="facts shortcuts">
        {REVIEW_SHORTCUTS.map((s) => (
          <Fragment key={s.keys}>
            <dt>
              <kbd>{s.keys}</kbd>
            </dt>
            <dd>{s.what}</dd>
          </Fragment>
        ))}
        <dt>
          <kbd>1 – 9</kbd>
        </dt>
        <dd>a score on the first rating not yet given</dd>
      </dl>
      <p class="muted">Letters and digits type as usual inside a text box; Ctrl + Enter sends from anywhere.</p>
    </Dialog>
  );
}
