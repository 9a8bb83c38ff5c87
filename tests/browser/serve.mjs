#!/usr/bin/env node
// Live preview in a real browser: starts `fascia serve` on a copy of a fixture,
// opens a page in headless Chromium and edits files as an author would.
//
//   node tests/browser/serve.mjs FASCIA_BINARY FIXTURE_DIR
//
// Ends with "N passed, M failed" and a non-zero exit code on any failure.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';

import puppeteer from 'puppeteer-core';

const [bin, fixture] = process.argv.slice(2);
if (!bin || !fixture) {
  console.error('usage: node tests/browser/serve.mjs FASCIA_BINARY FIXTURE_DIR');
  process.exit(2);
}
const site = fs.mkdtempSync(path.join(os.tmpdir(), 'fascia-serve-'));
fs.cpSync(fixture, site, { recursive: true });
const page_md = path.join(site, 'content/conditions/neck-pain.md');
const css = path.join(site, 'static/style.css');
const edit = (file, from, to) => {
  const text = fs.readFileSync(file, 'utf8');
  if (!text.includes(from)) throw new Error(`${file} lacks ${from}`);
  fs.writeFileSync(file, text.replace(from, to));
};

// As README tells a user: from the site folder, with no --root.
const server = spawn(bin, ['serve', '--port', '0'], {
  cwd: site,
  env: { ...process.env, NO_COLOR: '1' },
  stdio: ['ignore', 'pipe', 'inherit'],
});
const origin = await new Promise((resolve, reject) => {
  const lines = readline.createInterface({ input: server.stdout });
  lines.on('line', line => {
    const m = line.match(/at (http:\/\/127\.0\.0\.1:\d+)\//);
    if (m) resolve(m[1]);
  });
  server.on('exit', code => reject(new Error(`serve exited with ${code}`)));
  setTimeout(() => reject(new Error('serve did not start')), 30000);
});

const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  userDataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'fascia-chromium-')),
});

let passed = 0;
let failed = 0;
async function check(name, fn) {
  try {
    await fn();
    passed++;
    console.log(`ok      ${name}`);
  } catch (e) {
    failed++;
    console.log(`FAILED  ${name}: ${e.message}`);
  }
}

const WAIT = { timeout: 20000, polling: 50 };
try {
  const page = await browser.newPage();
  await page.goto(`${origin}/conditions/neck-pain/`, { waitUntil: 'load' });
  // The event stream must be open before the first edit.
  await page.waitForFunction(() => document.documentElement.dataset.fasciaLive === 'connected', WAIT);

  await check('a Markdown edit shows up without a manual reload', async () => {
    edit(page_md, 'Stiffness.', 'Stiffness, edited while the page was open.');
    await page.waitForFunction(() => document.body.innerText.includes('edited while the page was open'), WAIT);
  });

  await check('broken front matter shows the error overlay', async () => {
    edit(page_md, 'title = "Neck pain"', 'title = "Neck pain');
    await page.waitForFunction(() => {
      const o = document.getElementById('fascia-error-overlay');
      return o && o.innerText.includes('neck-pain.md:2');
    }, WAIT);
  });

  await check('fixing it removes the overlay and shows the page', async () => {
    edit(page_md, 'title = "Neck pain', 'title = "Neck pain"');
    await page.waitForFunction(() => !document.getElementById('fascia-error-overlay') && document.body.innerText.includes('Neck pain'), WAIT);
  });

  await check('a CSS edit restyles the page without a reload', async () => {
    await page.evaluate(() => { window.__fasciaNoReload = true; });
    fs.appendFileSync(css, '\nbody { background-color: rgb(1, 2, 3); }\n');
    await page.waitForFunction(() => getComputedStyle(document.body).backgroundColor === 'rgb(1, 2, 3)', WAIT);
    const kept = await page.evaluate(() => window.__fasciaNoReload === true);
    if (!kept) throw new Error('the page was reloaded');
  });
} finally {
  await browser.close();
  server.kill();
  fs.rmSync(site, { recursive: true, force: true });
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
