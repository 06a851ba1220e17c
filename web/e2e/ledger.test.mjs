// The operator's ledger: a bonus posted to an expert (once, however often the button is
// pressed) shows in the list and is reversed with a reason; a refused reversal and a refused
// currency are said; the filters live in the address, so a reload keeps them; older
// transactions a page at a time; the screen on a phone.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { LOGINS, PHONE, newPage, screenshot, seriousViolations, signIn, useServerAndBrowser } from './harness.mjs';

const env = useServerAndBrowser();
const ADA = 'Ada (physicist)';
const BONUS_REASON = 'Careful proofs of the spectral lemma';

async function openLedger(page) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Pay' }).click();
  await page.getByRole('navigation', { name: 'Pay' }).getByRole('link', { name: 'Ledger' }).click();
  await page.getByRole('heading', { level: 2, name: 'Transactions' }).waitFor();
  return page.getByRole('list', { name: 'Transactions' });
}

/** The list's entries that contain `text`; all of them without. */
function entry(list, text) {
  const all = list.locator(':scope > li');
  return text ? all.filter({ hasText: text }) : all;
}

function filters(page) {
  return page.getByRole('search', { name: 'Filter the transactions' });
}

async function noOverflow(page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page is ${overflow}px wider than the screen`);
}

/** Calls the API as the page's signed-in user. */
function call(page, method, path, body) {
  return page.evaluate(
    async ({ method, path, body }) => {
      const r = await fetch(path, { method, headers: { 'Content-Type': 'application/json' }, body: body && JSON.stringify(body) });
      return { status: r.status, json: await r.json().catch(() => null) };
    },
    { method, path, body },
  );
}

describe('ledger', () => {
  it('lets the operator post a bonus, see it, reverse it with a reason and filter the list', async () => {
    const page = await newPage(env.browser, env.server.url);
    await signIn(page, LOGINS.operator);
    const list = await openLedger(page);
    await entry(list, 'Payout').getByText('payout batch 1').waitFor();

    // Checked before it is sent: whom it is for and why.
    const form = page.getByRole('form', { name: 'Post a bonus or an adjustment' });
    await form.getByLabel('Amount').fill('12.5');
    await form.getByRole('button', { name: 'Post the bonus' }).click();
    await form.getByText('Choose the expert or lab it is for.').waitFor();
    await form.getByText('Say why.').waitFor();
    await form.getByLabel('For', { exact: true }).selectOption({ label: `${ADA} (ada@experts.example)` });
    await form.getByLabel('Currency').fill('eur');
    await form.getByLabel('Reason').fill(BONUS_REASON);
    await form.getByText(`${ADA} will be owed €12.50 more.`).waitFor();
    // A double click posts once.
    await form.getByRole('button', { name: 'Post the bonus' }).dblclick();
    await form.getByRole('status').getByText(`Bonus posted. ${ADA} is owed €12.50 more.`).waitFor();
    const bonus = entry(list, BONUS_REASON);
    await bonus.getByRole('heading', { name: `Bonus: ${ADA}` }).waitFor();
    await bonus.getByText('by Olga Operator').waitFor();
    await bonus.getByRole('table').getByRole('row', { name: /^Owed to Ada \(physicist\)\s+€12\.50$/ }).waitFor();
    const listed = await call(page, 'GET', '/api/v1/ledger/transactions?kind=bonus');
    assert.equal(listed.json.transactions.filter((t) => t.reason === BONUS_REASON).length, 1, 'posted once');
    assert.equal(await bonus.count(), 1);
    assert.equal(await form.getByLabel('Reason').inputValue(), '');

    // A server's refusal beside the field it names: a lab charged in a currency it cannot be.
    await form.getByLabel('Adjustment (to an expert or a lab)').check();
    await form.getByLabel('For', { exact: true }).selectOption({ label: 'Meridian AI' });
    await form.getByText('The lab’s currency.').waitFor();
    await page.waitForFunction(() => document.querySelector('#adjustment-currency')?.value === 'EUR');
    await form.getByLabel('Amount').fill('-5');
    await form.getByText('Meridian AI will be credited €5.00.').waitFor();
    await form.getByLabel('Currency').fill('ZZZ');
    await form.getByLabel('Reason').fill('Goodwill for the late batch');
    await form.getByRole('button', { name: 'Post the adjustment' }).click();
    await page.locator('#adjustment-currency-error').waitFor();
    await screenshot(page, 'operator-ledger-form');
    assert.deepEqual(await seriousViolations(page), []);

    // Reversed with a reason, after a second press.
    await bonus.getByRole('button', { name: new RegExp(`^Reverse: Bonus: ${ADA.replace(/[()]/g, '\\$&')}`) }).click();
    const reverse = bonus.getByRole('form', { name: /^Reverse: Bonus/ });
    await reverse.getByRole('button', { name: 'Post the reversal' }).click();
    await reverse.getByText('Say why it is reversed.').waitFor();
    await screenshot(page, 'operator-ledger-reverse');
    assert.deepEqual(await seriousViolations(page), []);
    await reverse.getByLabel('Why it is reversed').fill('Paid twice by mistake');
    await reverse.getByRole('button', { name: 'Post the reversal' }).click();
    await bonus.getByText('reversed', { exact: true }).waitFor();
    await bonus.getByText(/^Reversed .* by Olga Operator\.$/).waitFor();
    assert.equal(await bonus.getByRole('button', { name: /^Reverse/ }).count(), 0);
    const reversal = entry(list, 'Paid twice by mistake');
    await reversal.getByRole('heading', { name: `Reversal: ${ADA}` }).waitFor();
    await reversal.getByRole('link', { name: /^the bonus of / }).waitFor();
    await reversal.getByText(`${ADA} is owed €12.50 less.`).waitFor();
    assert.equal(await reversal.getByRole('button', { name: /^Reverse/ }).count(), 0, 'a reversal is never reversed');
    await screenshot(page, 'operator-ledger');
    assert.deepEqual(await seriousViolations(page), []);

    // Reversed meanwhile by someone else: said in words, and the list read again.
    const payout = entry(list, 'payout batch 1');
    await payout.getByRole('button', { name: /^Reverse: Payout/ }).click();
    await payout.getByLabel('Why it is reversed').fill('The bank returned it');
    const payoutId = (await call(page, 'GET', '/api/v1/ledger/transactions?kind=payout')).json.transactions[0].id;
    assert.equal((await call(page, 'POST', `/api/v1/ledger/transactions/${payoutId}/reverse`, { reason: 'The bank returned it' })).status, 201);
    await payout.getByRole('button', { name: 'Post the reversal' }).click();
    await payout.getByText(/reversed already, perhaps by another operator/).waitFor();
    await payout.getByRole('button', { name: 'Read the list again' }).click();
    await entry(list, 'payout batch 1').getByText('reversed', { exact: true }).waitFor();

    // Filters: kept in the address, so a reload shows the same list.
    await filters(page).getByLabel('Kind').selectOption('bonus');
    await page.waitForURL(/\/admin\/pay\/ledger\?kind=bonus$/);
    await filters(page).getByLabel('Expert').selectOption({ label: ADA });
    await page.waitForURL(/\/admin\/pay\/ledger\?kind=bonus&expert=usr_/);
    await entry(list, BONUS_REASON).waitFor();
    assert.equal(await entry(list).count(), 1);
    await page.reload();
    await entry(list, BONUS_REASON).waitFor();
    assert.equal(await entry(list).count(), 1);
    assert.equal(await filters(page).getByLabel('Kind').inputValue(), 'bonus');
    assert.match(await filters(page).getByLabel('Expert').inputValue(), /^usr_/);
    await filters(page).getByLabel('Kind').selectOption('adjustment');
    await page.getByText('No transaction matches these filters.').waitFor();
    await page.getByRole('button', { name: 'Clear the filters' }).click();
    await page.waitForURL(/\/admin\/pay\/ledger$/);
    await filters(page).getByLabel('Lab').selectOption({ label: 'Meridian AI' });
    await entry(list, 'Accepted answer').first().waitFor();
    for (const heading of await list.getByRole('heading', { level: 3 }).allInnerTexts()) assert.match(heading, /Meridian AI/);
    await screenshot(page, 'operator-ledger-filtered');
    assert.deepEqual(await seriousViolations(page), []);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  it('shows the ledger on a phone', async () => {
    const page = await newPage(env.browser, env.server.url, PHONE);
    await signIn(page, LOGINS.operator);
    await page.waitForURL((url) => url.pathname !== '/sign-in');
    await page.goto('/admin/pay/ledger');
    const list = page.getByRole('list', { name: 'Transactions' });
    await entry(list, BONUS_REASON).waitFor();
    await noOverflow(page);
    await screenshot(page, 'phone-operator-ledger');
    assert.deepEqual(await seriousViolations(page), []);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  it('shows older transactions a page at a time', async () => {
    const page = await newPage(env.browser, env.server.url);
    await signIn(page, LOGINS.operator);
    await page.waitForURL((url) => url.pathname !== '/sign-in');
    const experts = (await call(page, 'GET', '/api/v1/experts')).json.experts;
    const emmy = experts.find((x) => x.email === LOGINS.mathematician);
    for (let n = 1; n <= 50; n++) {
      const r = await call(page, 'POST', '/api/v1/ledger/adjustments', { expert_id: emmy.id, amount_minor: n, currency: 'EUR', reason: `Rounding ${n}`, kind: 'adjustment' });
      assert.equal(r.status, 201);
    }
    await page.goto('/admin/pay/ledger');
    const list = page.getByRole('list', { name: 'Transactions' });
    await entry(list, 'Rounding 50').waitFor();
    assert.equal(await entry(list).count(), 50);
    assert.equal(await entry(list, 'payout batch 1').count(), 0);
    await page.getByRole('button', { name: 'Show older transactions' }).click();
    await entry(list, 'payout batch 1').first().waitFor();
    const all = (await call(page, 'GET', '/api/v1/ledger/transactions?limit=500')).json.transactions.length;
    assert.equal(await entry(list).count(), all);
    assert.equal(await page.getByRole('button', { name: 'Show older transactions' }).count(), 0);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });
});
