// The operator console: create an expert, grant a qualification, deactivate a user (whose
// session stops working at once), instance health.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { LOGINS, PASSWORD, newPage, screenshot, seriousViolations, signIn, useServerAndBrowser } from './harness.mjs';

const env = useServerAndBrowser();

describe('operator console', () => {
  it('creates an expert, grants a qualification and deactivates the account', async () => {
    const page = await newPage(env.browser, env.server.url);
    await signIn(page, LOGINS.operator);
    await page.getByRole('link', { name: 'Users' }).click();
    await page.getByRole('heading', { level: 1, name: 'Users' }).waitFor();

    // A bad password is shown next to its field, and nothing is created.
    await page.getByLabel('Name').fill('Marie Curie');
    await page.getByLabel('E-mail').fill('marie@experts.example');
    await page.getByLabel('Password').fill('short');
    await page.getByRole('button', { name: 'Create user' }).click();
    await page.locator('#nu-password-error').waitFor();
    await page.getByLabel('Password').fill(PASSWORD + '-marie');
    await page.getByRole('button', { name: 'Create user' }).click();
    await page.getByRole('cell', { name: 'marie@experts.example' }).waitFor();
    await screenshot(page, 'operator-users');
    assert.deepEqual(await seriousViolations(page), []);

    // The new expert signs in in a browser of their own: no projects yet, and why.
    const marie = await newPage(env.browser, env.server.url);
    await signIn(marie, 'marie@experts.example', PASSWORD + '-marie');
    await marie.getByText('your account has no qualification').waitFor();

    await page.getByRole('link', { name: 'Experts' }).click();
    const card = page.locator('li.card', { has: page.getByRole('heading', { name: 'Marie Curie' }) });
    await card.getByText('No qualification yet.').waitFor();
    await card.getByLabel('Domain').selectOption('physics');
    await card.getByLabel('Level').selectOption('4');
    await card.getByLabel('Reason').fill('Doctorate in physics, checked in an interview');
    await card.getByRole('button', { name: 'Grant to Marie Curie' }).click();
    await card.getByText(/physics, level 4/).waitFor();
    await screenshot(page, 'operator-experts');
    assert.deepEqual(await seriousViolations(page), []);

    await marie.reload();
    await marie.getByRole('heading', { name: 'Physics derivations (SFT)' }).waitFor();

    await page.getByRole('link', { name: 'Users' }).click();
    await page.getByRole('button', { name: 'Deactivate Marie Curie' }).click();
    await page.getByRole('button', { name: 'Deactivate now' }).click();
    const row = page.getByRole('row', { name: /marie@experts\.example/ });
    await row.getByRole('cell', { name: 'deactivated' }).waitFor();

    // Her session ended with the deactivation: the next load asks her to sign in.
    await marie.reload();
    await marie.getByRole('heading', { name: 'Sign in to Fachwerk' }).waitFor();

    await page.getByRole('button', { name: 'Reactivate Marie Curie' }).click();
    await row.getByRole('cell', { name: 'active', exact: true }).waitFor();
    assert.deepEqual(page.problems, []);
    await marie.context().close();
    await page.context().close();
  });

  it('shows the instance health', async () => {
    const page = await newPage(env.browser, env.server.url);
    await signIn(page, LOGINS.operator);
    await page.getByRole('link', { name: 'Health' }).click();
    await page.getByRole('heading', { level: 1, name: 'Instance health' }).waitFor();
    await page.getByText(/^fachwerk \d+\.\d+\.\d+$/).waitFor();
    await page.locator('.status-pill', { hasText: 'ok' }).waitFor();
    await screenshot(page, 'operator-health');
    assert.deepEqual(await seriousViolations(page), []);
    await page.context().close();
  });
});
