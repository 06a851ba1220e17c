// The criteria of a rubric question: each pass/fail or worth points.
import type { RubricCriterion } from '../../../api/template';
import { controlId } from '../../../lab/error-paths';
import { removeAt, replaceAt, uniqueName } from '../../../lab/template-edit';
import { NumberSetting, SelectSetting, TextSetting, withSetting } from './controls';
import { type ListProps, ListGroup } from './ListGroup';
import { focusSoon } from './PartActions';

function withKind(c: RubricCriterion, kind: RubricCriterion['kind']): RubricCriterion {
  if (kind === 'points') return { ...c, kind, max_points: c.max_points ?? 3 };
  const { max_points: _, ...rest } = c;
  return { ...rest, kind };
}

export function CriteriaEditor({ path, question, items: criteria, errors, onChange }: ListProps<RubricCriterion>) {
  const id = controlId(path);
  const set = (j: number, c: RubricCriterion) => onChange(replaceAt(criteria, j, c));
  return (
    <ListGroup path={path} title={`Criteria of ${question}`} errors={errors}>
      <ol class="list-editor">
        {criteria.map((c, j) => {
          const base = `${path}[${j}]`;
          return (
            <li key={j}>
              <fieldset class="criterion" id={controlId(base)} tabIndex={-1}>
                <legend class="sr-only">
                  Criterion {j + 1}: {c.name}
                </legend>
                <TextSetting path={`${base}.name`} label="Name" errors={errors} value={c.name} onValue={(name) => set(j, { ...c, name })} />
                <TextSetting path={`${base}.title`} label="Title" errors={errors} value={c.title ?? ''} onValue={(v) => set(j, withSetting(c, 'title', v))} />
                <SelectSetting<RubricCriterion['kind']> path={`${base}.kind`} label="Kind" errors={errors} value={c.kind} onValue={(kind) => set(j, withKind(c, kind))}>
                  <option value="pass_fail">pass / fail</option>
                  <option value="points">points</option>
                </SelectSetting>
                {c.kind === 'points' && (
                  <NumberSetting path={`${base}.max_points`} label="Max points" errors={errors} min={1} value={c.max_points} onValue={(v) => set(j, withSetting(c, 'max_points', v))} />
                )}
                <button
                  type="button"
                  class="button small"
                  aria-label={`Remove criterion ${c.name}`}
                  onClick={() => {
                    onChange(removeAt(criteria, j));
                    focusSoon(`${id}-add`);
                  }}
                >
                  Remove
                </button>
              </fieldset>
            </li>
          );
        })}
      </ol>
      <button
        type="button"
        class="button small"
        id={`${id}-add`}
        onClick={() => {
          const name = uniqueName('criterion', criteria.map((c) => c.name));
          onChange([...criteria, { name, kind: 'pass_fail' }]);
          focusSoon(controlId(`${path}[${criteria.length}].name`));
        }}
      >
        Add criterion
      </button>
    </ListGroup>
  );
}
