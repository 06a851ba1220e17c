// Sign-in, the shell by role, sign-out, deep links and the phone viewport.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { LOGINS, PHONE, newPage, screenshot, seriousViolations, signIn, useServerAndBrowser } from './harness.mjs';

const env = useServerAndBrowser();

const HOMES = [
  { who: 'operator', email: LOGINS.operator, path: '/admin/labs', heading: 'Labs', nav: ['Labs', 'Users', 'Experts', 'Sign-up', 'Vetting', 'Exams', 'Domains', 'Paused', 'Pay', 'Health', 'API tokens'] },
  { who: 'lab-owner', email: LOGINS.owner, path: '/lab/projects', heading: 'Projects', nav: ['Projects', 'Spend', 'Members', 'API tokens'] },
  { who: 'expert', email: LOGINS.physicist, path: '/work', heading: 'Projects open to you', nav: ['Work', 'Answers', 'Earnings', 'Exams', 'Credentials', 'Profile', 'Review', 'Grading', 'Past work', 'API tokens'] },
];

describe('sign-in and shell', () => {
  for (const home of HOMES) {
    it(`signs the ${home.who} in to their start page and out again`, async () => {
      const page = await newPage(env.browser, env.server.url);
      await signIn(page, home.email);
      await page.waitForURL(`**${home.path}`);
      await page.getByRole('heading', { level: 1, name: home.heading }).waitFor();
      const nav = page.getByRole('navigation', { name: 'Main' });
      assert.deepEqual(await nav.getByRole('link').allTextContents(), home.nav);
      // The session is the HttpOnly cookie: nothing secret is kept where script can read it.
      const stored = await page.evaluate(() => JSON.stringify({ ...localStorage, ...sessionStorage }) + document.cookie);
      assert.ok(!stored.includes('fws_') && !stored.includes('fw_session'), stored);
      await screenshot(page, `home-${home.who}`);
      assert.deepEqual(await seriousViolations(page), []);

      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('heading', { name: 'Sign in to Fachwerk' }).waitFor();
      await page.goto(home.path);
      await page.getByRole('heading', { name: 'Sign in to Fachwerk' }).waitFor();
      assert.deepEqual(page.problems, []);
      await page.context().close();
    });
  }

  it('says a wrong password is wrong, next to the form', async () => {
    const page = await newPage(env.browser, env.server.url);
    await signIn(page, LOGINS.owner, 'not-the-password');
    await page.getByRole('alert').getByText('The e-mail or password is wrong.').waitFor();
    await screenshot(page, 'sign-in-error');
    assert.deepEqual(await seriousViolations(page), []);
    await page.context().close();
  });

  it('returns to a deep link after signing in, and a reload keeps the screen', async () => {
    const page = await newPage(env.browser, env.server.url);
    await page.goto('/admin/users');
    await page.waitForURL('**/sign-in?next=%2Fadmin%2Fusers');
    await page.getByLabel('E-mail').fill(LOGINS.operator);
    await page.getByLabel('Password').fill('fachwerk-demo');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Users' }).waitFor();
    await page.getByRole('cell', { name: LOGINS.physicist }).waitFor();
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Users' }).waitFor();
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  it("shows 'Nothing here' for a screen the role cannot open", async () => {
    const page = await newPage(env.browser, env.server.url);
    await signIn(page, LOGINS.physicist);
    await page.waitForURL('**/work');
    await page.goto('/admin/labs');
    await page.getByRole('heading', { name: 'Nothing here' }).waitFor();
    await page.getByRole('link', { name: 'Go to your start page' }).click();
    await page.waitForURL('**/work');
    await page.context().close();
  });

  for (const [who, email, heading] of [
    ['lab-projects', LOGINS.owner, 'Projects'],
    ['operator-labs', LOGINS.operator, 'Labs'],
    ['expert-work', LOGINS.physicist, 'Projects open to you'],
  ]) {
    it(`works on a phone screen: ${who}`, async () => {
      const page = await newPage(env.browser, env.server.url, PHONE);
      await signIn(page, email);
      await page.getByRole('heading', { level: 1, name: heading }).waitFor();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `the page is ${overflow}px wider than the screen`);
      await screenshot(page, `phone-${who}`);
      assert.deepEqual(await seriousViolations(page), []);
      await page.context().close();
    });
  }
});
