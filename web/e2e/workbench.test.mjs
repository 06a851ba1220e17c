// The expert workbench: a task with math answered by keyboard, the next one at once, the
// preference pair side by side, a draft that survives a reload and a dropped network, skip
// with a reason, past work, active time.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { LOGINS, PHONE, newPage, screenshot, seriousViolations, signIn, useServerAndBrowser } from './harness.mjs';

const env = useServerAndBrowser();

async function openProject(page, name) {
  await page.getByRole('link', { name: `Start working on ${name}` }).click();
  await page.locator('.task-view').waitFor();
}

/** The text of the item on screen (its first field). */
const itemText = (page) => page.locator('.task-view .item-field').first().innerText();
/** The assignment on screen. */
const onScreen = (page) => page.locator('.task-screen').getAttribute('data-assignment');
/** Waits until another assignment than `id` is on screen. */
const nextAfter = (page, id) =>
  page.waitForFunction((was) => {
    const now = document.querySelector('.task-screen')?.getAttribute('data-assignment');
    return now && now !== was;
  }, id);

describe('expert workbench', () => {
  it('answers a preference by keyboard, side by side, and the next task follows at once', async () => {
    const page = await newPage(env.browser, env.server.url);
    await signIn(page, LOGINS.mathematician);
    await page.getByRole('heading', { name: 'Calculus explanations (pairwise)' }).waitFor();
    await screenshot(page, 'expert-projects');
    assert.deepEqual(await seriousViolations(page), []);
    await openProject(page, 'Calculus explanations (pairwise)');

    // Math is typeset, and the two responses stand side by side.
    await page.locator('.task-view .katex').first().waitFor();
    const a = await page.getByRole('region', { name: 'Response A' }).boundingBox();
    const b = await page.getByRole('region', { name: 'Response B' }).boundingBox();
    assert.ok(a && b && a.x + a.width <= b.x && Math.abs(a.y - b.y) < 2, 'A and B side by side');
    await screenshot(page, 'expert-workbench-preference');
    assert.deepEqual(await seriousViolations(page), []);

    // Keyboard only: ? lists the shortcuts, B then 2 answers, Ctrl+Enter submits.
    await page.keyboard.press('?');
    await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor();
    await page.keyboard.press('Escape');
    const first = await itemText(page);
    const firstId = await onScreen(page);
    await page.mouse.move(200, 300);
    await page.waitForTimeout(2100);
    await page.keyboard.press('Control+Enter');
    await page.getByText('This question needs an answer.').first().waitFor();
    await page.keyboard.press('b');
    await page.getByText('Say how strongly, 1 to 3.').waitFor({ state: 'detached' }).catch(() => undefined);
    await page.keyboard.press('2');
    assert.equal(await page.getByRole('radio', { name: 'B is better' }).isChecked(), true);
    assert.equal(await page.getByRole('radio', { name: '2' }).isChecked(), true);
    await page.keyboard.press('Control+Enter');
    await nextAfter(page, firstId);
    assert.notEqual(await itemText(page), first);

    // The answer is in the expert's past work, with active time counted, never more than the
    // time the task was on screen.
    const done = await page.evaluate(async (id) => (await fetch('/api/v1/assignments?state=submitted')).json(), firstId);
    const s = done.assignments.find((a) => a.id === firstId);
    assert.deepEqual(s.answer, { preference: { choice: 'B', strength: 2 } });
    const wall = (Date.parse(s.finished_at) - Date.parse(s.leased_at)) / 1000;
    assert.ok(s.active_seconds >= 1 && s.active_seconds <= wall + 1, `active ${s.active_seconds}s of ${wall}s`);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  it('keeps a draft through a reload and a dropped network, and skips with a reason', async () => {
    const page = await newPage(env.browser, env.server.url);
    await signIn(page, LOGINS.mathematician);
    await openProject(page, 'Calculus explanations (pairwise)');
    const item = await itemText(page);
    const id = await onScreen(page);

    await page.getByLabel(/Why\?/).fill('The substitution u = x^2 forgets $du = 2x\\,dx$.');
    await page.getByText(/Draft saved/).waitFor();
    // The preview typesets the math as it is typed.
    await page.locator('.text-preview .katex').waitFor();
    await page.reload();
    await page.locator('.task-view').waitFor();
    assert.equal(await onScreen(page), id, 'the same task after a reload');
    assert.equal(await itemText(page), item);
    assert.equal(await page.getByLabel(/Why\?/).inputValue(), 'The substitution u = x^2 forgets $du = 2x\\,dx$.');

    // Offline: what is typed is kept and saved once the network is back.
    await page.context().setOffline(true);
    await page.getByLabel(/Why\?/).fill('Offline edit');
    await page.getByText(/Offline: your draft is kept/).waitFor();
    await screenshot(page, 'expert-workbench-offline');
    await page.context().setOffline(false);
    await page.getByText(/Draft saved/).waitFor({ timeout: 20_000 });
    await page.reload();
    assert.equal(await page.getByLabel(/Why\?/).inputValue(), 'Offline edit');

    // Skip: S outside a text box asks why.
    await page.locator('h1').click();
    await page.keyboard.press('s');
    const dialog = page.getByRole('dialog', { name: 'Skip this task' });
    await dialog.waitFor();
    await dialog.getByLabel('Outside my expertise').check();
    await dialog.getByLabel(/Details/).fill('Measure theory is not my field.');
    await dialog.getByRole('button', { name: 'Skip task' }).click();
    await nextAfter(page, id);
    const skipped = await page.evaluate(async () => (await fetch('/api/v1/assignments?state=skipped')).json());
    assert.equal(skipped.assignments[0].skip_reason, 'Outside my expertise: Measure theory is not my field.');

    await page.goto('/work/history');
    await page.getByText('B is better (strength 2 of 3)').waitFor();
    await screenshot(page, 'expert-history');
    assert.deepEqual(await seriousViolations(page), []);
    await page.getByLabel('Show').selectOption('skipped');
    await page.getByText('Skipped: Outside my expertise: Measure theory is not my field.').waitFor();
    // The requests the dropped network refused are the only console errors.
    assert.deepEqual(page.problems.filter((p) => !p.includes('ERR_INTERNET_DISCONNECTED')), []);
    await page.context().close();
  });

  it('answers labels by digit and works on a phone', async () => {
    const page = await newPage(env.browser, env.server.url, PHONE);
    await signIn(page, LOGINS.mathematician);
    await openProject(page, 'Proof verification');
    await page.locator('.task-view .katex').first().waitFor();
    await page.keyboard.press('2');
    assert.equal(await page.getByRole('radio', { name: 'incorrect' }).isChecked(), true);
    await screenshot(page, 'expert-workbench-phone');
    assert.deepEqual(await seriousViolations(page), []);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 390, `no sideways scrolling (${width}px)`);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });
});
