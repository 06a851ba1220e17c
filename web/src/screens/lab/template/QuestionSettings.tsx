// The settings a question has by its type: options, bounds, ties and strength, criteria.
import type { Question } from '../../../api/template';
import { CheckSetting, NumberSetting, withSetting } from './controls';
import { CriteriaEditor } from './CriteriaEditor';
import { OptionsEditor } from './OptionsEditor';

/** The settings of `q`, whose path is `base` ("template.questions[1]"). */
export function QuestionSettings({ q, base, errors, onChange }: { q: Question; base: string; errors: Record<string, string>; onChange: (q: Question) => void }) {
  const p = (key: string) => `${base}.${key}`;
  const num = (key: string, label: string, value: number | undefined, more: { hint?: string; integer?: boolean; min?: number } = {}) => (
    <NumberSetting path={p(key)} label={label} errors={errors} value={value} onValue={(v) => onChange(withSetting(q, key, v))} {...more} />
  );
  switch (q.type) {
    case 'label':
    case 'ranking':
      return <OptionsEditor path={p('options')} question={q.name} items={q.options} errors={errors} onChange={(options) => onChange({ ...q, options })} />;
    case 'multi_label':
      return (
        <>
          <OptionsEditor path={p('options')} question={q.name} items={q.options} errors={errors} onChange={(options) => onChange({ ...q, options })} />
          <div class="grid">
            {num('min_selected', 'At least', q.min_selected, { min: 0, hint: 'options chosen; blank: none' })}
            {num('max_selected', 'At most', q.max_selected, { min: 1, hint: 'blank: all' })}
          </div>
        </>
      );
    case 'rating':
      return (
        <div class="grid">
          {num('min', 'Lowest', q.min)}
          {num('max', 'Highest', q.max)}
        </div>
      );
    case 'preference':
      return (
        <div class="grid">
          <CheckSetting path={p('allow_tie')} label="Allow a tie" errors={errors} checked={q.allow_tie ?? true} onValue={(v) => onChange({ ...q, allow_tie: v })} />
          {num('strength_max', 'Strength up to', q.strength_max ?? 3, { min: 0, hint: '0: no strength asked' })}
        </div>
      );
    case 'rubric':
      return <CriteriaEditor path={p('criteria')} question={q.name} items={q.criteria} errors={errors} onChange={(criteria) => onChange({ ...q, criteria })} />;
    case 'text':
      return (
        <div class="grid">
          {num('min_length', 'Shortest', q.min_length, { min: 0, hint: 'characters; blank: any' })}
          {num('max_length', 'Longest', q.max_length, { min: 1, hint: 'characters; blank: any' })}
        </div>
      );
    case 'number':
      return (
        <div class="grid">
          {num('min', 'Lowest', q.min, { integer: false, hint: 'blank: no bound' })}
          {num('max', 'Highest', q.max, { integer: false, hint: 'blank: no bound' })}
          <CheckSetting path={p('integer')} label="Whole numbers only" errors={errors} checked={q.integer ?? false} onValue={(v) => onChange(withSetting(q, 'integer', v || undefined))} />
        </div>
      );
  }
}
