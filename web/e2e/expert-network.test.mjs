// The expert's side of the expert network: signing up, the profile, a credential with its
// evidence (refused, then sent with a progress bar), and an exam from start to the result,
// graded by a reviewer.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import { PASSWORD, PHONE, newPage, screenshot, seriousViolations, signIn, useServerAndBrowser } from './harness.mjs';

const env = useServerAndBrowser();
const files = mkdtempSync(join(tmpdir(), 'fw-e2e-files-'));

/** A file on disk for an upload. */
function file(name, content) {
  const path = join(files, name);
  writeFileSync(path, content);
  return path;
}

/** A small PDF the server's content check accepts; `size` pads it to about that many bytes. */
function pdf(size = 0) {
  const head = '%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n';
  const pad = size > head.length ? `%${'x'.repeat(size - head.length)}\n` : '';
  return `${head}${pad}trailer << /Root 1 0 R >>\n%%EOF\n`;
}

async function noOverflow(page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page is ${overflow}px wider than the screen`);
}

describe('expert network: the expert', () => {
  it('signs up, fills in the profile with errors shown beside their fields', async () => {
    const page = await newPage(env.browser, env.server.url);
    await page.goto('/');
    await page.getByRole('link', { name: 'Sign up' }).click();
    await page.getByRole('heading', { name: 'Sign up as an expert' }).waitFor();
    await page.getByLabel('Name').fill('Lise Meitner');
    await page.getByLabel('E-mail').fill('lise@experts.example');
    await page.getByLabel('Password').fill('short');
    await page.getByRole('button', { name: 'Sign up' }).click();
    await page.locator('#su-password-error').waitFor();
    await screenshot(page, 'expert-sign-up');
    assert.deepEqual(await seriousViolations(page), []);
    await page.getByLabel('Password').fill(`${PASSWORD}-lise`);
    await page.getByRole('button', { name: 'Sign up' }).click();
    await page.waitForURL('**/work');

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Profile' }).click();
    await page.getByRole('heading', { level: 1, name: 'Your profile' }).waitFor();
    await page.getByLabel('Headline').fill('Nuclear physicist');
    await page.getByLabel('Languages').fill('de, en, not a tag!');
    await page.getByLabel('Time zone').fill('Europe/Vienna');
    await page.getByLabel('Weekly hour cap').fill('200');
    await page.getByRole('button', { name: 'Add a domain' }).click();
    await page.getByLabel('Domain 1').selectOption('physics');
    await page.getByLabel('Level in Physics').selectOption('4');
    await page.getByRole('button', { name: 'Add an affiliation' }).click();
    await page.getByLabel('Organisation 1').fill('Kaiser Wilhelm Institute');
    await page.getByLabel('Since').fill('2019-01-01');
    await page.getByRole('button', { name: 'Save profile' }).click();
    // Every field at fault says so beside it; nothing is saved.
    await page.locator('#pf-cap-error').waitFor();
    await page.locator('#pf-languages-error', { hasText: '“tag!”' }).waitFor();
    await page.getByText('Not saved yet.').waitFor();
    await page.getByLabel('Languages').fill('de, en');
    await page.getByLabel('Weekly hour cap').fill('15');
    await page.getByRole('button', { name: 'Save profile' }).click();
    await page.getByText('Your profile is saved.').waitFor();
    await page.reload();
    await page.getByLabel('Organisation 1').waitFor();
    assert.equal(await page.getByLabel('Languages').inputValue(), 'de, en');
    assert.equal(await page.getByLabel('Weekly hour cap').inputValue(), '15');
    assert.equal(await page.getByLabel('Level in Physics').inputValue(), '4');
    await screenshot(page, 'expert-profile');
    assert.deepEqual(await seriousViolations(page), []);

    // Removing the affiliation by keyboard and saving keeps it removed.
    await page.getByRole('button', { name: 'Remove Kaiser Wilhelm Institute' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Save profile' }).click();
    await page.getByText('Your profile is saved.').waitFor();
    await page.reload();
    await page.getByText('No affiliation declared.').waitFor();
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  it('adds a credential and uploads its evidence with a progress bar', async () => {
    const page = await newPage(env.browser, env.server.url);
    await signIn(page, 'grace@experts.example');
    await page.waitForURL('**/work');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Credentials' }).click();
    await page.getByRole('heading', { level: 1, name: 'Your credentials' }).waitFor();
    await page.getByText('Add a credential').click();
    await page.getByLabel('Title').fill('MSc in Computer Science');
    await page.getByLabel('Issuer').fill('University of Cambridge');
    await page.getByLabel('Domain').selectOption('computer_science');
    await page.getByLabel('Level').selectOption('3');
    await page.getByLabel('Identifier kind').selectOption('orcid');
    await page.getByLabel('Identifier', { exact: true }).fill('0000-0002-1825-0098');
    await page.getByRole('button', { name: 'Add credential' }).click();
    await page.locator('#nc-identifier-error').waitFor();
    await page.getByLabel('Identifier', { exact: true }).fill('0000-0002-1825-0097');
    await page.getByRole('button', { name: 'Add credential' }).click();
    const card = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'MSc in Computer Science' }) });
    await card.getByText('Evidence missing').waitFor();

    // A file that is not what its name says is refused by the server, and said why.
    await card.getByLabel('Evidence for MSc in Computer Science').setInputFiles(file('diploma.png', 'not a picture at all'));
    await card.getByRole('button', { name: 'Upload evidence' }).click();
    await card.getByRole('alert').waitFor();
    assert.match(await card.getByRole('alert').innerText(), /\S/);
    await card.getByText('Evidence missing').waitFor();

    // A real PDF goes through; the progress bar shows while it is sent (the request is held
    // back until the bar was seen).
    let release;
    const held = new Promise((r) => (release = r));
    await page.route('**/evidence?*', async (route) => {
      await held;
      await route.continue();
    });
    await card.getByLabel('Evidence for MSc in Computer Science').setInputFiles(file('diploma.pdf', pdf(200_000)));
    await card.getByRole('button', { name: 'Upload evidence' }).click();
    await card.getByRole('progressbar', { name: 'Uploading diploma.pdf' }).waitFor();
    await screenshot(page, 'expert-credential-uploading');
    release();
    await card.getByText('Pending review').waitFor();
    await card.getByRole('link', { name: 'diploma.pdf' }).waitFor();
    await page.unroute('**/evidence?*');
    await screenshot(page, 'expert-credentials');
    assert.deepEqual(await seriousViolations(page), []);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  it('shows verified credentials and a phone-sized credentials page', async () => {
    const page = await newPage(env.browser, env.server.url, PHONE);
    await signIn(page, 'ada@experts.example');
    await page.waitForURL('**/work');
    await page.goto('/work/credentials');
    const card = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'PhD in Physics' }) });
    await card.getByText('Verified', { exact: true }).waitFor();
    await card.getByText(/^Verified by .+ on /).waitFor();
    await noOverflow(page);
    await screenshot(page, 'phone-expert-credentials');
    assert.deepEqual(await seriousViolations(page), []);
    await page.goto('/work/profile');
    await page.getByLabel('Organisation 1').waitFor();
    await noOverflow(page);
    await screenshot(page, 'phone-expert-profile');
    await page.context().close();
  });
});

/** Answers the question block `q` of the demo's mathematics exam; `right` picks gold or not. */
async function answer(q, right) {
  const prompt = await q.locator('.question-help').innerText();
  if (prompt.includes('irrational')) await q.getByRole('radio').nth(right ? 1 : 0).check();
  else if (prompt.includes('Compute')) await q.getByRole('spinbutton').or(q.getByRole('textbox')).fill(right ? '1' : '2');
  else if (prompt.includes('abelian')) {
    await q.getByRole('checkbox').nth(0).check();
    await q.getByRole('checkbox').nth(right ? 2 : 1).check();
  } else if (prompt.includes('determinant')) await q.getByRole('radio', { name: right ? '1' : '-1', exact: true }).check();
  else await q.getByRole('textbox').fill('Euclid: multiply all the primes and add one; a prime factor of that is new.');
}

describe('expert network: an exam', () => {
  it('takes the exam with a countdown, keeps answers over a reload, submits, and a reviewer grades it', async () => {
    const page = await newPage(env.browser, env.server.url);
    await signIn(page, 'grace@experts.example');
    await page.waitForURL('**/work');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Exams' }).click();
    const card = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'Mathematics: master\'s level' }) });
    await card.getByText('Not taken yet.').waitFor();
    await screenshot(page, 'expert-exams');
    assert.deepEqual(await seriousViolations(page), []);
    await card.getByRole('button', { name: /^Start the exam/ }).click();
    await page.waitForURL('**/work/exams/attempts/*');
    await page.getByRole('heading', { level: 1, name: /^Exam: Mathematics, level 3/ }).waitFor();

    // The countdown runs from the server's time: 30 minutes less what has passed.
    const clock = page.locator('.countdown [aria-hidden]');
    const first = await clock.innerText();
    assert.match(first, /^(29|30):\d\d left$/);
    await page.waitForFunction((was) => document.querySelector('.countdown [aria-hidden]')?.textContent !== was, first);

    const questions = page.locator('.question');
    assert.equal(await questions.count(), 5);
    for (let i = 0; i < 5; i++) await answer(questions.nth(i), true);
    await page.getByText(/^Draft saved/).waitFor();
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.locator('.option-math .katex').first().waitFor();
    await screenshot(page, 'expert-exam-attempt');
    assert.deepEqual(await seriousViolations(page), []);

    // The answers were saved as they were given: a reload finds them.
    await page.reload();
    await page.locator('.question').first().waitFor();
    const proof = page.locator('.question-text textarea');
    assert.match(await proof.inputValue(), /^Euclid/);
    await page.getByRole('button', { name: 'Submit the exam' }).click();
    await page.getByRole('heading', { name: 'Submitted: awaiting grading' }).waitFor();
    await page.getByText('awaiting grading', { exact: true }).waitFor();
    await screenshot(page, 'expert-exam-awaiting-grading');
    const attemptUrl = page.url();

    // Emmy, a reviewer in mathematics, grades the proof without seeing who wrote it.
    const emmy = await newPage(env.browser, env.server.url);
    await signIn(emmy, 'emmy@experts.example');
    await emmy.waitForURL('**/work');
    await emmy.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Grading' }).click();
    await emmy.getByRole('heading', { level: 1, name: 'Exam grading' }).waitFor();
    const grading = emmy.getByRole('listitem').filter({ hasText: 'Euclid: multiply' });
    await grading.getByLabel('Points (0 to 3)').fill('9');
    await grading.getByRole('button', { name: 'Grade' }).click();
    await grading.getByRole('alert').waitFor();
    await screenshot(emmy, 'reviewer-exam-grading');
    assert.deepEqual(await seriousViolations(emmy), []);
    await grading.getByLabel('Points (0 to 3)').fill('3');
    await grading.getByLabel('Comment for the candidate').fill('Complete and correct.');
    await grading.getByRole('button', { name: 'Grade' }).click();
    await emmy.getByText('Euclid: multiply').waitFor({ state: 'detached' });
    assert.deepEqual(emmy.problems, []);
    await emmy.context().close();

    await page.goto(attemptUrl);
    await page.getByRole('heading', { name: 'Passed' }).waitFor();
    await page.getByText('You scored 100 of 100 (pass mark 60).').waitFor();
    await page.getByText(/^You are now qualified in Mathematics at level 3 \(master\)/).waitFor();
    await page.getByText('Reviewer: Complete and correct.').waitFor();
    await screenshot(page, 'expert-exam-passed');
    assert.deepEqual(await seriousViolations(page), []);

    // Back on the list: passed, with the option to retake closed by the cool-down.
    await page.goto('/work/exams');
    await card.getByText(/^Passed with 100 of 100/).waitFor();
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  it('fails the exam and shows when a retake is allowed', async () => {
    const page = await newPage(env.browser, env.server.url);
    await signIn(page, 'hippo@experts.example');
    await page.waitForURL('**/work');
    await page.goto('/work/exams');
    const card = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: "Mathematics: master's level" }) });
    await card.getByRole('button', { name: /^Start the exam/ }).click();
    await page.waitForURL('**/work/exams/attempts/*');
    const questions = page.locator('.question');
    await questions.first().waitFor();
    for (let i = 0; i < 5; i++) {
      const q = questions.nth(i);
      const prompt = await q.locator('.question-help').innerText();
      if (/infinitely many primes/.test(prompt)) await q.getByRole('textbox').fill('I do not know how to prove this one, sorry.');
      else await answer(q, false);
    }
    await page.getByRole('button', { name: 'Submit the exam' }).click();
    await page.getByRole('heading', { name: 'Submitted: awaiting grading' }).waitFor();
    const attemptUrl = page.url();

    const emmy = await newPage(env.browser, env.server.url);
    await signIn(emmy, 'emmy@experts.example');
    await emmy.waitForURL('**/work');
    await emmy.goto('/work/gradings');
    const grading = emmy.getByRole('listitem').filter({ hasText: 'I do not know how to prove this one' });
    await grading.getByLabel('Points (0 to 3)').fill('0');
    await grading.getByLabel('Comment for the candidate').fill('No proof given.');
    await grading.getByRole('button', { name: 'Grade' }).click();
    await emmy.getByText('I do not know how to prove this one').waitFor({ state: 'detached' });
    await emmy.context().close();

    await page.goto(attemptUrl);
    await page.getByRole('heading', { name: 'Not passed' }).waitFor();
    await page.getByText('You scored 0 of 100 (pass mark 60).').waitFor();
    await page.getByText('Reviewer: No proof given.').waitFor();
    await page.goto('/work/exams');
    await card.getByText(/^Not passed\. You can retake it from /).waitFor();
    assert.equal(await card.getByRole('button', { name: /exam/ }).count(), 0, 'no start inside the cool-down');
    await screenshot(page, 'expert-exam-cooldown');
    assert.deepEqual(await seriousViolations(page), []);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });
});
