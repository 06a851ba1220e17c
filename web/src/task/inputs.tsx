// One input per question type. Each takes the question, its current value and a setter; the
// keyboard shortcuts each one answers to are shown beside its choices.
import { useState } from 'preact/hooks';

import type {
  LabelQuestion,
  MultiLabelQuestion,
  NumberQuestion,
  PreferenceAnswer,
  PreferenceQuestion,
  RankingQuestion,
  RatingQuestion,
  RubricQuestion,
  TextQuestion,
} from '../api/template';
import { Markdown } from '../ui/Markdown';
import { moveRank, toggleOption } from './answer';

export interface InputProps<Q, V> {
  q: Q;
  value: V | undefined;
  onChange: (value: V | undefined) => void;
  /** Unique per question on the page: the prefix of element ids. */
  id: string;
}

/** An option's words; one with math ($…$) is typeset through the renderer. */
export function OptionText({ text }: { text: string }) {
  return text.includes('$') ? <Markdown source={text} class="option-math" /> : <span>{text}</span>;
}

/** The accessible name of an option with math: its TeX without the dollar signs (what the
 * typeset formula's annotation holds); undefined for plain words, which name the control. */
export function mathLabel(text: string): string | undefined {
  return text.includes('$') ? text.replace(/\$/g, '').trim() : undefined;
}

function Key({ k }: { k: string | number }) {
  return <kbd aria-hidden="true">{k}</kbd>;
}

export function LabelInput({ q, value, onChange, id }: InputProps<LabelQuestion, string>) {
  return (
    <div class="choices">
      {q.options.map((o, i) => (
        <label key={o} class="choice">
          <input type="radio" name={id} checked={value === o} aria-label={mathLabel(o)} onChange={() => onChange(o)} />
          {i < 9 && <Key k={i + 1} />}
          <OptionText text={o} />
        </label>
      ))}
    </div>
  );
}

export function MultiLabelInput({ q, value, onChange, id }: InputProps<MultiLabelQuestion, string[]>) {
  const selected = value ?? [];
  return (
    <div class="choices">
      {q.options.map((o, i) => (
        <label key={o} class="choice">
          <input
            type="checkbox"
            name={id}
            checked={selected.includes(o)}
            aria-label={mathLabel(o)}
            onChange={() => onChange(toggleOption(q.options, selected, o))}
          />
          {i < 9 && <Key k={i + 1} />}
          <OptionText text={o} />
        </label>
      ))}
    </div>
  );
}

export function RatingInput({ q, value, onChange, id }: InputProps<RatingQuestion, number>) {
  const values: number[] = [];
  for (let v = q.min; v <= q.max; v++) values.push(v);
  return (
    <div class="choices scale">
      {values.map((v, i) => (
        <label key={v} class="choice">
          <input type="radio" name={id} checked={value === v} onChange={() => onChange(v)} />
          {i < 9 && <Key k={i + 1} />}
          <span>{v}</span>
        </label>
      ))}
    </div>
  );
}

export function RankingInput({ q, value, onChange, id }: InputProps<RankingQuestion, string[]>) {
  const order = value ?? q.options;
  return (
    <div>
      <ol class="ranking" id={`${id}-list`}>
        {order.map((o, i) => (
          <li key={o}>
            <span class="rank">{i + 1}.</span>
            <span class="rank-option">{o}</span>
            <button type="button" class="button subtle" disabled={i === 0} aria-label={`Move “${o}” up`} onClick={() => onChange(moveRank(order, i, i - 1))}>
              ↑
            </button>
            <button type="button" class="button subtle" disabled={i === order.length - 1} aria-label={`Move “${o}” down`} onClick={() => onChange(moveRank(order, i, i + 1))}>
              ↓
            </button>
          </li>
        ))}
      </ol>
      {value === undefined && (
        <button type="button" class="button subtle" onClick={() => onChange([...q.options])}>
          Keep this order
        </button>
      )}
    </div>
  );
}

export function PreferenceInput({ q, value, onChange, id }: InputProps<PreferenceQuestion, PreferenceAnswer>) {
  const allowTie = q.allow_tie ?? true;
  const strengthMax = q.strength_max ?? 3;
  const choices: { choice: PreferenceAnswer['choice']; label: string; key: string }[] = [
    { choice: 'A', label: 'A is better', key: 'A' },
    { choice: 'B', label: 'B is better', key: 'B' },
  ];
  if (allowTie) choices.push({ choice: 'tie', label: 'Tie', key: 'T' });
  const pick = (choice: PreferenceAnswer['choice']) =>
    onChange(choice === 'tie' || strengthMax === 0 ? { choice } : { choice, strength: value?.strength });
  const strengths: number[] = [];
  for (let s = 1; s <= strengthMax; s++) strengths.push(s);
  return (
    <div>
      <div class="choices">
        {choices.map((c) => (
          <label key={c.choice} class="choice">
            <input type="radio" name={`${id}-choice`} checked={value?.choice === c.choice} onChange={() => pick(c.choice)} />
            <Key k={c.key} />
            <span>{c.label}</span>
          </label>
        ))}
      </div>
      {strengthMax > 0 && value && value.choice !== 'tie' && (
        <fieldset class="strength">
          <legend>How much better? (1 slightly … {strengthMax} clearly)</legend>
          <div class="choices scale">
            {strengths.map((s) => (
              <label key={s} class="choice">
                <input type="radio" name={`${id}-strength`} checked={value.strength === s} onChange={() => onChange({ ...value, strength: s })} />
                {s <= 9 && <Key k={s} />}
                <span>{s}</span>
              </label>
            ))}
          </div>
        </fieldset>
      )}
    </div>
  );
}

// The answer may carry a "comment" too; templates ask for comments as a text question of their
// own, so the form does not offer a second box.
type RubricValue = Record<string, boolean | number | string>;

export function RubricInput({ q, value, onChange, id }: InputProps<RubricQuestion, RubricValue>) {
  const v = value ?? {};
  const set = (name: string, entry: boolean | number | string) => onChange({ ...v, [name]: entry });
  return (
    <div class="rubric">
      {q.criteria.map((c) => {
        const points: number[] = [];
        for (let p = 0; p <= (c.max_points ?? 0); p++) points.push(p);
        return (
          <fieldset key={c.name} class="criterion">
            <legend>{c.title || c.name}</legend>
            <div class="choices scale">
              {c.kind === 'pass_fail'
                ? [true, false].map((pass) => (
                    <label key={String(pass)} class="choice">
                      <input type="radio" name={`${id}-${c.name}`} checked={v[c.name] === pass} onChange={() => set(c.name, pass)} />
                      <span>{pass ? 'Pass' : 'Fail'}</span>
                    </label>
                  ))
                : points.map((p) => (
                    <label key={p} class="choice">
                      <input type="radio" name={`${id}-${c.name}`} checked={v[c.name] === p} onChange={() => set(c.name, p)} />
                      <span>{p}</span>
                    </label>
                  ))}
            </div>
          </fieldset>
        );
      })}
    </div>
  );
}

/** A box sized for the answer expected: a line or two for a short note, more for an essay. */
function rowsFor(maxLength: number | undefined): number {
  if (maxLength === undefined || maxLength > 5000) return 10;
  return maxLength > 500 ? 5 : 3;
}

export function TextInput({ q, value, onChange, id }: InputProps<TextQuestion, string>) {
  const [preview, setPreview] = useState(true);
  const text = value ?? '';
  let count = 0;
  for (const _ of text) count++;
  return (
    <div class="text-answer">
      <textarea
        id={`${id}-input`}
        rows={rowsFor(q.max_length)}
        value={text}
        aria-describedby={`${id}-count`}
        onInput={(e) => onChange((e.target as HTMLTextAreaElement).value)}
      />
      <div class="text-meta">
        <span id={`${id}-count`} class="muted">
          {count} characters{q.max_length !== undefined ? ` of at most ${q.max_length}` : ''}
          {q.min_length !== undefined ? `, at least ${q.min_length}` : ''}
        </span>
        <label class="inline">
          <input type="checkbox" checked={preview} onChange={() => setPreview(!preview)} /> Preview
        </label>
      </div>
      {preview && text !== '' && (
        <div class="text-preview" aria-label="Preview of your answer">
          <Markdown source={text} />
        </div>
      )}
    </div>
  );
}

export function NumberInput({ q, value, onChange, id }: InputProps<NumberQuestion, number>) {
  const [raw, setRaw] = useState(value === undefined ? '' : String(value));
  return (
    <input
      id={`${id}-input`}
      type="text"
      inputMode="decimal"
      class="number-input"
      value={raw}
      placeholder={q.integer ? 'a whole number' : 'a number'}
      onInput={(e) => {
        const text = (e.target as HTMLInputElement).value;
        setRaw(text);
        const n = Number(text.trim().replace(',', '.'));
        onChange(text.trim() === '' ? undefined : Number.isFinite(n) ? n : (Number.NaN as number));
      }}
    />
  );
}
