// Pay: the expert sees each project's rate, their statement (paid work and a payout), their
// timesheet and disputes an entry; the lab sees spend against its budget and what a label
// costs, sets its rate and budget and reads its invoice; the operator sets pay bands and
// markups, resolves the dispute, pays experts out in a batch and records the lab's payment.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { LOGINS, PHONE, newPage, screenshot, seriousViolations, signIn, useServerAndBrowser } from './harness.mjs';

const env = useServerAndBrowser();
const PROJECT = 'Proof verification';

/** "m:ss" or "h:mm:ss" as seconds. */
function seconds(text) {
  return text
    .trim()
    .split(':')
    .reduce((total, part) => total * 60 + Number(part), 0);
}

async function noOverflow(page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page is ${overflow}px wider than the screen`);
}

describe('pay', () => {
  it('shows the expert the rate, the statement and the timesheet, and takes a dispute', async () => {
    const page = await newPage(env.browser, env.server.url);
    await signIn(page, LOGINS.physicist);
    const card = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: PROJECT }) });
    await card.getByText('Pays €40.00 an hour').waitFor();

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Earnings' }).click();
    await page.getByRole('heading', { level: 1, name: 'Earnings and time' }).waitFor();
    const statement = page.getByRole('region', { name: 'Statement lines' });
    await statement.getByText('Accepted answer').first().waitFor();
    await statement.getByText('Paid out to you').waitFor();
    await page.getByText('Earned (EUR)').waitFor();
    assert.ok(await page.getByRole('link', { name: 'Download the statement (CSV)' }).getAttribute('href'));

    const sheet = page.getByRole('region', { name: 'Time by day and task' });
    await sheet.getByText(PROJECT).first().waitFor();
    const dispute = sheet.getByRole('button', { name: /^Dispute the time of Task 1 on Proof verification/ });
    const row = sheet.locator('tr').filter({ has: page.getByRole('button', { name: /^Dispute the time of Task 1 on Proof verification/ }) });
    const counted = seconds(await row.locator('td').nth(3).innerText());
    await dispute.click();
    const form = page.getByRole('form', { name: /^Dispute the time of Task 1/ });
    await form.getByLabel('Minutes you worked').fill('1');
    await form.getByRole('button', { name: 'Send the dispute' }).click();
    await form.getByText('Claim more than the time already counted.').waitFor();
    await form.getByLabel('Minutes you worked').fill(String(Math.ceil(counted / 60) + 1));
    await form.getByLabel('What the count missed').fill('I read the proof twice on paper before answering.');
    await screenshot(page, 'expert-dispute');
    assert.deepEqual(await seriousViolations(page), []);
    await form.getByRole('button', { name: 'Send the dispute' }).click();
    const disputes = page.getByRole('region', { name: 'Disputes raised' });
    await disputes.getByText('I read the proof twice on paper before answering.').waitFor();
    await disputes.getByText('open').waitFor();
    await sheet.getByText('dispute open').waitFor();
    await screenshot(page, 'expert-earnings');
    assert.deepEqual(await seriousViolations(page), []);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  it('shows the expert’s earnings on a phone', async () => {
    const page = await newPage(env.browser, env.server.url, PHONE);
    await signIn(page, 'sofia@experts.example');
    await page.waitForURL('**/work');
    await page.goto('/work/earnings');
    await page.getByText('Balance owed to you').waitFor();
    await page.getByRole('region', { name: 'Statement lines' }).getByText(/rejected for quality: your time is paid/).waitFor();
    await noOverflow(page);
    await screenshot(page, 'phone-expert-earnings');
    assert.deepEqual(await seriousViolations(page), []);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  it('shows the lab its spend against the budget and what a label costs, and takes its rate and budget', async () => {
    const page = await newPage(env.browser, env.server.url);
    await signIn(page, LOGINS.otherOwner);
    await page.getByRole('link', { name: PROJECT }).click();
    await page.getByRole('navigation', { name: 'Project' }).getByRole('link', { name: 'Pay' }).click();
    const spend = page.getByRole('region', { name: 'Spend' });
    await spend.getByText('€500.00').waitFor();
    await spend.getByRole('img', { name: /spent and .* committed of a €500.00 budget/ }).waitFor();
    const costs = page.getByRole('region', { name: 'What a label costs' });
    await costs.getByText('Per accepted answer').waitFor();
    await page.getByText('€40.00 an hour').first().waitFor();
    await screenshot(page, 'lab-pay');
    assert.deepEqual(await seriousViolations(page), []);

    await page.getByLabel('Project rate (EUR an hour)').fill('30');
    await page.getByLabel('Budget (EUR)').fill('600');
    await page.getByRole('button', { name: 'Save rate and budget' }).click();
    await page.locator('#pay-hourly-error').waitFor();
    await page.getByLabel('Project rate (EUR an hour)').fill('45.50');
    await page.getByRole('button', { name: 'Save rate and budget' }).click();
    await page.getByRole('status').getByText('Saved.').waitFor();
    await page.reload();
    await page.getByLabel('Budget (EUR)').waitFor();
    assert.equal(await page.getByLabel('Budget (EUR)').inputValue(), '600.00');
    assert.equal(await page.getByLabel('Project rate (EUR an hour)').inputValue(), '45.50');
    await page.getByText('€45.50 an hour').waitFor();

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Spend' }).click();
    await page.getByRole('heading', { level: 1, name: 'Spend' }).waitFor();
    await page.getByRole('region', { name: 'Spend by project' }).getByRole('link', { name: PROJECT }).waitFor();
    const invoices = page.getByRole('region', { name: 'Invoices issued' });
    await invoices.getByRole('link', { name: /–/ }).first().waitFor();
    await screenshot(page, 'lab-spend');
    assert.deepEqual(await seriousViolations(page), []);
    await invoices.getByRole('link', { name: /–/ }).first().click();
    await page.getByRole('heading', { level: 1, name: /^Invoice for/ }).waitFor();
    await page.getByRole('region', { name: 'Invoice lines' }).getByText(PROJECT).waitFor();
    await page.getByRole('link', { name: 'Download CSV' }).waitFor();
    await screenshot(page, 'lab-invoice');
    assert.deepEqual(await seriousViolations(page), []);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  it('lets the operator set bands and markups, resolve the dispute and pay experts out', async () => {
    const page = await newPage(env.browser, env.server.url);
    await signIn(page, LOGINS.operator);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Pay' }).click();
    await page.getByRole('heading', { level: 1, name: 'Pay' }).waitFor();
    assert.equal(await page.getByLabel('Markup (%)').inputValue(), '25');
    const bands = page.getByRole('region', { name: 'Bands by domain and level' });
    await bands.getByText('€40.00 an hour').waitFor();
    await page.getByLabel('Domain', { exact: true }).fill('physics');
    await page.getByLabel('Level', { exact: true }).selectOption('4');
    await page.getByLabel('Currency', { exact: true }).fill('usd');
    await page.getByLabel('Hourly rate', { exact: true }).fill('120.5');
    await page.getByRole('button', { name: 'Save the band' }).click();
    await bands.getByText('$120.50 an hour').waitFor();
    await bands.getByRole('button', { name: 'Delete the band for generalist work, level 0, USD' }).click();
    await bands.getByRole('button', { name: 'Delete the band', exact: true }).click();
    await bands.getByRole('button', { name: 'Delete the band for generalist work, level 0, USD' }).waitFor({ state: 'detached' });
    await screenshot(page, 'operator-pay-bands');
    assert.deepEqual(await seriousViolations(page), []);

    await page.getByRole('navigation', { name: 'Pay' }).getByRole('link', { name: 'Labs' }).click();
    assert.equal(await page.getByLabel('Currency of Meridian AI').inputValue(), 'EUR');
    await page.getByLabel('Markup of Helios Research in percent').fill('20');
    await page.getByRole('button', { name: 'Save Helios Research' }).click();
    await page.getByRole('status').getByText('Saved.').waitFor();

    await page.getByRole('navigation', { name: 'Pay' }).getByRole('link', { name: 'Disputes' }).click();
    const dispute = page.getByRole('listitem').filter({ hasText: 'I read the proof twice on paper before answering.' });
    await dispute.waitFor();
    await screenshot(page, 'operator-disputes');
    assert.deepEqual(await seriousViolations(page), []);
    await dispute.getByRole('button', { name: 'Reject' }).click();
    await dispute.getByText('Say why the claim is rejected.').waitFor();
    await dispute.getByRole('button', { name: 'Accept' }).click();
    await page.getByText('No open dispute.').waitFor();
    await page.getByLabel('Show').selectOption('accepted');
    await page.getByRole('listitem').filter({ hasText: 'I read the proof twice' }).getByText(/^Accepted/).waitFor();

    await page.getByRole('navigation', { name: 'Pay' }).getByRole('link', { name: 'Payouts' }).click();
    const batches = page.getByRole('region', { name: 'Batches' });
    await batches.getByText(/^paid /).first().waitFor();
    await page.getByLabel('Currency', { exact: true }).fill('EUR');
    await page.getByRole('button', { name: 'Create the batch' }).click();
    await batches.getByText('open').waitFor();
    await screenshot(page, 'operator-payouts');
    assert.deepEqual(await seriousViolations(page), []);
    await batches.getByRole('button', { name: /^Mark paid: the batch of / }).click();
    await batches.getByRole('button', { name: 'The money went out' }).click();
    await batches.getByText('open').waitFor({ state: 'detached' });
    assert.equal(await batches.getByText(/^paid /).count(), 2);

    // The lab's invoice, and its payment recorded.
    await page.getByRole('navigation', { name: 'Pay' }).getByRole('link', { name: 'Invoices' }).click();
    const issued = page.getByRole('region', { name: 'Invoices issued' });
    await issued.getByText('Meridian AI').waitFor();
    await issued.getByRole('link', { name: /–/ }).first().click();
    await page.getByRole('heading', { level: 1, name: /^Invoice for/ }).waitFor();
    await page.getByRole('button', { name: 'Mark paid: the lab paid this invoice' }).click();
    await page.getByRole('button', { name: 'The lab paid it' }).click();
    await page.getByRole('button', { name: 'Mark paid: the lab paid this invoice' }).waitFor({ state: 'detached' });
    assert.doesNotMatch(await page.locator('dl.facts').innerText(), /not yet/);
    await screenshot(page, 'operator-invoice');
    assert.deepEqual(await seriousViolations(page), []);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });
});
