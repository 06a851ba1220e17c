// Project requirements end to end: the lab sets them (errors beside their fields, new terms
// make a new version, an exclusion by pseudonym); the expert sees what is unmet and acts on
// it (languages in the profile, the terms) until the project opens; the operator reinstates a
// paused expert.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { LOGINS, PHONE, newPage, screenshot, seriousViolations, signIn, useServerAndBrowser } from './harness.mjs';

const env = useServerAndBrowser();
const CONTRACTS = 'Contract clauses (rubric)';

describe('expert network: project requirements', () => {
  it('lets the lab set requirements, with errors beside their fields', async () => {
    const page = await newPage(env.browser, env.server.url);
    await signIn(page, LOGINS.owner);
    await page.getByRole('link', { name: CONTRACTS }).click();
    await page.getByRole('link', { name: 'Requirements' }).click();
    await page.getByRole('heading', { name: 'Requirements', level: 2 }).waitFor();
    // The demo project has terms already.
    await page.getByText(/^Version 1, since /).waitFor();

    await page.getByLabel('Languages').fill('en, not a tag!');
    await page.getByLabel('Competitors (one organisation a line)').fill('Acme AI\n  Globex   Corp ');
    await page.getByLabel('Minimum gold accuracy (%)').fill('60');
    await page.getByRole('button', { name: 'Save requirements' }).click();
    await page.locator('#req-languages-error').waitFor();
    await page.getByLabel('Languages').fill('en');
    const terms = page.getByLabel(/^Terms the expert accepts/);
    await terms.fill(`${await terms.inputValue()}\n\nThe answers you give belong to Helios Research.`);
    await page.getByRole('button', { name: 'Save requirements' }).click();
    await page.getByText('Requirements saved; the terms are now version 2.').waitFor();
    await page.getByText(/^Version 2, since /).waitFor();
    // Competitors read back in their matching form.
    assert.equal(await page.getByLabel('Competitors (one organisation a line)').inputValue(), 'acme ai\nglobex corp');

    // An exclusion names a pseudonym the lab knows; another is refused beside the field.
    await page.getByLabel('Pseudonym').fill('ex_nobody');
    await page.getByRole('button', { name: 'Exclude' }).click();
    await page.locator('#excl-pseudonym-error').waitFor();
    await screenshot(page, 'lab-requirements');
    assert.deepEqual(await seriousViolations(page), []);

    await page.getByRole('link', { name: 'Overview' }).click();
    await page.getByText(/speaks en/).waitFor();
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  it('shows the expert what the project still needs and opens it once they act', async () => {
    const page = await newPage(env.browser, env.server.url);
    await signIn(page, LOGINS.lawyer);
    await page.waitForURL('**/work');
    const locked = page.getByRole('region', { name: 'Projects you could unlock' });
    const needs = locked.getByRole('list', { name: `What ${CONTRACTS} still needs` });
    await needs.getByRole('link', { name: `Edit your languages for ${CONTRACTS}` }).waitFor();
    await needs.getByRole('link', { name: `Read and accept the terms for ${CONTRACTS}` }).waitFor();
    await screenshot(page, 'expert-projects-to-unlock');
    assert.deepEqual(await seriousViolations(page), []);

    await needs.getByRole('link', { name: `Edit your languages for ${CONTRACTS}` }).click();
    await page.getByLabel('Languages').fill('en-US');
    await page.getByRole('button', { name: 'Save profile' }).click();
    await page.getByText('Your profile is saved.').waitFor();

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Work', exact: true }).click();
    await needs.getByRole('link', { name: `Read and accept the terms for ${CONTRACTS}` }).click();
    await page.getByRole('heading', { name: `Terms of ${CONTRACTS}` }).waitFor();
    await page.getByText('The answers you give belong to Helios Research.').waitFor();
    await screenshot(page, 'expert-terms');
    assert.deepEqual(await seriousViolations(page), []);
    await page.getByRole('button', { name: 'I accept these terms' }).click();
    // Accepted: the workbench hands out a task.
    await page.locator('.task-view').waitFor();
    await page.goto('/work');
    await page.getByRole('heading', { name: CONTRACTS }).waitFor();
    assert.equal(await page.getByRole('region', { name: 'Projects you could unlock' }).getByText(CONTRACTS).count(), 0);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  it('asks again in the workbench when the terms change', async () => {
    const lab = await newPage(env.browser, env.server.url);
    await signIn(lab, LOGINS.owner);
    await lab.getByRole('link', { name: CONTRACTS }).click();
    await lab.getByRole('link', { name: 'Requirements' }).click();
    const terms = lab.getByLabel(/^Terms the expert accepts/);
    await terms.fill(`${await terms.inputValue()}\n\nVersion three adds this line.`);
    await lab.getByRole('button', { name: 'Save requirements' }).click();
    await lab.getByText('Requirements saved; the terms are now version 3.').waitFor();
    await lab.context().close();

    const page = await newPage(env.browser, env.server.url, PHONE);
    await signIn(page, LOGINS.lawyer);
    await page.waitForURL('**/work');
    await page.goto('/work');
    await page.getByRole('link', { name: `Read and accept the terms for ${CONTRACTS}` }).waitFor();
    const id = await page.evaluate(async (name) => {
      const r = await (await fetch('/api/v1/work/projects')).json();
      return [...r.projects, ...r.locked].find((p) => p.name === name).id;
    }, CONTRACTS);
    await page.goto(`/work/${id}`);
    await page.getByText('Version three adds this line.').waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the page is ${overflow}px wider than the screen`);
    await screenshot(page, 'phone-expert-terms');
    await page.getByRole('button', { name: 'I accept these terms' }).click();
    await page.locator('.task-view').waitFor();
    await page.context().close();
  });

  it('lets the operator reinstate a paused expert, with a reason', async () => {
    // Sofia is paused on Proof verification in the demo (gold accuracy below the threshold).
    const sofia = await newPage(env.browser, env.server.url);
    await signIn(sofia, 'sofia@experts.example');
    await sofia.waitForURL('**/work');
    const standing = sofia.getByRole('region', { name: 'Your standing' });
    await standing.getByText(/^paused: your gold accuracy/).waitFor();
    await screenshot(sofia, 'expert-paused');
    assert.deepEqual(await seriousViolations(sofia), []);

    const page = await newPage(env.browser, env.server.url);
    await signIn(page, LOGINS.operator);
    await page.waitForURL('**/admin/labs');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Paused' }).click();
    const card = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: /on Proof verification$/ }) });
    await card.getByText(/^paused: your gold accuracy/).waitFor();
    await card.getByRole('button', { name: /^Reinstate/ }).click();
    await card.locator('.field-error').waitFor();
    await screenshot(page, 'operator-paused');
    assert.deepEqual(await seriousViolations(page), []);
    await card.getByLabel('Reason for reinstating').fill('One gold task is too few to judge; watching the next ten.');
    await card.getByRole('button', { name: /^Reinstate/ }).click();
    await page.getByText(/is reinstated on Proof verification\.$/).waitFor();
    await page.getByText('No expert is paused.').waitFor();

    await sofia.reload();
    await standing.getByText('Proof verification').waitFor();
    assert.equal(await standing.getByText(/^paused:/).count(), 0);
    assert.deepEqual(page.problems, []);
    await sofia.context().close();
    await page.context().close();
  });
});
