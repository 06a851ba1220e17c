// Everything a lab or an expert writes is untrusted. An item and an answer full of script —
// <script>, onerror= attributes, javascript: links, SVG with handlers, in every field type —
// render as inert text and markup for the expert, in the expert's (and a reviewer's) view of
// the answer, and for the lab. The server's CSP would stop inline script anyway, so the pages
// here run with the CSP switched off: the sanitizer is the only guard, and anything it let
// through would run and set window.__pwned. The test also checks the rendered DOM itself: no
// script, style, frame or form element, no SVG but KaTeX's, no handler attribute, no
// javascript: URL, no dialog.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { DESKTOP, LOGINS, PASSWORD, newPage, signIn, useServerAndBrowser } from './harness.mjs';

const env = useServerAndBrowser();

const PAYLOADS = [
  '<script>window.__pwned = "script"</script>',
  '<img src="x" onerror="window.__pwned = \'onerror\'">',
  '[click me](javascript:window.__pwned=\'link\')',
  '<a href="javascript:window.__pwned=\'a\'">a link</a>',
  '<svg onload="window.__pwned = \'svg\'"><circle r="5"/></svg>',
  '<math><mtext><table><mglyph><style><img src=x onerror="window.__pwned=\'mxss\'">',
  '<iframe src="javascript:window.__pwned=\'iframe\'"></iframe>',
  '$\\href{javascript:window.__pwned=1}{x}$ and $$\\url{javascript:alert(1)}$$',
  '<details open ontoggle="window.__pwned=\'toggle\'">d</details>',
].join('\n\n');

const TEMPLATE = {
  fields: [
    { name: 'plain', type: 'text', title: 'Plain' },
    { name: 'prose', type: 'markdown', title: 'Prose' },
    { name: 'source', type: 'code', title: 'Source', language: 'html' },
    { name: 'chat', type: 'chat', title: 'Chat' },
    { name: 'picture', type: 'image_url', title: 'Picture', required: false },
  ],
  questions: [
    { name: 'verdict', type: 'label', title: 'Verdict <img src=x onerror="window.__pwned=\'title\'">', options: ['fine', '<b onmouseover="window.__pwned=1">bad</b>'] },
    { name: 'notes', type: 'text', title: 'Notes', description: PAYLOADS },
  ],
};

/** A page without the CSP, so that only the sanitizer stands between a payload and a run. */
const exposedPage = (url) => newPage(env.browser, url, DESKTOP, { bypassCSP: true });

async function assertInert(page, where) {
  const found = await page.evaluate(() => {
    const root = document.getElementById('app');
    const bad = [];
    for (const el of root.querySelectorAll('*')) {
      for (const attr of el.getAttributeNames()) {
        if (/^on/i.test(attr)) bad.push(`${el.tagName} ${attr}`);
        if (/^(href|src|xlink:href|action|formaction)$/i.test(attr) && /^\s*javascript:/i.test(el.getAttribute(attr))) bad.push(`${el.tagName} ${attr}=javascript:`);
      }
      if (/^(SCRIPT|IFRAME|OBJECT|EMBED|STYLE)$/.test(el.tagName)) bad.push(`<${el.tagName}>`);
      if (/^(FORM|INPUT|BUTTON|TEXTAREA|SELECT)$/.test(el.tagName) && el.closest('.prose, .item-field, .answer-view')) bad.push(`<${el.tagName}> in content`);
      // SVG only as KaTeX draws math with it.
      if (el.namespaceURI === 'http://www.w3.org/2000/svg' && (!['svg', 'path', 'line'].includes(el.localName) || !el.closest('.katex'))) bad.push(`<svg:${el.localName}>`);
    }
    return { bad, pwned: window.__pwned ?? null };
  });
  assert.deepEqual(found, { bad: [], pwned: null }, where);
  // The item's picture points at a host that does not exist; its failed load is expected.
  assert.deepEqual(page.problems.filter((p) => !p.includes('ERR_NAME_NOT_RESOLVED')), [], where);
}

async function api(url, token, method, path, body, type = 'application/json') {
  const res = await fetch(url + path, { method, headers: { Authorization: `Bearer ${token}`, 'Content-Type': type }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

async function login(url, email) {
  const res = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: 'Bearer none' }, body: JSON.stringify({ email, password: PASSWORD }) });
  return (await res.json()).token;
}

describe('untrusted text', () => {
  it('runs nothing an item or an answer carries, for the expert, the reviewer and the lab', async () => {
    const url = env.server.url;
    const owner = await login(url, LOGINS.owner);
    const project = await api(url, owner, 'POST', '/api/v1/projects', {
      name: 'Hostile input', domain: null, template: TEMPLATE, guidelines: PAYLOADS,
    });
    const item = {
      plain: PAYLOADS,
      prose: PAYLOADS,
      source: PAYLOADS,
      chat: [{ role: 'system', content: PAYLOADS }, { role: 'user', content: PAYLOADS }, { role: 'assistant', content: PAYLOADS }],
      picture: 'https://example.invalid/x.png?a="onerror="window.__pwned=1',
    };
    await api(url, owner, 'POST', `/api/v1/projects/${project.id}/items`, JSON.stringify({ data: item, external_id: 'hostile-1' }), 'application/x-ndjson');
    // An image URL must be http(s): a javascript: one is refused at import.
    const refused = await fetch(`${url}/api/v1/projects/${project.id}/items`, {
      method: 'POST', headers: { Authorization: `Bearer ${owner}`, 'Content-Type': 'application/x-ndjson' },
      body: JSON.stringify({ data: { ...item, picture: 'javascript:alert(1)' } }),
    });
    assert.equal(refused.status, 422);

    // The expert: the task, the guidelines, and an answer written with the same payloads,
    // previewed as it is typed.
    const expert = await exposedPage(url);
    await signIn(expert, LOGINS.lawyer);
    await expert.getByRole('heading', { name: 'Projects open to you' }).waitFor();
    await expert.goto(`/work/${project.id}`);
    await expert.locator('.task-view').waitFor();
    await expert.getByText('<script>window.__pwned = "script"</script>').first().waitFor();
    await assertInert(expert, 'the task');
    await expert.keyboard.press('g');
    await expert.getByRole('dialog', { name: 'Guidelines' }).waitFor();
    await assertInert(expert, 'the guidelines');
    await expert.keyboard.press('Escape');
    await expert.getByLabel('fine').check();
    await expert.getByLabel('Notes').fill(PAYLOADS);
    await expert.locator('.text-preview').waitFor();
    await assertInert(expert, 'the answer preview');
    await expert.keyboard.press('Control+Enter');
    await expert.locator('.task-view').waitFor({ state: 'detached' }).catch(() => undefined);

    // The answer as its reader sees it (the expert's past work; a reviewer's view is the same
    // component).
    await expert.goto('/work/history');
    await expert.locator('.answer-view').first().waitFor();
    await expert.getByText('a link').first().waitFor();
    await assertInert(expert, 'the answer view');
    await expert.context().close();

    // The lab: the project, its items, and the template's preview.
    const lab = await exposedPage(url);
    await signIn(lab, LOGINS.owner);
    await lab.getByRole('heading', { name: 'Projects' }).waitFor();
    await lab.goto(`/lab/projects/${project.id}`);
    await lab.getByRole('heading', { name: 'Hostile input' }).waitFor();
    await lab.waitForLoadState('networkidle');
    await assertInert(lab, 'the lab project page');
    // The item and the expert's answer, as the lab reads them.
    await lab.getByRole('link', { name: 'Items' }).click();
    await lab.getByRole('link', { name: 'hostile-1' }).click();
    await lab.locator('.item-detail li.submission .answer-view').waitFor();
    await lab.getByText('a link').first().waitFor();
    await assertInert(lab, 'the lab item page with the answer');
    await lab.context().close();
  });
});
