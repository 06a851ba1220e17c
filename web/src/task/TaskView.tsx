// The item an expert answers: its fields, with a preference's two responses side by side.
import type { Template } from '../api/template';
import { FieldBlock } from './fields';
import { layoutOf } from './layout';
import './task.css';

/** "Response A" stays as it is; "Proof" becomes "A: Proof". */
function pairHeading(side: 'A' | 'B', title: string): string {
  return new RegExp(`\\b${side}$`).test(title) ? title : `${side}: ${title}`;
}

export function TaskView({ template, data }: { template: Template; data: Record<string, unknown> }) {
  const { lead, pair, rest } = layoutOf(template);
  return (
    <div class="task-view">
      {lead.map((f) => (
        <FieldBlock key={f.name} field={f} value={data[f.name]} />
      ))}
      {pair && (
        <div class="pair">
          <FieldBlock field={pair.a} value={data[pair.a.name]} heading={pairHeading('A', pair.a.title || pair.a.name)} />
          <FieldBlock field={pair.b} value={data[pair.b.name]} heading={pairHeading('B', pair.b.title || pair.b.name)} />
        </div>
      )}
      {rest.map((f) => (
        <FieldBlock key={f.name} field={f} value={data[f.name]} />
      ))}
    </div>
  );
}
