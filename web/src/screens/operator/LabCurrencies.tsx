// Each lab's currency and markup (empty: the instance's default markup).
import { useState } from 'preact/hooks';

import { api } from '../../api/client';
import { payApi, type LabPay } from '../../api/pay';
import type { Lab } from '../../api/types';
import { basisPointsInput, isCurrencyCode } from '../../pay/money';
import { markupFromText } from '../../pay/forms';
import { formErrors } from '../../ui/errors';
import { useResource } from '../../ui/resource';
import { Loaded } from '../../ui/Status';
import { TableRegion } from '../../ui/TableRegion';

export function LabCurrencies() {
  const [labs, reload] = useResource(async (signal) => {
    const { labs: list } = await api.get<{ labs: Lab[] }>('/api/v1/labs', signal);
    return Promise.all(list.map(async (lab) => ({ lab, pay: await payApi.labPay(lab.id, signal) })));
  }, []);
  return (
    <section class="card" aria-labelledby="lab-pay-title">
      <h2 id="lab-pay-title">Labs’ currency and markup</h2>
      <p class="muted">A lab is charged and invoiced in its currency; its projects’ bands are the ones in that currency.</p>
      <Loaded resource={labs} onRetry={reload}>
        {(rows) => (
          <TableRegion label="Currency and markup by lab">
            <thead>
              <tr>
                <th scope="col">Lab</th>
                <th scope="col">Currency</th>
                <th scope="col">Markup (%)</th>
                <th scope="col">
                  <span class="sr-only">Save</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <LabPayRow key={r.lab.id} lab={r.lab} pay={r.pay} />
              ))}
            </tbody>
          </TableRegion>
        )}
      </Loaded>
    </section>
  );
}

function LabPayRow({ lab, pay }: { lab: Lab; pay: LabPay }) {
  const [currency, setCurrency] = useState(pay.currency);
  const [markup, setMarkup] = useState(basisPointsInput(pay.markup_bp));
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const id = `lab-pay-${lab.id}`;
  const save = async (e: Event) => {
    e.preventDefault();
    setSaved(false);
    const code = currency.trim().toUpperCase();
    const m = markupFromText(markup, true);
    if (!isCurrencyCode(code)) return setError('Enter a currency code, like USD.');
    if ('error' in m) return setError(m.error);
    try {
      const p = await payApi.putLabPay(lab.id, { currency: code, markup_bp: m.markup_bp });
      setCurrency(p.currency);
      setMarkup(basisPointsInput(p.markup_bp));
      setError(null);
      setSaved(true);
    } catch (x) {
      const fe = formErrors(x);
      setError(Object.values(fe.fields)[0] ?? fe.form);
    }
  };
  return (
    <tr>
      <th scope="row">{lab.name}</th>
      <td>
        <input id={`${id}-currency`} aria-label={`Currency of ${lab.name}`} value={currency} maxLength={3} size={4} onInput={(e) => setCurrency(e.currentTarget.value)} />
      </td>
      <td>
        <input id={`${id}-markup`} aria-label={`Markup of ${lab.name} in percent`} placeholder="default" inputMode="decimal" size={6} value={markup} onInput={(e) => setMarkup(e.currentTarget.value)} />
      </td>
      <td>
        <form onSubmit={save} aria-label={`Currency and markup of ${lab.name}`} noValidate>
          <button type="submit" class="button small">
            Save<span class="sr-only"> {lab.name}</span>
          </button>
          {saved && (
            <span class="ok" role="status">
              {' '}
              Saved.
            </span>
          )}
          {error && (
            <span class="field-error" role="alert">
              {' '}
              {error}
            </span>
          )}
        </form>
      </td>
    </tr>
  );
}
