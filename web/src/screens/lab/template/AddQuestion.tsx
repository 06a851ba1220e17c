// Adds a question of a chosen type at the end of a template's (or a review form's) questions,
// and moves the focus to its name.
import { useState } from 'preact/hooks';

import type { QuestionType } from '../../../api/template';
import { controlId } from '../../../lab/error-paths';
import { addQuestion, QUESTION_TYPES } from '../../../lab/template-edit';
import { Options } from '../Options';
import { addButtonId, type TemplateDraft } from './draft';
import { focusSoon } from './PartActions';

export function AddQuestion({ draft }: { draft: TemplateDraft }) {
  const [newType, setNewType] = useState<QuestionType>('label');
  const typeId = draft.root === 'template' ? 'new-question-type' : `${draft.root}-new-question-type`;
  return (
    <div class="add-row">
      <label for={typeId} class="sr-only">
        Type of the new question
      </label>
      <select id={typeId} value={newType} onChange={(e) => setNewType(e.currentTarget.value as QuestionType)}>
        <Options items={Object.entries(QUESTION_TYPES)} />
      </select>
      <button
        type="button"
        class="button small"
        id={addButtonId(draft.root, 'questions')}
        onClick={() => {
          draft.edit((x) => addQuestion(x, newType), true);
          focusSoon(controlId(`${draft.root}.questions[${draft.template.questions.length}].name`));
        }}
      >
        Add question
      </button>
    </div>
  );
}
