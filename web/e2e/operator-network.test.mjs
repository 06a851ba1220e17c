// The operator's side of the expert network: the vetting queue with the evidence beside the
// decision, the domain taxonomy, and exam banks with their questions.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { LOGINS, PHONE, newPage, screenshot, seriousViolations, signIn, useServerAndBrowser } from './harness.mjs';

const env = useServerAndBrowser();

async function operatorOn(link, heading, viewport) {
  const page = await newPage(env.browser, env.server.url, viewport);
  await signIn(page, LOGINS.operator);
  await page.waitForURL('**/admin/labs');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: link }).click();
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
  return page;
}

describe('expert network: the operator', () => {
  it('reviews a pending credential with its evidence, refuses a reject without reason, and verifies with a grant', async () => {
    const page = await operatorOn('Vetting', 'Vetting');
    const detail = page.getByRole('article', { name: 'Medical licence (cardiology)' });
    await detail.getByText('Hippo (physician)', { exact: false }).waitFor();
    // The evidence is the expert's PDF, framed from its URL.
    const frame = detail.locator('iframe.evidence-frame');
    const src = await frame.getAttribute('src');
    assert.match(src, /^\/api\/v1\/credentials\/crd_[^/]+\/evidence$/);
    const served = await page.request.get(src);
    assert.equal(served.status(), 200);
    assert.equal(served.headers()['content-type'], 'application/pdf');
    assert.match(served.headers()['content-security-policy'], /^sandbox;/);
    assert.equal(served.headers()['x-frame-options'], 'SAMEORIGIN');
    // The frame holds the evidence itself (no refusal page in its place).
    await page.waitForFunction(() => document.querySelector('iframe.evidence-frame')?.contentWindow !== null);
    assert.ok(page.frames().some((f) => f.url().endsWith(src)), 'the evidence is framed');
    // The expert's dossier is one click away.
    await detail.getByText('The expert’s profile, other credentials and qualifications').click();
    await detail.locator('.dossier dd', { hasText: /Medicine, PhD \(operator\)/ }).waitFor();
    await screenshot(page, 'operator-vetting');
    assert.deepEqual(await seriousViolations(page), []);

    // A rejection needs a reason, said beside the field.
    await detail.getByRole('button', { name: 'Reject credential' }).click();
    await page.locator('#rf-reason-error').waitFor();

    // Verifying grants the licence's qualification: medicine, level 5 (preselected).
    assert.equal(await detail.getByLabel('Grant a qualification on this credential').isChecked(), true);
    assert.equal(await detail.getByLabel('Domain').inputValue(), 'medicine');
    assert.equal(await detail.getByLabel('Level').inputValue(), '5');
    await detail.getByLabel('Reviewer').check();
    await detail.getByRole('button', { name: 'Verify credential' }).click();
    await page.getByText('Verified “Medical licence (cardiology)” of Hippo (physician), granting Medicine, level 5.').waitFor();
    await page.getByText('No credential is waiting for review.').waitFor();

    // The expert sees it verified, with who decided.
    const hippo = await newPage(env.browser, env.server.url);
    await signIn(hippo, 'hippo@experts.example');
    await hippo.waitForURL('**/work');
    await hippo.goto('/work/credentials');
    await hippo.getByText(/^Verified by .+ on /).waitFor();
    await hippo.context().close();
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  it('rejects a credential with a reason the expert reads', async () => {
    // An expert sends one, through the API as the browser would.
    const expert = await newPage(env.browser, env.server.url);
    await signIn(expert, LOGINS.lawyer);
    await expert.waitForURL('**/work');
    await expert.goto('/work/credentials');
    await expert.getByText('Add a credential').click();
    await expert.getByLabel('Kind', { exact: true }).selectOption('certification');
    await expert.getByLabel('Title').fill('Certified tax adviser');
    await expert.getByRole('button', { name: 'Add credential' }).click();
    const card = expert.getByRole('listitem').filter({ has: expert.getByRole('heading', { name: 'Certified tax adviser' }) });
    const png = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
      'base64',
    );
    await card.getByLabel('Evidence for Certified tax adviser').setInputFiles({ name: 'certificate.png', mimeType: 'image/png', buffer: png });
    await card.getByRole('button', { name: 'Upload evidence' }).click();
    await card.getByText('Pending review').waitFor();

    const page = await operatorOn('Vetting', 'Vetting');
    await page.getByRole('button', { name: /Certified tax adviser/ }).click();
    const detail = page.getByRole('article', { name: 'Certified tax adviser' });
    // An image is shown inline.
    await detail.getByRole('img', { name: 'Evidence: certificate.png' }).waitFor();
    await detail.getByLabel('Reason (the expert reads it)').fill('The certificate is a blank image; send a scan of the document.');
    await detail.getByRole('button', { name: 'Reject credential' }).click();
    await page.getByText('Rejected “Certified tax adviser” of Ruth (lawyer).').waitFor();

    await expert.reload();
    await card.getByText('Rejected', { exact: true }).waitFor();
    await card.getByText(/: The certificate is a blank image; send a scan of the document\.$/).waitFor();
    await screenshot(expert, 'expert-credential-rejected');
    assert.deepEqual(await seriousViolations(expert), []);
    await expert.context().close();
    await page.context().close();
  });

  it('adds a sub-field to the domain taxonomy', async () => {
    const page = await operatorOn('Domains', 'Domains');
    await page.getByLabel('Title').fill('Astrophysics');
    assert.equal(await page.getByLabel('Name').inputValue(), 'astrophysics');
    await page.getByLabel('Sub-field of').selectOption('physics');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await page.getByText('Added Astrophysics under Physics.').waitFor();
    await page.getByRole('list', { name: 'Sub-fields of Physics' }).getByText('Astrophysics').waitFor();
    // The same name again is refused beside the name.
    await page.getByLabel('Title').fill('Astrophysics');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await page.locator('#nd-name-error').waitFor();
    await screenshot(page, 'operator-domains');
    assert.deepEqual(await seriousViolations(page), []);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  it('creates an exam bank, adds questions with gold, activates it and retires a question', async () => {
    const page = await operatorOn('Exams', 'Exam banks');
    await page.getByRole('link', { name: "Mathematics: master's level" }).waitFor();
    await page.getByText('New exam bank').click();
    await page.getByLabel('Title').fill('Tax law: licensed professional');
    await page.getByLabel('Domain').selectOption('tax_law');
    await page.getByLabel('Level').selectOption('5');
    await page.getByLabel('Questions per attempt').fill('2');
    await page.getByLabel('Time limit (minutes)').fill('0.5');
    await page.getByRole('button', { name: 'Create exam bank' }).click();
    await page.locator('#bank-time_limit_minutes-error').waitFor();
    await page.getByLabel('Time limit (minutes)').fill('20');
    await page.getByRole('button', { name: 'Create exam bank' }).click();
    await page.getByRole('heading', { level: 1, name: 'Tax law: licensed professional' }).waitFor();

    // A gold answer that is not one of the options is refused beside the gold.
    await page.getByLabel('Prompt (markdown, $math$)').fill('Is a gift between spouses taxable in the US?');
    await page.getByLabel('Question (JSON)').fill('{"type": "label", "options": ["yes", "no", "it depends"]}');
    await page.getByLabel('Gold answer (JSON; empty: a reviewer grades it)').fill('"maybe"');
    await page.getByRole('button', { name: 'Add question' }).click();
    await page.locator('#aq-gold-error').waitFor();
    await page.getByLabel('Gold answer (JSON; empty: a reviewer grades it)').fill('"no"');
    await page.getByRole('button', { name: 'Add question' }).click();
    await page.getByText('Question added.').waitFor();
    await page.getByLabel('Start from an example').selectOption('text');
    await page.getByLabel('Prompt (markdown, $math$)').fill('Explain the step-up in basis at death.');
    await page.getByRole('button', { name: 'Add question' }).click();
    await page.getByText('graded by a reviewer').waitFor();

    await page.getByText('Settings', { exact: true }).click();
    await page.getByLabel('Status').selectOption('active');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Settings saved.').waitFor();
    await page.locator('.status-pill.active').first().waitFor();

    // Retiring would leave fewer questions than an attempt draws: refused, and said so.
    await page.getByRole('button', { name: /^Retire the question “Is a gift/ }).click();
    await page.getByRole('button', { name: 'Retire now' }).click();
    await page.getByRole('alert').first().waitFor();
    await screenshot(page, 'operator-exam-bank');
    assert.deepEqual(await seriousViolations(page), []);

    await page.getByRole('link', { name: 'All exam banks' }).click();
    await page.getByRole('row', { name: /Tax law: licensed professional/ }).getByText('active').waitFor();
    await screenshot(page, 'operator-exam-banks');
    assert.deepEqual(await seriousViolations(page), []);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  it('works on a phone screen: vetting', async () => {
    const page = await operatorOn('Vetting', 'Vetting', PHONE);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the page is ${overflow}px wider than the screen`);
    await screenshot(page, 'phone-operator-vetting');
    await page.context().close();
  });

  it('switches sign-up to invitations, invites and withdraws, and the sign-up page asks for one', async () => {
    const page = await operatorOn('Sign-up', 'Expert sign-up');
    assert.equal(await page.getByLabel('Open to anyone').isChecked(), true);
    await page.getByLabel('By invitation').check();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Sign-up is now by invitation.').waitFor();

    await page.getByLabel('E-mail').fill('not an address');
    await page.getByRole('button', { name: 'Invite' }).click();
    await page.locator('#inv-email-error').waitFor();
    await page.getByLabel('E-mail').fill('lise@experts.example');
    await page.getByRole('button', { name: 'Invite' }).click();
    await page.getByText('An invitation went to lise@experts.example.').waitFor();
    const list = page.getByRole('list', { name: 'Invitations not yet used' });
    await list.getByText('lise@experts.example').waitFor();
    await screenshot(page, 'operator-sign-up');
    assert.deepEqual(await seriousViolations(page), []);

    // Without an invitation, the sign-up page refuses beside the invitation field.
    const visitor = await newPage(env.browser, env.server.url);
    await visitor.goto('/sign-up');
    await visitor.getByText('Sign-up needs an invitation from the operator.').waitFor();
    await visitor.getByLabel('Name').fill('Lise Meitner');
    await visitor.getByLabel('E-mail').fill('lise@experts.example');
    await visitor.getByLabel('Password').fill('a-long-enough-password');
    await visitor.getByRole('button', { name: 'Sign up' }).click();
    await visitor.locator('#su-invitation-error').waitFor();
    await visitor.getByLabel('Invitation').fill('fwx_not-a-real-secret');
    await visitor.getByRole('button', { name: 'Sign up' }).click();
    await visitor.locator('#su-invitation-error', { hasText: /^This invitation is not valid any more/ }).waitFor();
    await screenshot(visitor, 'expert-sign-up-invitation');
    assert.deepEqual(await seriousViolations(visitor), []);
    await visitor.context().close();

    await page.getByRole('button', { name: 'Withdraw the invitation of lise@experts.example' }).click();
    await page.getByRole('button', { name: 'Withdraw now' }).click();
    await page.getByText('No invitation is waiting to be used.').waitFor();
    await page.getByLabel('Open to anyone').check();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Sign-up is now open to anyone.').waitFor();
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });
});
