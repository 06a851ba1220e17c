// The expert's money and time for a period: the earnings statement (with its CSV), the
// timesheet per day and project with a dispute per entry, and the disputes raised so far.
import { useState } from 'preact/hooks';

import { payApi } from '../../api/pay';
import { monthOf, periodErrors } from '../../pay/period';
import { Field } from '../../ui/Field';
import { Disputes } from './Disputes';
import { Statement } from './Statement';
import { Timesheet } from './Timesheet';

export function Earnings() {
  const initial = monthOf(new Date());
  const [period, setPeriod] = useState(initial);
  const [from, setFrom] = useState(initial.from);
  const [to, setTo] = useState(initial.to);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [disputed, setDisputed] = useState(0);
  return (
    <section class="page earnings">
      <div class="page-head">
        <h1>Earnings and time</h1>
        <a href={payApi.earningsCsvHref(period.from, period.to)} download>
          Download the statement (CSV)
        </a>
      </div>
      <form
        class="period-form"
        aria-label="Period"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          const problems = periodErrors(from, to);
          setErrors(problems);
          if (Object.keys(problems).length === 0) setPeriod({ from, to });
        }}
      >
        <Field id="period-from" label="From" error={errors.from}>
          <input id="period-from" type="date" value={from} onInput={(e) => setFrom(e.currentTarget.value)} />
        </Field>
        <Field id="period-to" label="To (included)" error={errors.to}>
          <input id="period-to" type="date" value={to} onInput={(e) => setTo(e.currentTarget.value)} />
        </Field>
        <button type="submit" class="button">
          Show
        </button>
      </form>
      <Statement from={period.from} to={period.to} />
      <Timesheet from={period.from} to={period.to} onDisputed={() => setDisputed((n) => n + 1)} />
      <Disputes generation={disputed} />
    </section>
  );
}
