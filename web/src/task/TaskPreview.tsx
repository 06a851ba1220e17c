// What an expert will see for an item: the task and the answer forms, working (the answers
// are checked as the workbench checks them) but sent nowhere. For the lab's template editor.
import { useState } from 'preact/hooks';

import type { Answer, Template } from '../api/template';
import { AnswerForm } from './AnswerForm';
import { validateAnswer } from './answer';
import { TaskView } from './TaskView';

export function TaskPreview({ template, data }: { template: Template; data: Record<string, unknown> }) {
  const [answer, setAnswer] = useState<Answer>({});
  const [checked, setChecked] = useState(false);
  const errors = checked ? validateAnswer(template, answer) : {};
  return (
    <div class="task-layout preview">
      <TaskView template={template} data={data} />
      <form
        class="answer-panel"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          setChecked(true);
        }}
      >
        <AnswerForm template={template} answer={answer} errors={errors} idPrefix="preview" onChange={(q, v) => setAnswer({ ...answer, [q]: v })} />
        <div class="actions">
          <button type="submit" class="button">
            Check answer
          </button>
          {checked && Object.keys(errors).length === 0 && <span class="ok">The answer would be accepted.</span>}
        </div>
      </form>
    </div>
  );
}
