// API tokens and lab members from the browser: a token's secret is shown once and works at once
// for a script until it is revoked; an owner invites someone by e-mail and withdraws it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { LOGINS, newPage, screenshot, seriousViolations, signIn, useServerAndBrowser } from './harness.mjs';

const env = useServerAndBrowser();

const asScript = (token) =>
  fetch(`${env.server.url}/api/v1/projects`, { headers: { Authorization: `Bearer ${token}` } }).then((r) => r.status);

describe('API tokens', () => {
  it('creates a token whose secret is shown once and works, and revokes it', async () => {
    const page = await newPage(env.browser, env.server.url);
    await signIn(page, LOGINS.owner);
    await page.getByRole('link', { name: 'API tokens' }).click();
    await page.getByText('You have no API tokens.').waitFor();
    await page.getByLabel('Name').fill('nightly export');
    await page.getByRole('button', { name: 'Create token' }).click();
    const secret = (await page.getByTestId('token-secret').textContent()).trim();
    assert.match(secret, /^fwt_/);
    await screenshot(page, 'tokens-new-secret');
    assert.deepEqual(await seriousViolations(page), []);
    assert.equal(await asScript(secret), 200);

    await page.getByRole('button', { name: 'I have kept it' }).click();
    await page.getByRole('cell', { name: 'nightly export' }).waitFor();
    await page.reload();
    await page.getByRole('cell', { name: 'nightly export' }).waitFor();
    assert.equal(await page.getByTestId('token-secret').count(), 0);
    assert.ok(!(await page.content()).includes(secret), 'the secret is never shown again');

    await page.getByRole('button', { name: 'Revoke token nightly export' }).click();
    await page.getByRole('button', { name: 'Revoke now' }).click();
    await page.getByText('You have no API tokens.').waitFor();
    assert.equal(await asScript(secret), 401);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });
});

describe('lab members', () => {
  it('lets an owner invite someone by e-mail and withdraw the invitation', async () => {
    const page = await newPage(env.browser, env.server.url);
    await signIn(page, LOGINS.owner);
    await page.getByRole('link', { name: 'Members' }).click();
    await page.getByRole('heading', { level: 1, name: /Members of Helios Research/ }).waitFor();
    await page.getByRole('cell', { name: LOGINS.owner }).waitFor();
    await page.getByLabel('E-mail').fill('not an address');
    await page.getByRole('button', { name: 'Send invitation' }).click();
    await page.locator('#inv-email-error').waitFor();
    await page.getByLabel('E-mail').fill('curie@helios.example');
    await page.getByRole('button', { name: 'Send invitation' }).click();
    await page.getByText('An invitation is on its way to curie@helios.example.').waitFor();
    await page.getByRole('cell', { name: 'curie@helios.example' }).waitFor();
    await screenshot(page, 'lab-members');
    assert.deepEqual(await seriousViolations(page), []);
    await page.getByRole('button', { name: 'Withdraw the invitation of curie@helios.example' }).click();
    await page.getByRole('button', { name: 'Withdraw now' }).click();
    await page.getByText('No invitation is pending.').waitFor();
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });
});
