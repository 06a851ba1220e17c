// A button for an action that is hard to undo: the first press asks, the second does it.
import { useState } from 'preact/hooks';

export function ConfirmButton({
  label,
  confirmLabel,
  accessibleName,
  onConfirm,
}: {
  label: string;
  confirmLabel: string;
  accessibleName: string;
  onConfirm: () => void;
}) {
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <button type="button" class="button small" aria-label={accessibleName} onClick={() => setAsking(true)}>
        {label}
      </button>
    );
  }
  return (
    <span class="confirm">
      <button
        type="button"
        class="button small danger"
        ref={(el) => el?.focus()}
        onClick={() => {
          setAsking(false);
          onConfirm();
        }}
      >
        {confirmLabel}
      </button>
      <button type="button" class="button small" onClick={() => setAsking(false)}>
        Cancel
      </button>
    </span>
  );
}
