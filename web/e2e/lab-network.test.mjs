// The expert network as a lab and an expert see the work done: the lab's workforce by
// pseudonym with its qualification mix, and the expert's standing per project.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { LOGINS, PHONE, newPage, screenshot, seriousViolations, signIn, useServerAndBrowser } from './harness.mjs';

const env = useServerAndBrowser();

describe('expert network: workforce and standing', () => {
  for (const [name, viewport] of [
    ['lab-workforce', undefined],
    ['phone-lab-workforce', PHONE],
  ]) {
    it(`shows the lab its workforce by pseudonym with the qualification mix (${name})`, async () => {
      const page = await newPage(env.browser, env.server.url, viewport);
      await signIn(page, LOGINS.otherOwner);
      await page.getByRole('link', { name: 'Proof verification' }).click();
      await page.getByRole('link', { name: 'Workforce' }).click();
      await page.getByRole('heading', { name: 'Qualification mix' }).waitFor();
      const rows = page.getByRole('table', { name: /^Experts who worked on Proof verification/ }).getByRole('row');
      assert.ok((await rows.count()) >= 3, 'a header and the experts');
      const pseudonyms = await page.locator('tbody th code').allTextContents();
      assert.ok(pseudonyms.length >= 2 && pseudonyms.every((p) => /^ex_/.test(p)), pseudonyms.join(', '));
      // Never a name or an e-mail.
      const text = await page.locator('main').innerText();
      assert.ok(!/experts\.example|Emmy|Ada|Sofia/.test(text), 'no names or e-mails');
      await page.getByRole('table', { name: 'Experts per qualification level' }).getByRole('row', { name: /PhD|master|licensed/ }).first().waitFor();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `the page is ${overflow}px wider than the screen`);
      await screenshot(page, name);
      assert.deepEqual(await seriousViolations(page), []);
      assert.deepEqual(page.problems, []);
      await page.context().close();
    });
  }

  it("shows the expert their standing on the projects they worked on", async () => {
    const page = await newPage(env.browser, env.server.url);
    await signIn(page, LOGINS.mathematician);
    await page.waitForURL('**/work');
    const standing = page.getByRole('region', { name: 'Your standing' });
    await standing.getByText('Proof verification').waitFor();
    await standing.getByText(/answers? · (gold|no gold)/).first().waitFor();
    await screenshot(page, 'expert-standing');
    assert.deepEqual(await seriousViolations(page), []);
    await page.context().close();
  });

  it('excludes an expert of the workforce by pseudonym, and lifts it', async () => {
    const page = await newPage(env.browser, env.server.url);
    await signIn(page, LOGINS.otherOwner);
    await page.getByRole('link', { name: 'Proof verification' }).click();
    await page.getByRole('link', { name: 'Workforce' }).click();
    const pseudonym = await page.locator('tbody th code').first().innerText();
    await page.getByRole('link', { name: 'Requirements' }).click();
    await page.getByText('Nobody is excluded.').waitFor();
    await page.getByLabel('Pseudonym').fill(pseudonym);
    await page.getByRole('button', { name: 'Exclude' }).click();
    const list = page.getByRole('list', { name: 'Excluded experts' });
    await list.getByText(pseudonym).waitFor();
    await page.getByRole('button', { name: `Remove the exclusion of ${pseudonym}` }).click();
    await page.getByRole('button', { name: 'Remove now' }).click();
    await page.getByText('Nobody is excluded.').waitFor();
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });
});
