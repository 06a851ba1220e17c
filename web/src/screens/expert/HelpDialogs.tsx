// The two things an expert may want while working: the project's guidelines (G) and the
// keyboard shortcuts (?).
import { Fragment } from 'preact';

import { SHORTCUTS } from '../../task/shortcuts';
import { Dialog } from '../../ui/Dialog';
import { Markdown } from '../../ui/Markdown';

export function GuidelinesDialog({ open, guidelines, onClose }: { open: boolean; guidelines: string; onClose: () => void }) {
  return (
    <Dialog open={open} title="Guidelines" onClose={onClose} wide>
      {guidelines ? <Markdown source={guidelines} /> : <p class="muted">This project has no guidelines.</p>}
    </Dialog>
  );
}

export function ShortcutsDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  return (
    <Dialog open={open} title="Keyboard shortcuts" onClose={onClose}>
      <dl class="facts shortcuts">
        {SHORTCUTS.map((s) => (
          <Fragment key={s.keys}>
            <dt>
              <kbd>{s.keys}</kbd>
            </dt>
            <dd>{s.what}</dd>
          </Fragment>
        ))}
      </dl>
      <p class="muted">Letters and digits type as usual inside a text box; Ctrl + Enter submits from anywhere.</p>
    </Dialog>
  );
}
