// One question of the template: what the expert answers, with the settings of its type.
import type { Question, QuestionType } from '../../../api/template';
import { changeQuestionType, QUESTION_TYPES, setQuestion } from '../../../lab/template-edit';
import { Options } from '../Options';
import { CheckSetting, SelectSetting, TextSetting, withSetting } from './controls';
import type { TemplateDraft } from './draft';
import { Part } from './Part';
import { QuestionSettings } from './QuestionSettings';

export function QuestionEditor({ draft, index }: { draft: TemplateDraft; index: number }) {
  const q = draft.template.questions[index];
  if (!q) return null;
  const errors = draft.errors;
  const base = `${draft.root}.questions[${index}]`;
  const update = (next: Question) => draft.edit((x) => setQuestion(x, index, next));
  return (
    <Part draft={draft} list="questions" index={index}>
      <div class="grid">
        <TextSetting path={`${base}.name`} label="Name" errors={errors} value={q.name} onValue={(name) => update({ ...q, name })} />
        <SelectSetting<QuestionType>
          path={`${base}.type`}
          label="Type"
          errors={errors}
          value={q.type}
          onValue={(type) => draft.edit((x) => changeQuestionType(x, index, type), true)}
        >
          <Options items={Object.entries(QUESTION_TYPES)} />
        </SelectSetting>
        <TextSetting path={`${base}.title`} label="Title" errors={errors} value={q.title ?? ''} onValue={(v) => update(withSetting(q, 'title', v))} />
        <CheckSetting path={`${base}.required`} label="Required" errors={errors} checked={q.required ?? true} onValue={(required) => update({ ...q, required })} />
      </div>
      <TextSetting
        path={`${base}.description`}
        label="Help text"
        hint="Markdown with math, shown under the title."
        rows={2}
        errors={errors}
        value={q.description ?? ''}
        onValue={(v) => update(withSetting(q, 'description', v))}
      />
      <div class="spec">
        <QuestionSettings q={q} base={base} errors={errors} onChange={update} />
      </div>
    </Part>
  );
}
