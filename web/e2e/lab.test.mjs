// The lab console: a new project from a preset with an edited template (the preview follows, the
// server's errors appear beside the control at fault), a JSONL import refused for a bad line and
// then accepted, progress, pausing; the quality charts, items and export of a project with
// answers; the screens on a phone.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';

import { LOGINS, PHONE, newPage, screenshot, seriousViolations, signIn, useServerAndBrowser } from './harness.mjs';

const env = useServerAndBrowser();

const jsonl = (lines) => Buffer.from(lines.join('\n') + '\n');

const ITEMS = [
  JSON.stringify({ data: { text: 'Show that $\\int_0^1 x^2\\,dx = 1/3$.' }, external_id: 'int-1' }),
  JSON.stringify({ data: { text: 'Show that $\\int_0^\\pi \\sin x\\,dx = 2$.' }, external_id: 'int-2' }),
  JSON.stringify({ data: { text: '$\\int_1^e \\frac{dx}{x} = 1$.' }, external_id: 'int-gold', gold: { label: 'correct' } }),
];

/** A page of the lab console, signed in as Meridian's owner, on its project with answers. */
async function proofVerification(viewport) {
  const page = await newPage(env.browser, env.server.url, viewport);
  await signIn(page, LOGINS.otherOwner);
  await page.getByRole('link', { name: 'Proof verification' }).click();
  await page.getByRole('heading', { level: 1, name: 'Proof verification' }).waitFor();
  return page;
}

async function checked(page, name) {
  await screenshot(page, name);
  assert.deepEqual(await seriousViolations(page), [], `axe on ${name}`);
}

describe('lab console', () => {
  it('creates a project from an edited preset, imports items after a refused file and shows the progress', async () => {
    const page = await newPage(env.browser, env.server.url);
    await signIn(page, LOGINS.owner);
    await page.getByRole('heading', { level: 1, name: 'Projects' }).waitFor();
    await page.getByRole('link', { name: 'New project' }).click();
    await page.getByRole('heading', { level: 1, name: 'New project' }).waitFor();

    await page.getByLabel('Verification / classification').check();
    const label = page.getByRole('group', { name: 'Question 1: label' });
    await label.getByLabel('New option for label').fill('partly correct');
    await label.getByRole('button', { name: 'Add option' }).click();
    // The preview draws the answer form as the expert will have it, with the new option.
    const preview = page.getByRole('complementary', { name: 'Preview' });
    await preview.getByText('partly correct').waitFor();
    await preview.locator('.katex').first().waitFor();
    await checked(page, 'lab-new-project');

    // A rating whose highest is below its lowest: the server's error appears beside that box,
    // and the form's name error beside the name.
    const rating = page.getByRole('group', { name: 'Question 2: confidence' });
    await rating.getByLabel('Highest').fill('0');
    await page.getByRole('button', { name: 'Create project' }).click();
    await page.locator('#name-error').waitFor();
    await page.getByLabel('Project name').fill('Integral checks');
    await page.getByLabel('Experts', { exact: true }).selectOption('mathematics');
    await page.getByLabel('Minimum level').selectOption('2');
    await page.getByRole('button', { name: 'Create project' }).click();
    await page.locator('#template-questions-1-max-error').waitFor();
    await page.getByRole('alert').getByRole('link', { name: 'Question 2 “confidence”: max' }).waitFor();
    await checked(page, 'lab-new-project-errors');
    await rating.getByLabel('Highest').fill('5');
    await page.getByLabel('Guidelines for experts').fill('Check every step; $\\int$ signs need limits.');
    await page.getByRole('button', { name: 'Create project' }).click();

    await page.getByRole('heading', { level: 1, name: 'Integral checks' }).waitFor();
    await page.getByRole('img', { name: /^0 of 0 items done/ }).waitFor();

    // A file with a bad line is refused whole; the report names the line.
    const file = page.getByLabel('JSONL file');
    await file.setInputFiles({ name: 'integrals.jsonl', mimeType: 'application/x-ndjson', buffer: jsonl([ITEMS[0], '{"data": {"text": ', ITEMS[1], ITEMS[2]]) });
    await page.getByRole('button', { name: 'Upload' }).click();
    const report = page.getByRole('region', { name: 'Bad lines in integrals.jsonl' });
    await report.getByRole('rowheader', { name: 'line 2' }).waitFor();
    await report.getByRole('cell', { name: 'invalid_json' }).waitFor();
    await checked(page, 'lab-upload-errors');

    await file.setInputFiles({ name: 'integrals.jsonl', mimeType: 'application/x-ndjson', buffer: jsonl(ITEMS) });
    await page.getByRole('button', { name: 'Upload' }).click();
    await page.getByText('is imported: 2 new items, 1 gold').waitFor();
    await page.getByRole('img', { name: /^0 of 2 items done/ }).waitFor();

    // Uploading the same file again stores nothing new.
    await file.setInputFiles({ name: 'integrals.jsonl', mimeType: 'application/x-ndjson', buffer: jsonl(ITEMS) });
    await page.getByRole('button', { name: 'Upload' }).click();
    await page.getByText('3 already here (same external_id) and skipped').waitFor();
    await checked(page, 'lab-project-overview');

    // Only the raw export: the template has no SFT or preference mapping.
    assert.deepEqual(await page.getByRole('link', { name: /^Download .* JSONL$/ }).allTextContents(), ['Download raw JSONL']);

    await page.getByRole('button', { name: 'Pause' }).click();
    await page.locator('.status-pill', { hasText: 'paused' }).waitFor();
    await page.getByRole('button', { name: 'Resume' }).click();
    await page.locator('.status-pill', { hasText: 'active' }).waitFor();

    await page.getByRole('link', { name: 'Projects', exact: true }).first().click();
    const row = page.getByRole('row', { name: /Integral checks/ });
    await row.getByRole('img', { name: /^0 of 2 items done/ }).waitFor();
    await checked(page, 'lab-projects');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  it('shows the quality of a project with answers as charts, its items, and exports them', async () => {
    const page = await proofVerification();

    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: 'Download raw JSONL' }).click();
    const lines = (await readFile(await (await download).path(), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    // Two of the demo's judges answer two proofs each; the third goes on until her wrong answer
    // to the gold proof pauses her.
    assert.ok(lines.length >= 5, `${lines.length} lines`);
    assert.ok(lines.every((l) => l.submission_id && l.item_id && l.answer), 'every line is a submission');

    await page.getByRole('link', { name: 'Quality' }).click();
    await page.getByRole('heading', { name: 'Agreement' }).waitFor();
    await page.getByRole('button', { name: 'Refresh now' }).click();
    await page.getByRole('button', { name: 'Refresh now' }).waitFor();
    for (const caption of [/Krippendorff's alpha per question/, /Confidence of the aggregated answer to label/, /Skill: the chance of a right answer/]) {
      await page.getByRole('figure', { name: caption }).locator('canvas').first().waitFor();
    }
    // The demo's experts may or may not have met a gold item yet.
    await page
      .getByRole('figure', { name: /Share of gold items answered right/ })
      .locator('canvas')
      .first()
      .or(page.getByText('No expert has answered a gold item yet.'))
      .waitFor();
    // The charts' numbers are there in text too: the questions table and a table per histogram.
    await page.getByRole('region', { name: 'Agreement and aggregation per question' }).getByRole('rowheader', { name: 'label' }).waitFor();
    assert.ok((await page.locator('figure .sr-only table').count()) >= 2);
    await checked(page, 'lab-project-quality');

    await page.getByRole('link', { name: 'Items' }).click();
    const items = page.getByRole('region', { name: 'Items with their aggregated answers' });
    await items.getByRole('rowheader', { name: /math-cls-gold-1\s+gold/ }).waitFor();
    await items.getByRole('columnheader', { name: 'label' }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Next page' }).isDisabled(), true);
    await checked(page, 'lab-project-items');

    // One item: the task as experts saw it, and each answer by the experts' pseudonyms. The
    // item with priority is every judge's first or second task, so it always has answers.
    await items.getByRole('link', { name: 'math-cls-002' }).click();
    await page.getByRole('heading', { name: /Item math-cls-002/ }).waitFor();
    await page.locator('.item-detail .task-view .katex').first().waitFor();
    const answers = page.locator('.item-detail li.submission');
    await answers.first().waitFor();
    // The demo's three mathematicians judged two items each; which ones depends on the gold mix.
    assert.ok((await answers.count()) >= 1);
    assert.match(await answers.first().innerText(), /Expert ex_\w+/);
    await answers.first().getByText(/^(correct|incorrect|unsure)$/).waitFor();
    await checked(page, 'lab-project-item');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  it('works on a phone screen', async () => {
    const page = await proofVerification(PHONE);
    const fits = async (what) => {
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `${what} is ${overflow}px wider than the screen`);
    };
    await page.getByRole('heading', { level: 2, name: 'Import items' }).waitFor();
    await fits('the overview');
    await checked(page, 'phone-lab-project');
    await page.getByRole('link', { name: 'Quality' }).click();
    await page.getByRole('figure', { name: /Krippendorff/ }).locator('canvas').waitFor();
    await fits('the quality page');
    await page.goto('/lab/projects/new');
    await page.getByRole('heading', { level: 2, name: 'Template', exact: true }).waitFor();
    await fits('the new-project page');
    assert.deepEqual(await seriousViolations(page), []);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });
});
