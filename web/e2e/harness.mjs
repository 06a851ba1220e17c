// The browser suite's harness: a real `fachwerk demo` (SQLite, demo data) on a free loopback
// port and Debian's Chromium driven by playwright-core. Screenshots go to e2e/artifacts/.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

import { after, before } from 'node:test';

import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
export const ARTIFACTS = resolve(here, 'artifacts');
export const PASSWORD = 'fachwerk-demo';
export const LOGINS = {
  operator: 'operator@fachwerk.local',
  owner: 'owner@helios.example',
  otherOwner: 'owner@meridian.example',
  physicist: 'ada@experts.example',
  mathematician: 'emmy@experts.example',
  lawyer: 'ruth@experts.example',
};

function fachwerkBin() {
  const bin = process.env.FACHWERK_BIN ?? resolve(here, '../../build/src/cli/fachwerk');
  if (!existsSync(bin)) throw new Error(`fachwerk binary not found at ${bin}: build it or set FACHWERK_BIN`);
  return bin;
}

async function waitFor(check, what, seconds = 30) {
  const until = Date.now() + seconds * 1000;
  while (Date.now() < until) {
    const v = await check();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Starts `fachwerk demo` with a fresh data directory; returns { url, stop() }. */
export async function startServer() {
  const dir = mkdtempSync(join(tmpdir(), 'fw-e2e-'));
  const portFile = join(dir, 'port');
  const log = [];
  const child = spawn(
    fachwerkBin(),
    ['demo', '--data', join(dir, 'data'), '--listen', '127.0.0.1:0', '--port-file', portFile, '--log-level', 'warn'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout.on('data', (d) => log.push(String(d)));
  child.stderr.on('data', (d) => log.push(String(d)));
  let exited = false;
  child.on('exit', () => (exited = true));
  const port = await waitFor(() => {
    if (exited) throw new Error(`fachwerk demo exited:\n${log.join('')}`);
    return existsSync(portFile) && readFileSync(portFile, 'utf8').trim();
  }, 'the demo server');
  const url = `http://127.0.0.1:${port}`;
  await waitFor(async () => (await fetch(`${url}/healthz`).catch(() => null))?.ok, '/healthz');
  return {
    url,
    log,
    async stop() {
      if (!exited) {
        child.kill('SIGTERM');
        await waitFor(() => exited, 'the server to stop', 15).catch(() => child.kill('SIGKILL'));
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Debian's Chromium, headless, without sandbox or background networking. */
export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

/** A new page (own cookies) that records script errors and dialogs, which no test expects.
 * `options` go to the browser context (e.g. bypassCSP). */
export async function newPage(browser, baseURL, viewport = DESKTOP, options = {}) {
  const context = await browser.newContext({ baseURL, viewport, ...options });
  const page = await context.newPage();
  page.problems = [];
  page.on('pageerror', (e) => page.problems.push(`page error: ${e.message}`));
  page.on('dialog', async (d) => {
    page.problems.push(`dialog: ${d.message()}`);
    await d.dismiss();
  });
  page.on('console', (m) => {
    // The browser logs every 4xx answer itself ("Failed to load resource"); the tests expect
    // some (who is signed in, a refused form) and check what the app shows instead.
    if (m.type() === 'error' && !/^Failed to load resource: the server responded with a status of 4\d\d/.test(m.text())) {
      page.problems.push(`console error: ${m.text()}`);
    }
  });
  return page;
}

export async function signIn(page, email, password = PASSWORD) {
  await page.goto('/');
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

export async function screenshot(page, name) {
  mkdirSync(join(ARTIFACTS, 'screens'), { recursive: true });
  const path = join(ARTIFACTS, 'screens', `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's serious and critical violations on the page (WCAG 2.1 A and AA rules). */
export async function seriousViolations(page) {
  // Evaluated through the DevTools protocol, which the page's CSP does not govern.
  await page.evaluate(axeSource);
  const result = await page.evaluate(() =>
    globalThis.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }),
  );
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** One demo server and one browser for the calling test file, started before its tests and
 * stopped after them; read `env.server` and `env.browser` inside the tests. */
export function useServerAndBrowser() {
  const env = { server: null, browser: null };
  before(async () => {
    env.server = await startServer();
    env.browser = await launchBrowser();
  });
  after(async () => {
    await env.browser?.close();
    await env.server?.stop();
  });
  return env;
}
