// Review: the expert revises an answer a reviewer sent back; the reviewer works the queue from
// the keyboard (the revision first, then rework, spam and an acceptance with a score) and
// resumes a claim after a reload; the expert sees each outcome and why; the lab sets its
// review policy and reads the summary; the lab edits the review form of its SFT derivations and
// a reviewer scores a derivation on it, per criterion.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { LOGINS, PHONE, newPage, screenshot, seriousViolations, signIn, useServerAndBrowser } from './harness.mjs';

const env = useServerAndBrowser();
const PROJECT = 'Proof verification';
const DERIVATIONS = 'Physics derivations (SFT)';

/** The lab adds `n` proofs to the project (through the API, as the lab's script would). */
async function addProofs(page, n) {
  return page.evaluate(
    async ({ name, n }) => {
      const { projects } = await (await fetch('/api/v1/projects')).json();
      const project = projects.find((p) => p.name === name);
      const lines = Array.from({ length: n }, (_, i) => JSON.stringify({ data: { text: `**Claim.** $${i} + 1 > ${i}$.\n\n**Proof.** Add $${i}$ to both sides of $1 > 0$.` } }));
      const r = await fetch(`/api/v1/projects/${project.id}/items`, { method: 'POST', headers: { 'Content-Type': 'application/x-ndjson' }, body: lines.join('\n') });
      if (!r.ok) throw new Error(`import: ${r.status} ${await r.text()}`);
    },
    { name: PROJECT, n },
  );
}

/** The expert signed in on `page` answers `n` tasks of the project through the API, seeing
 * through the gold proof of 1 = 2. */
async function answerTasks(page, n) {
  return page.evaluate(
    async ({ name, n }) => {
      const post = async (path, body) => {
        const r = await fetch(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
        if (!r.ok) throw new Error(`${path}: ${r.status} ${await r.text()}`);
        return r.status === 204 ? null : r.json();
      };
      const { projects } = await (await fetch('/api/v1/work/projects')).json();
      const project = projects.find((p) => p.name === name);
      for (let i = 0; i < n; i++) {
        const { assignment: task } = await post('/api/v1/work/next', { project_id: project.id });
        if (!task) throw new Error('no task left');
        const label = JSON.stringify(task.item.data).includes('1 = 2') ? 'incorrect' : 'correct';
        await post(`/api/v1/assignments/${task.id}/submit`, { answer: { label, confidence: 3 }, idempotency_key: `e2e-review-${task.id}` });
      }
    },
    { name: PROJECT, n },
  );
}

/** The review on screen. */
const onScreen = (page) => page.locator('.review-screen').getAttribute('data-review');
/** Waits until another review than `id` is on screen. */
const nextAfter = (page, id) =>
  page.waitForFunction((was) => {
    const now = document.querySelector('.review-screen')?.getAttribute('data-review');
    return now && now !== was;
  }, id);

describe('review', () => {
  it('has more proofs to verify', async () => {
    const page = await newPage(env.browser, env.server.url);
    await signIn(page, LOGINS.otherOwner);
    await page.waitForURL('**/lab/projects');
    await addProofs(page, 4);
    await page.context().close();
  });

  it('shows the expert each answer’s status and the reviewer’s comment, and takes a revision', async () => {
    const page = await newPage(env.browser, env.server.url);
    await signIn(page, LOGINS.physicist);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Answers' }).click();
    await page.getByRole('heading', { level: 1, name: 'Your answers' }).waitFor();
    await page.getByRole('heading', { name: 'To revise (1)' }).waitFor();
    // The comment's math is typeset, as every text the expert reads.
    await page.getByLabel('Reviewer’s comment').first().locator('.katex').first().waitFor();
    const table = page.getByRole('region', { name: 'Your answers' });
    await table.getByText('Accepted by a reviewer.').waitFor();
    await table.getByText(/The reviewer asks you to revise it by/).waitFor();
    await screenshot(page, 'expert-answers');
    assert.deepEqual(await seriousViolations(page), []);

    await page.getByRole('link', { name: `Revise your answer on ${PROJECT}` }).click();
    await page.getByRole('heading', { level: 1, name: `Revise: ${PROJECT}` }).waitFor();
    await page.getByRole('heading', { name: /What the reviewer asks/ }).waitFor();
    await page.locator('.task-view').waitFor();
    await screenshot(page, 'expert-rework');
    assert.deepEqual(await seriousViolations(page), []);
    await page.getByRole('radio', { name: 'incorrect' }).check();
    await page.getByRole('button', { name: 'Send the revision' }).click();
    await page.getByRole('heading', { name: 'Revision sent' }).waitFor();

    const reworkRead = page.waitForResponse((r) => r.url().endsWith('/api/v1/work/rework'));
    await page.getByRole('link', { name: 'Your answers' }).click();
    assert.deepEqual((await (await reworkRead).json()).rework, []);
    await page.getByRole('region', { name: 'Your answers' }).getByText('A reviewer will look at it.').first().waitFor();
    assert.equal(await page.getByRole('heading', { name: /To revise/ }).count(), 0);
    // More answers for the reviewer's queue.
    await answerTasks(page, 3);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  it('lets the reviewer work the queue from the keyboard and resume a claim after a reload', async () => {
    const page = await newPage(env.browser, env.server.url);
    await signIn(page, LOGINS.mathematician);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Review' }).click();
    await page.getByRole('heading', { level: 1, name: 'Review' }).waitFor();
    const card = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: PROJECT }) });
    await card.getByText(/\d+ waiting/).waitFor();
    await screenshot(page, 'reviewer-projects');
    assert.deepEqual(await seriousViolations(page), []);

    // The revision comes back to the reviewer who asked for it, with the earlier round.
    await card.getByRole('button', { name: `Review ${PROJECT}` }).click();
    await page.getByRole('heading', { name: 'The expert’s answer' }).waitFor();
    await page.getByText('Round 2').waitFor();
    await page.getByText('Earlier rounds (1)').click();
    await page.getByText(/Check every step once more/).waitFor();
    await screenshot(page, 'reviewer-revision');
    assert.deepEqual(await seriousViolations(page), []);
    await page.keyboard.press('?');
    await page.getByRole('dialog', { name: 'Review shortcuts' }).waitFor();
    await page.keyboard.press('Escape');
    let id = await onScreen(page);
    await page.keyboard.press('a');
    await page.getByRole('heading', { name: 'Accepted.' }).waitFor();

    // N: the next answer; W sends it back with a comment, typed at once.
    await page.keyboard.press('n');
    await nextAfter(page, id);
    id = await onScreen(page);
    await page.keyboard.press('Control+Enter');
    await page.getByText('Choose accept, reject or rework.').waitFor();
    await page.keyboard.press('w');
    await page.getByLabel('What the expert should change').waitFor();
    await page.keyboard.type('Say which step fails.');
    assert.equal(await page.getByLabel('What the expert should change').inputValue(), 'Say which step fails.');
    await screenshot(page, 'reviewer-rework');
    assert.deepEqual(await seriousViolations(page), []);
    await page.keyboard.press('Control+Enter');
    await page.getByRole('heading', { name: 'Sent back for rework.' }).waitFor();

    // A claim survives a reload.
    await page.keyboard.press('n');
    await nextAfter(page, id);
    id = await onScreen(page);
    await page.reload();
    await page.locator('.review-screen').waitFor();
    assert.equal(await onScreen(page), id);

    // R: a rejection needs its reason and a word to the expert.
    await page.keyboard.press('r');
    await page.keyboard.press('Control+Enter');
    await page.getByText('Say why: quality or spam.').waitFor();
    await page.getByRole('radio', { name: /^Spam/ }).check();
    await page.getByLabel('Why, for the expert').fill('The answer ignores the proof.');
    await page.keyboard.press('Control+Enter');
    await page.getByRole('heading', { name: 'Rejected.' }).waitFor();

    // A digit scores the template's rating; A accepts with it.
    await page.keyboard.press('n');
    await nextAfter(page, id);
    await page.getByRole('heading', { name: 'Scores' }).waitFor();
    await page.keyboard.press('4');
    assert.equal(await page.locator('[data-question="confidence"]').getByRole('radio').nth(3).isChecked(), true);
    await page.keyboard.press('a');
    await page.getByRole('heading', { name: 'Accepted.' }).waitFor();
    await screenshot(page, 'reviewer-accepted');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  it('tells the expert what the reviewer decided, on a phone', async () => {
    // The queue is oldest first: after Ada's revision, the reviewer decided the two answers of
    // hers the demo leaves waiting (rework, then spam).
    const page = await newPage(env.browser, env.server.url, PHONE);
    await signIn(page, LOGINS.physicist);
    await page.waitForURL('**/work');
    await page.goto('/work/answers');
    const table = page.getByRole('region', { name: 'Your answers' });
    await table.getByText('Rejected as spam: this answer is not paid.').waitFor();
    await table.getByText('The answer ignores the proof.').waitFor();
    await page.getByRole('heading', { name: 'To revise (1)' }).waitFor();
    await page.getByText('Say which step fails.').first().waitFor();
    // The filtered list replaces the full one when its response arrives: wait for the accepted
    // answers to leave rather than counting them at once.
    await page.getByLabel('Show').selectOption('rejected');
    await table.getByText(/Accepted/).first().waitFor({ state: 'detached' });
    await table.getByText('The answer ignores the proof.').waitFor();
    const pills = await table.locator('.status-pill').allInnerTexts();
    assert.ok(pills.length > 0 && pills.every((p) => p === 'Rejected'), `shown: ${pills.join(', ')}`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the page is ${overflow}px wider than the screen`);
    await screenshot(page, 'phone-expert-answers');
    assert.deepEqual(await seriousViolations(page), []);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  it('lets the lab set what is reviewed and read the review summary', async () => {
    const page = await newPage(env.browser, env.server.url);
    await signIn(page, LOGINS.otherOwner);
    await page.getByRole('link', { name: PROJECT }).click();
    await page.getByRole('navigation', { name: 'Project' }).getByRole('link', { name: 'Review' }).click();
    await page.getByRole('heading', { name: 'Review so far' }).waitFor();
    const stats = page.locator('#review-summary-title + .stats');
    assert.match(await stats.innerText(), /Accepted\s+[1-9]/);
    await page.getByRole('region', { name: 'Acceptance by expert' }).getByRole('row').nth(1).waitFor();
    assert.equal(await page.getByRole('radio', { name: /^Every answer/ }).isChecked(), true);

    await page.getByRole('radio', { name: /^A sample/ }).check();
    await page.getByLabel('Approval window (days, 0–60)').fill('61');
    await page.getByLabel('Time cap per task (minutes)').fill('20');
    await page.getByRole('button', { name: 'Save the review policy' }).click();
    await page.locator('#policy-window-error').waitFor();
    await screenshot(page, 'lab-review-policy-error');
    assert.deepEqual(await seriousViolations(page), []);
    await page.getByLabel('Approval window (days, 0–60)').fill('3');
    await page.getByRole('button', { name: 'Save the review policy' }).click();
    await page.getByRole('status').getByText('Saved.').waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Review policy' }).waitFor();
    assert.equal(await page.getByLabel('Approval window (days, 0–60)').inputValue(), '3');
    assert.equal(await page.getByLabel('Time cap per task (minutes)').inputValue(), '20');
    assert.equal(await page.getByRole('radio', { name: /^A sample/ }).isChecked(), true);
    await screenshot(page, 'lab-review');
    assert.deepEqual(await seriousViolations(page), []);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });
  it('lets the lab edit the review form of its derivations', async () => {
    const page = await newPage(env.browser, env.server.url);
    await signIn(page, LOGINS.owner);
    await page.getByRole('link', { name: DERIVATIONS }).click();
    await page.getByRole('navigation', { name: 'Project' }).getByRole('link', { name: 'Review' }).click();
    const card = page.getByRole('region', { name: 'Review form' });
    await card.getByText(/Correct result \(pass or fail\)/).waitFor();
    await card.getByRole('button', { name: 'Edit the review form' }).click();
    // A rating whose highest is below its lowest: the server's error beside that box.
    const overall = card.getByRole('group', { name: 'Question 2: overall' });
    await overall.getByLabel('Highest').fill('0');
    await card.getByRole('button', { name: 'Save the review form' }).click();
    await page.locator('#form-questions-1-max-error').waitFor();
    await screenshot(page, 'lab-review-form-error');
    assert.deepEqual(await seriousViolations(page), []);
    await overall.getByLabel('Highest').fill('5');
    await overall.getByLabel('Title').fill('Overall quality');
    await card.getByRole('button', { name: 'Save the review form' }).click();
    await card.getByRole('status').getByText('Saved.').waitFor();
    await card.getByText('Overall quality').waitFor();
    await page.reload();
    await page.getByRole('region', { name: 'Review form' }).getByText('Overall quality').waitFor();
    await screenshot(page, 'lab-review-form');
    assert.deepEqual(await seriousViolations(page), []);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  it('has the reviewer score a derivation per criterion before accepting it, and the lab read the scores', async () => {
    const page = await newPage(env.browser, env.server.url);
    await signIn(page, 'sofia@experts.example');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Review' }).click();
    const card = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: DERIVATIONS }) });
    await card.getByRole('button', { name: `Review ${DERIVATIONS}` }).click();
    await page.getByRole('heading', { name: 'Scores' }).waitFor();
    await page.getByRole('group', { name: 'Correct result' }).waitFor();
    // Accepting needs the rubric; the problem shows beside it.
    await page.keyboard.press('a');
    await page.locator('[data-question="derivation"]').getByText('This question needs an answer.').waitFor();
    await page.getByRole('group', { name: 'Correct result' }).getByRole('radio', { name: 'Pass' }).check();
    await page.getByRole('group', { name: 'Assumptions stated' }).getByRole('radio', { name: 'Fail' }).check();
    await page.getByRole('group', { name: 'Every step shown' }).getByRole('radio', { name: '2' }).check();
    await screenshot(page, 'reviewer-review-form');
    assert.deepEqual(await seriousViolations(page), []);
    await page.keyboard.press('a');
    await page.getByRole('heading', { name: 'Accepted.' }).waitFor();
    assert.deepEqual(page.problems, []);
    await page.context().close();

    const lab = await newPage(env.browser, env.server.url);
    await signIn(lab, LOGINS.owner);
    await lab.getByRole('link', { name: DERIVATIONS }).click();
    await lab.getByRole('navigation', { name: 'Project' }).getByRole('link', { name: 'Review' }).click();
    const scores = lab.getByRole('region', { name: 'Scores per question' });
    await scores.getByRole('row', { name: /Correct result.*100% passed/ }).waitFor();
    await scores.getByRole('row', { name: /Assumptions stated.*0% passed/ }).waitFor();
    await scores.getByRole('row', { name: /Every step shown.*mean 2 \(0 to 3\)/ }).waitFor();
    await screenshot(lab, 'lab-review-scores');
    assert.deepEqual(await seriousViolations(lab), []);
    assert.deepEqual(lab.problems, []);
    await lab.context().close();
  });
});
