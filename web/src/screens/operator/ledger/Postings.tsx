// A transaction's postings: each account with its debit or credit.
import type { LedgerTransaction } from '../../../api/pay';
import { accountText, sides } from '../../../pay/ledger-entry';
import { formatMoney } from '../../../pay/money';

export function Postings({ transaction: t, label }: { transaction: LedgerTransaction; label: string }) {
  return (
    <table class="table postings" aria-label={label}>
      <thead>
        <tr>
          <th scope="col">Account</th>
          <th scope="col" class="num">
            Debit
          </th>
          <th scope="col" class="num">
            Credit
          </th>
        </tr>
      </thead>
      <tbody>
        {t.postings.map((p, i) => {
          const { debit, credit } = sides(p);
          return (
            <tr key={i}>
              <td>{accountText(p, t)}</td>
              <td class="num">{debit !== null && formatMoney(debit, t.currency)}</td>
              <td class="num">{credit !== null && formatMoney(credit, t.currency)}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
