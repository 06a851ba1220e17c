// What the editors of a template's parts edit: a template (a project's, or a review form, which
// is questions only), the server's errors by path, and the template's place in the request
// ("template" in a new project, "form" in a review policy), which prefixes every path and id.
import type { Template } from '../../../api/template';
import type { NewProjectStore } from '../../../lab/new-project.store';

export interface TemplateDraft {
  template: Template;
  errors: Record<string, string>;
  root: 'template' | 'form';
  /** `structural`: the edit adds, removes or moves a part (the store keeps it apart for undo). */
  edit: (change: (t: Template) => Template, structural?: boolean) => void;
}

/** The id of the button that adds a field or a question (the focus goes there after a removal). */
export function addButtonId(root: TemplateDraft['root'], list: 'fields' | 'questions'): string {
  const id = list === 'fields' ? 'add-field' : 'add-question';
  return root === 'template' ? id : `${root}-${id}`;
}

/** The new project's template as a draft. */
export function storeDraft(store: NewProjectStore): TemplateDraft {
  return { template: store.template.value, errors: store.errors.value.fields, root: 'template', edit: store.editTemplate };
}
