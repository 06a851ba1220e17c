// The workbench as an expert feels it: a fresh `fachwerk demo` on a loopback port, a project
// of 60 classification items open to every expert, and Debian's Chromium working through 50
// of them by keyboard (digit, Ctrl+Enter). Reports, as a table and a last JSON line:
//   - submit to next task: from the Ctrl+Enter key press to the next item's text on screen,
//     measured inside the page (p50, p95, max over the 50 submits);
//   - first load to interactive: a new tab opening the workbench URL until the task and its
//     answer form are on screen (navigation start to that moment, median of 5 loads);
//   - the initial JavaScript: every script index.html loads, gzip-compressed (KaTeX's fonts
//     are not JavaScript and load only when math is on screen).
// Usage: node bench/workbench.mjs [--bin build/src/cli/fachwerk] [--tasks 50]
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const require = createRequire(join(root, 'web', 'package.json'));
const { chromium } = require('playwright-core');

const args = process.argv.slice(2);
const arg = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const BIN = resolve(arg('--bin', join(root, 'build/src/cli/fachwerk')));
const TASKS = Number(arg('--tasks', '50'));
const PASSWORD = 'fachwerk-demo';

async function waitFor(check, what, seconds = 30) {
  const until = Date.now() + seconds * 1000;
  while (Date.now() < until) {
    const v = await check();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function startServer(dir) {
  const portFile = join(dir, 'port');
  const child = spawn(BIN, ['demo', '--data', join(dir, 'data'), '--listen', '127.0.0.1:0', '--port-file', portFile, '--log-level', 'warn'], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const port = await waitFor(() => existsSync(portFile) && readFileSync(portFile, 'utf8').trim(), 'the server');
  const url = `http://127.0.0.1:${port}`;
  await waitFor(async () => (await fetch(`${url}/healthz`).catch(() => null))?.ok, '/healthz');
  return { url, child };
}

async function call(url, token, method, path, body, contentType = 'application/json') {
  const res = await fetch(url + path, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': contentType },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

async function seedProject(url) {
  const login = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: 'Bearer none' },
    body: JSON.stringify({ email: 'owner@helios.example', password: PASSWORD }),
  }).then((r) => r.json());
  const project = await call(url, login.token, 'POST', '/api/v1/projects', {
    name: 'Workbench benchmark', preset: 'classification', domain: null, redundancy: 1,
    guidelines: 'Is the claim true? Use $\\LaTeX$ where it helps.',
  });
  const lines = [];
  for (let i = 0; i < TASKS + 10; i++) {
    lines.push(JSON.stringify({ data: { text: `**Claim ${i}.** $\\sum_{k=1}^{${i + 2}} k = \\frac{${i + 2}(${i + 3})}{2}$ for the item numbered ${i}.` }, external_id: `bench-${i}` }));
  }
  await call(url, login.token, 'POST', `/api/v1/projects/${project.id}/items`, lines.join('\n'), 'application/x-ndjson');
  return project.id;
}

function quantile(sorted, q) {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

function initialScriptBytes() {
  const dist = join(root, 'web', 'dist');
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const srcs = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.js)"/g)].map((m) => m[1]);
  let raw = 0;
  let gz = 0;
  for (const src of srcs) {
    const bytes = readFileSync(join(dist, src));
    raw += bytes.length;
    gz += gzipSync(bytes, { level: 9 }).length;
  }
  return { files: srcs.length, raw, gzip: gz };
}

async function main() {
  if (!existsSync(BIN)) throw new Error(`no fachwerk binary at ${BIN}`);
  const dir = mkdtempSync(join(tmpdir(), 'fw-bench-web-'));
  const { url, child } = await startServer(dir);
  let browser;
  try {
    const projectId = await seedProject(url);
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-dev-shm-usage'],
    });
    const context = await browser.newContext({ baseURL: url, viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    page.on('pageerror', (e) => console.error('page error:', e.message));
    await page.goto('/');
    await page.getByLabel('E-mail').fill('sofia@experts.example');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Projects open to you' }).waitFor();

    // First load to interactive, in fresh tabs of the signed-in context.
    const loads = [];
    for (let i = 0; i < 5; i++) {
      const tab = await context.newPage();
      await tab.goto(`/work/${projectId}`, { waitUntil: 'commit' });
      await tab.locator('.answer-panel button[type=submit]').waitFor();
      loads.push(await tab.evaluate(() => performance.now()));
      await tab.close();
    }
    loads.sort((a, b) => a - b);

    await page.goto(`/work/${projectId}`);
    await page.locator('.task-view').waitFor();
    await page.evaluate(() => {
      // Time from the submit key to the moment the next item's text is on screen.
      window.__fwTimes = [];
      let pressed = 0;
      let before = '';
      document.addEventListener('keydown', (e) => {
        if (e.key === 'Enter' && e.ctrlKey) {
          pressed = performance.now();
          before = document.querySelector('.task-view')?.textContent ?? '';
        }
      }, true);
      new MutationObserver(() => {
        if (!pressed) return;
        const now = document.querySelector('.task-view')?.textContent ?? '';
        if (now && now !== before) {
          window.__fwTimes.push(performance.now() - pressed);
          pressed = 0;
        }
      }).observe(document.getElementById('app') ?? document.body, { subtree: true, childList: true, characterData: true });
    });
    for (let i = 0; i < TASKS; i++) {
      await page.keyboard.press('1');
      await page.keyboard.press('Control+Enter');
      await page.waitForFunction((n) => window.__fwTimes.length >= n, i + 1, { timeout: 10_000 }).catch(async (e) => {
        const shot = join(tmpdir(), 'fw-bench-workbench-failure.png');
        await page.screenshot({ path: shot });
        console.error(`task ${i + 1} did not follow; the page: ${shot}`);
        throw e;
      });
    }
    const times = (await page.evaluate(() => window.__fwTimes)).sort((a, b) => a - b);
    const done = await page.evaluate(async () => (await fetch('/api/v1/assignments?state=submitted&limit=200')).json());
    const ours = done.assignments.filter((a) => a.project_id === projectId).length;
    if (ours !== TASKS) throw new Error(`expected ${TASKS} submissions, found ${ours}`);
    const js = initialScriptBytes();
    const result = {
      tasks: TASKS,
      submit_to_next_ms: { p50: +quantile(times, 0.5).toFixed(1), p95: +quantile(times, 0.95).toFixed(1), max: +times[times.length - 1].toFixed(1) },
      first_load_to_interactive_ms: { median: +quantile(loads, 0.5).toFixed(0), max: +loads[loads.length - 1].toFixed(0) },
      initial_js: js,
    };
    console.log(`workbench, ${TASKS} tasks by keyboard on ${url}`);
    console.log(`  submit to next task   p50 ${result.submit_to_next_ms.p50} ms   p95 ${result.submit_to_next_ms.p95} ms   max ${result.submit_to_next_ms.max} ms`);
    console.log(`  first load to interactive   median ${result.first_load_to_interactive_ms.median} ms   max ${result.first_load_to_interactive_ms.max} ms`);
    console.log(`  initial JavaScript   ${js.files} file(s), ${(js.raw / 1024).toFixed(1)} KiB, gzip ${(js.gzip / 1024).toFixed(1)} KiB`);
    console.log(JSON.stringify(result));
  } finally {
    await browser?.close();
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
