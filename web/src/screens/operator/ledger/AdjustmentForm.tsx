// Posting a bonus (to an expert) or an adjustment (to an expert or a lab): whom it is for, the
// amount in the currency's major unit, the currency and the reason. One idempotency key per
// submission, so a double click or a second try posts once; the server's errors beside the
// fields they name.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';

import { type LedgerTransaction, payApi } from '../../../api/pay';
import {
  type AdjustmentForm as Form,
  type AdjustmentKind,
  adjustmentEffect,
  adjustmentRequest,
  createSubmissionKeys,
  EMPTY_ADJUSTMENT,
  parseTarget,
  type Target,
  targetValue,
} from '../../../pay/adjustment';
import { effects, kindText } from '../../../pay/ledger-entry';
import { formErrors } from '../../../ui/errors';
import { Field } from '../../../ui/Field';
import type { People } from './Ledger';

const AMOUNT_HINTS: Record<string, string> = {
  bonus: 'Paid on top of what the expert earned.',
  expert: 'Positive pays the expert more; negative takes back.',
  lab: 'Positive charges the lab more; negative credits it.',
};

export function AdjustmentForm({ people, onPosted }: { people: People; onPosted: (t: LedgerTransaction) => void }) {
  const [form, setForm] = useState<Form>(EMPTY_ADJUSTMENT);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  // Set at once, so a second press before the next render sends nothing more.
  const sending = useRef(false);
  const keys = useMemo(() => createSubmissionKeys(), []);
  const target = parseTarget(form.to);
  const set = <K extends keyof Form>(key: K, value: Form[K]) => setForm((f) => ({ ...f, [key]: value }));

  // A lab is charged in its own currency.
  const labId = target?.type === 'lab' ? target.id : null;
  useEffect(() => {
    if (!labId) return;
    const controller = new AbortController();
    payApi.labPay(labId, controller.signal).then(
      (pay) => setForm((f) => (f.to === targetValue({ type: 'lab', id: labId }) ? { ...f, currency: pay.currency } : f)),
      () => {},
    );
    return () => controller.abort();
  }, [labId]);

  const nameOf = (t: Target) => (t.type === 'expert' ? people.experts : people.labs).find((x) => x.id === t.id)?.name;
  const effect = adjustmentEffect(form, nameOf);
  const currency = form.currency.trim().toUpperCase();

  const chooseKind = (kind: AdjustmentKind) =>
    setForm((f) => ({ ...f, kind, to: kind === 'bonus' && parseTarget(f.to)?.type === 'lab' ? '' : f.to }));

  const submit = async (e: Event) => {
    e.preventDefault();
    if (sending.current) return;
    setNote('');
    setFormError(null);
    const checked = adjustmentRequest(form);
    if ('errors' in checked) return setErrors(checked.errors);
    setErrors({});
    sending.current = true;
    setBusy(true);
    try {
      const t = await payApi.adjust({ ...checked.request, idempotency_key: keys.keyFor(checked.request) });
      keys.posted();
      onPosted(t);
      setNote(`${kindText(t)} posted. ${effects(t).join(' ')}`);
      setForm((f) => ({ ...EMPTY_ADJUSTMENT, kind: f.kind, currency: f.currency }));
    } catch (x) {
      const fe = formErrors(x);
      setErrors(fe.fields);
      setFormError(fe.form);
    } finally {
      sending.current = false;
      setBusy(false);
    }
  };

  return (
    <form class="card form-grid" aria-labelledby="adjustment-title" noValidate onSubmit={submit}>
      <h2 id="adjustment-title">Post a bonus or an adjustment</h2>
      <fieldset class="plain full-row">
        <legend>Kind</legend>
        <div class="choice-row">
          <label class="checkbox">
            <input type="radio" name="adjustment-kind" value="bonus" checked={form.kind === 'bonus'} onChange={() => chooseKind('bonus')} />
            Bonus (to an expert)
          </label>
          <label class="checkbox">
            <input type="radio" name="adjustment-kind" value="adjustment" checked={form.kind === 'adjustment'} onChange={() => chooseKind('adjustment')} />
            Adjustment (to an expert or a lab)
          </label>
        </div>
        {errors.kind && (
          <p class="field-error" role="alert">
            {errors.kind}
          </p>
        )}
      </fieldset>
      <Field id="adjustment-to" label="For" error={errors.expert_id ?? errors.org_id}>
        <select id="adjustment-to" value={form.to} onChange={(e) => set('to', e.currentTarget.value)}>
          <option value="">Choose…</option>
          <optgroup label="Experts">
            {people.experts.map((x) => (
              <option key={x.id} value={targetValue({ type: 'expert', id: x.id })}>
                {x.name} ({x.email}){x.disabled ? ', deactivated' : ''}
              </option>
            ))}
          </optgroup>
          {form.kind === 'adjustment' && (
            <optgroup label="Labs">
              {people.labs.map((l) => (
                <option key={l.id} value={targetValue({ type: 'lab', id: l.id })}>
                  {l.name}
                </option>
              ))}
            </optgroup>
          )}
        </select>
      </Field>
      <Field id="adjustment-amount" label="Amount" error={errors.amount_minor} hint={AMOUNT_HINTS[form.kind === 'bonus' ? 'bonus' : (target?.type ?? 'expert')]}>
        <input
          id="adjustment-amount"
          inputMode={form.kind === 'bonus' ? 'decimal' : 'text'}
          autoComplete="off"
          placeholder={form.kind === 'bonus' ? '12.50' : '12.50 or -12.50'}
          value={form.amount}
          onInput={(e) => set('amount', e.currentTarget.value)}
        />
      </Field>
      <Field id="adjustment-currency" label="Currency" error={errors.currency} hint={labId ? 'The lab’s currency.' : undefined}>
        <input id="adjustment-currency" value={form.currency} maxLength={3} autoComplete="off" onInput={(e) => set('currency', e.currentTarget.value)} />
      </Field>
      <div class="full-row">
        <Field id="adjustment-reason" label="Reason" error={errors.reason} hint={target?.type === 'expert' ? 'The expert reads it on their statement.' : undefined}>
          <textarea id="adjustment-reason" rows={2} value={form.reason} onInput={(e) => set('reason', e.currentTarget.value)} />
        </Field>
      </div>
      {formError && (
        <p class="field-error" role="alert">
          {formError}
        </p>
      )}
      <div class="form-actions row">
        <button type="submit" class="button primary" disabled={busy}>
          {form.kind === 'bonus' ? 'Post the bonus' : 'Post the adjustment'}
        </button>
        {effect && <span class="muted">{effect}</span>}
      </div>
      <p class="form-note" role="status">
        {note}
      </p>
    </form>
  );
}
