// A table that may scroll sideways on a small screen: a labelled region that the keyboard can
// reach and scroll.
import type { ComponentChildren } from 'preact';

export function TableRegion({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <div class="table-wrap" role="region" aria-label={label} tabIndex={0}>
      <table class="table">{children}</table>
    </div>
  );
}
