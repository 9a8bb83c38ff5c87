#!/usr/bin/env node
// Browser checks for a site built by fascia.
//
//   node tests/browser/run.mjs PUBLIC_DIR [--screenshots DIR]
//
// Serves PUBLIC_DIR on 127.0.0.1, opens one page of every type in headless
// Chromium (puppeteer-core), runs axe-core (WCAG 2.0/2.1/2.2 A and AA) at 320
// and 1280 px in the light and dark colour schemes, checks for horizontal
// scrolling at 320 px, for JavaScript, for third-party requests and for the
// size of the CSS, takes screenshots at 320, 768 and 1280 px, and validates
// every .html file with html-validate. Ends with "N passed, M failed".

import http from 'node:http';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

import puppeteer from 'puppeteer-core';
import { HtmlValidate } from 'html-validate';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const AXE_WIDTHS = [320, 1280];
const SHOT_WIDTHS = [320, 768, 1280];
const SCHEMES = ['light', 'dark'];
// The stylesheet budget: 24 KB since the theme styles urgency callouts,
// reference lists, search and shortcodes (20 KB before).
const CSS_LIMIT = 24 * 1024;
const HEIGHT = 900;
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.pdf': 'application/pdf',
  '.webmanifest': 'application/manifest+json',
};

// ---------------------------------------------------------------- arguments

function usage(message) {
  if (message) console.error(`error: ${message}`);
  console.error('usage: node tests/browser/run.mjs PUBLIC_DIR [--screenshots DIR]');
  process.exit(2);
}

function parseArgs(argv) {
  let publicDir = null;
  let shots = 'target/screenshots';
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--screenshots') {
      if (i + 1 >= argv.length) usage('--screenshots needs a folder');
      shots = argv[++i];
    } else if (a.startsWith('--screenshots=')) {
      shots = a.slice('--screenshots='.length);
    } else if (a === '-h' || a === '--help') {
      usage();
    } else if (a.startsWith('-')) {
      usage(`unknown option ${a}`);
    } else if (publicDir === null) {
      publicDir = a;
    } else {
      usage(`unexpected argument ${a}`);
    }
  }
  if (!publicDir) usage('PUBLIC_DIR is required');
  return { publicDir: path.resolve(publicDir), shots: path.resolve(shots) };
}

// ---------------------------------------------------------------- results

let passed = 0;
let failed = 0;

function pass(what) {
  passed++;
  console.log(`ok    ${what}`);
}

function fail(what, details = []) {
  failed++;
  console.log(`FAIL  ${what}`);
  for (const d of details) console.log(`      ${d}`);
}

// ---------------------------------------------------------------- files

function isFile(p) {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

function isDir(p) {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** Every file below `dir` whose name ends with `ext`, sorted. */
function walk(dir, ext, out = []) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(p, ext, out);
    else if (entry.isFile() && entry.name.endsWith(ext)) out.push(p);
  }
  return out;
}

/** Maps a URL path (already stripped of the site's base path) to a file in root, or null. */
function resolveFile(root, urlPath) {
  let decoded;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const p = path.resolve(root, '.' + path.posix.normalize('/' + decoded));
  if (p !== root && !p.startsWith(root + path.sep)) return null;
  if (isDir(p)) {
    const index = path.join(p, 'index.html');
    return isFile(index) ? index : null;
  }
  return isFile(p) ? p : null;
}

function contentType(file) {
  return TYPES[path.extname(file).toLowerCase()] || 'application/octet-stream';
}

/** The site's base URL, read from the canonical link of the home page (the engine writes absolute URLs). */
function siteBase(root) {
  const index = path.join(root, 'index.html');
  if (!isFile(index)) return null;
  const html = fs.readFileSync(index, 'utf8');
  const m = html.match(/<link\b[^>]*\brel=["']?canonical["']?[^>]*>/i);
  if (!m) return null;
  const href = m[0].match(/\bhref=["']?([^"'\s>]+)/i);
  if (!href) return null;
  try {
    const u = new URL(href[1]);
    return new URL(u.pathname.endsWith('/') ? u.pathname : u.pathname.replace(/[^/]*$/, ''), u.origin);
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------- server

function startServer(root, basePath) {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    let p = url.pathname;
    if (basePath !== '/' && (p + '/').startsWith(basePath)) p = '/' + p.slice(basePath.length);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' });
      res.end();
      return;
    }
    // A directory without its trailing slash: redirect like a static host would.
    let file = resolveFile(root, p);
    if (file && !p.endsWith('/') && path.basename(file) === 'index.html' && !p.endsWith('index.html')) {
      res.writeHead(301, { Location: url.pathname + '/' + url.search });
      res.end();
      return;
    }
    let status = 200;
    if (!file) {
      status = 404;
      file = isFile(path.join(root, '404.html')) ? path.join(root, '404.html') : null;
    }
    if (!file) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('not found\n');
      return;
    }
    const body = fs.readFileSync(file);
    res.writeHead(status, { 'Content-Type': contentType(file), 'Content-Length': body.length, 'Cache-Control': 'no-store' });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

// ---------------------------------------------------------------- pages to test

function firstSubdir(root, rel, skip = []) {
  const dir = path.join(root, rel);
  if (!isDir(dir)) return null;
  const names = fs
    .readdirSync(dir, { withFileTypes: true })
    .filter(e => e.isDirectory() && !skip.includes(e.name))
    .map(e => e.name)
    .sort();
  for (const name of names) {
    if (isFile(path.join(dir, name, 'index.html'))) return `${rel}/${name}`;
  }
  return null;
}

function pickPages(root) {
  const has = rel => isFile(path.join(root, rel));
  const pages = [];
  const skipped = [];
  const add = (name, urlPath, why) => {
    if (urlPath) pages.push({ name, path: urlPath });
    else skipped.push(`${name}: ${why}`);
  };
  add('home', has('index.html') ? '/' : null, 'no index.html at the root');

  // Prefer the conditions section; otherwise the first top-level section with pages in it.
  const reserved = new Set(['tags', 'faq', 'page', 'body-areas', 'tools', 'categories']);
  let section = has('conditions/index.html') ? 'conditions' : null;
  if (!section) {
    const tops = fs.readdirSync(root, { withFileTypes: true }).filter(e => e.isDirectory() && !reserved.has(e.name)).map(e => e.name).sort();
    section = tops.find(t => has(`${t}/index.html`) && firstSubdir(root, t, ['page'])) || null;
  }
  add('section', section ? `/${section}/` : null, 'no section folder with pages (looked for conditions/)');

  let pager = section && has(`${section}/page/2/index.html`) ? `/${section}/page/2/` : null;
  if (!pager) {
    const any = walk(root, 'index.html').map(f => path.relative(root, f).split(path.sep).join('/')).find(f => /(^|\/)page\/2\/index\.html$/.test(f));
    if (any) pager = '/' + any.replace(/index\.html$/, '');
  }
  add('pager-2', pager, 'no paginated section (no */page/2/)');

  const article = section ? firstSubdir(root, section, ['page']) : null;
  add('article', article ? `/${article}/` : null, `no article under ${section || 'a section'}/*/index.html`);

  add('taxonomy-list', has('tags/index.html') ? '/tags/' : null, 'no tags/index.html');
  const term = firstSubdir(root, 'tags', ['page']);
  add('taxonomy-term', term ? `/${term}/` : null, 'no term under tags/*/index.html');
  add('faq', has('faq/index.html') ? '/faq/' : null, 'no faq/index.html');
  add('404', has('404.html') ? '/404.html' : null, 'no 404.html');
  return { pages, skipped };
}

// ---------------------------------------------------------------- browser

function findChromium() {
  const candidates = [process.env.CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean);
  for (const c of candidates) if (isFile(c)) return c;
  return null;
}

async function main() {
  const { publicDir, shots } = parseArgs(process.argv.slice(2));
  if (!isDir(publicDir)) usage(`${publicDir} is not a folder`);
  const base = siteBase(publicDir);
  const basePath = base ? base.pathname : '/';
  console.log(`site:        ${publicDir}${base ? ` (base URL ${base.href})` : ''}`);

  const { pages, skipped } = pickPages(publicDir);
  for (const s of skipped) console.log(`skip  ${s}`);

  // html-validate over every .html file
  await validateHtml(publicDir);

  const chromium = findChromium();
  if (!chromium) {
    fail('chromium', ['no Chromium found: install Debian\'s chromium (apt-get install chromium) or set $CHROMIUM']);
    return finish();
  }

  const server = await startServer(publicDir, basePath);
  const origin = `http://127.0.0.1:${server.address().port}`;
  console.log(`serving on:  ${origin}`);
  const profile = await fsp.mkdtemp(path.join(os.tmpdir(), 'fascia-chromium-'));
  await fsp.mkdir(shots, { recursive: true });

  let browser;
  try {
    browser = await puppeteer.launch({
      executablePath: chromium,
      ignoreDefaultArgs: true,
      args: [...CHROMIUM_FLAGS, `--user-data-dir=${profile}`, 'about:blank'],
      headless: true,
      protocolTimeout: 120_000,
    });
    const cssFiles = new Map();
    for (const p of pages) await checkPage(browser, p, { origin, base, basePath, publicDir, shots, cssFiles });
    let total = 0;
    for (const size of cssFiles.values()) total += size;
    const list = [...cssFiles.entries()].map(([f, s]) => `${path.relative(publicDir, f)} ${s} B`);
    if (cssFiles.size === 0) fail('css size: no stylesheet linked from any page');
    else if (total <= CSS_LIMIT) pass(`css size: ${total} B linked (limit ${CSS_LIMIT} B): ${list.join(', ')}`);
    else fail(`css size: ${total} B linked, over the limit of ${CSS_LIMIT} B`, list);
  } catch (e) {
    fail('browser run', [String(e && e.stack ? e.stack : e)]);
  } finally {
    if (browser) await browser.close().catch(() => {});
    server.close();
    await fsp.rm(profile, { recursive: true, force: true }).catch(() => {});
  }
  console.log(`screenshots: ${shots}`);
  finish();
}

function finish() {
  console.log('');
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed > 0 ? 1 : 0;
}

async function checkPage(browser, spec, ctx) {
  const { origin, base, basePath, publicDir, shots, cssFiles } = ctx;
  const page = await browser.newPage();
  page.setDefaultNavigationTimeout(30_000);
  const thirdParty = new Set();
  const consoleErrors = [];
  const cors = { 'Access-Control-Allow-Origin': '*' };
  const missing = new Set();
  page.on('console', m => {
    // Failed loads are reported with their URL below, from the responses themselves.
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) consoleErrors.push(m.text());
  });
  page.on('response', r => {
    const u = new URL(r.url());
    if (r.status() >= 400 && u.pathname !== '/favicon.ico' && r.request().resourceType() !== 'document') {
      missing.add(`${r.status()} ${r.url()}`);
    }
  });
  page.on('pageerror', e => consoleErrors.push(String(e)));
  await page.setRequestInterception(true);
  page.on('request', req => {
    const url = new URL(req.url());
    if (url.origin === origin || url.protocol === 'data:' || url.protocol === 'about:') {
      req.continue();
      return;
    }
    // The engine writes absolute URLs with the site's base_url: answer them from PUBLIC_DIR.
    if (base && url.origin === base.origin && (url.pathname + '/').startsWith(basePath)) {
      const rel = '/' + url.pathname.slice(basePath.length);
      const file = resolveFile(publicDir, rel);
      if (file) {
        req.respond({ status: 200, headers: cors, contentType: contentType(file), body: fs.readFileSync(file) });
      } else {
        req.respond({ status: 404, headers: cors, contentType: 'text/plain', body: 'not found' });
      }
      return;
    }
    thirdParty.add(url.href);
    req.abort('blockedbyclient');
  });

  const url = origin + (basePath === '/' ? '' : basePath.replace(/\/$/, '')) + spec.path;
  const label = `${spec.name} ${spec.path}`;
  let firstLoad = true;
  try {
    for (const width of SHOT_WIDTHS) {
      for (const scheme of SCHEMES) {
        await page.setViewport({ width, height: HEIGHT, deviceScaleFactor: 1 });
        await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: scheme }]);
        const res = await page.goto(url, { waitUntil: 'load' });
        const status = res ? res.status() : 0;
        const expected = spec.name === '404' ? [200, 404] : [200];
        if (!expected.includes(status)) {
          fail(`${label}: HTTP ${status}`);
          return;
        }

        if (firstLoad) {
          firstLoad = false;
          const scripts = await page.$$eval('script', els =>
            els.filter(s => (s.getAttribute('type') || '').trim().toLowerCase() !== 'application/ld+json').map(s => s.outerHTML.slice(0, 120)),
          );
          if (scripts.length) fail(`${label}: JavaScript found (only application/ld+json is allowed)`, scripts);
          else pass(`${label}: no JavaScript`);

          const sheets = await page.$$eval('link[rel~="stylesheet"]', els => els.map(l => l.href));
          for (const href of sheets) {
            const u = new URL(href);
            let file = null;
            if (u.origin === origin) file = resolveFile(publicDir, '/' + u.pathname.slice(basePath.length));
            else if (base && u.origin === base.origin) file = resolveFile(publicDir, '/' + u.pathname.slice(basePath.length));
            if (file) cssFiles.set(file, fs.statSync(file).size);
            else fail(`${label}: stylesheet ${href} is not in the site`);
          }
          const applied = await page.evaluate(() => document.styleSheets.length);
          if (sheets.length && applied === 0) fail(`${label}: stylesheet did not load`);
        }

        if (width === 320) {
          const { scrollWidth, innerWidth, wide } = await page.evaluate(() => {
            const innerWidth = window.innerWidth;
            const wide = [];
            for (const el of document.querySelectorAll('body *')) {
              const r = el.getBoundingClientRect();
              if (r.right > innerWidth + 0.5 && getComputedStyle(el).position !== 'fixed') {
                wide.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : ''} (right edge ${Math.round(r.right)}px)`);
              }
            }
            return { scrollWidth: document.documentElement.scrollWidth, innerWidth, wide: wide.slice(0, 8) };
          });
          const what = `${label} [320px ${scheme}]: no horizontal scrolling`;
          if (scrollWidth <= innerWidth) pass(`${what} (scrollWidth ${scrollWidth})`);
          else fail(`${what}: scrollWidth ${scrollWidth} > ${innerWidth}`, wide);
        }

        if (AXE_WIDTHS.includes(width)) await runAxe(page, `${label} [${width}px ${scheme}]`);

        const file = path.join(shots, `${spec.name}-${width}-${scheme}.png`);
        await page.screenshot({ path: file, fullPage: true });
      }
    }
    if (thirdParty.size) fail(`${label}: requests to third-party URLs`, [...thirdParty]);
    else pass(`${label}: no third-party requests`);
    if (missing.size) fail(`${label}: resources that failed to load`, [...missing]);
    if (consoleErrors.length) fail(`${label}: console errors`, [...new Set(consoleErrors)].slice(0, 10));
  } catch (e) {
    fail(`${label}: ${e && e.message ? e.message : e}`);
  } finally {
    await page.close().catch(() => {});
  }
}

async function runAxe(page, label) {
  await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  const result = await page.evaluate(async tags => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations', 'incomplete'] });
    const slim = list =>
      list.map(v => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.map(n => ({ target: n.target.join(' '), summary: (n.failureSummary || '').split('\n').slice(1, 3).join(' ').trim() })),
      }));
    return { violations: slim(r.violations), incomplete: slim(r.incomplete), passes: r.passes.length };
  }, AXE_TAGS);
  if (result.violations.length === 0) {
    pass(`${label}: axe (${AXE_TAGS.join(', ')}), 0 violations`);
  } else {
    const lines = [];
    for (const v of result.violations) {
      for (const n of v.nodes) lines.push(`${label} ${v.id} (${v.impact}) ${n.target}: ${v.help}${n.summary ? ' — ' + n.summary : ''}`);
    }
    fail(`${label}: axe found ${result.violations.length} violated rule(s)`, lines);
  }
  const contrastUnsure = result.incomplete.filter(v => v.id === 'color-contrast').flatMap(v => v.nodes);
  if (contrastUnsure.length && process.env.AXE_VERBOSE) {
    for (const n of contrastUnsure) console.log(`note  ${label} color-contrast needs review: ${n.target}`);
  }
}

// ---------------------------------------------------------------- html-validate

async function validateHtml(publicDir) {
  const configPath = path.join(here, '.htmlvalidate.json');
  const config = JSON.parse(await fsp.readFile(configPath, 'utf8'));
  const validator = new HtmlValidate({ ...config, root: true });
  const files = walk(publicDir, '.html');
  if (files.length === 0) {
    fail('html-validate: no .html files found');
    return;
  }
  for (const file of files) {
    const rel = path.relative(publicDir, file);
    const report = await validator.validateFile(file);
    const messages = report.results.flatMap(r => r.messages);
    if (report.valid && messages.length === 0) {
      pass(`html-validate ${rel}`);
    } else if (report.valid) {
      pass(`html-validate ${rel} (${messages.length} warning(s))`);
      for (const m of messages) console.log(`      warn ${rel}:${m.line}:${m.column} ${m.ruleId}: ${m.message}`);
    } else {
      fail(
        `html-validate ${rel}`,
        messages.map(m => `${rel}:${m.line}:${m.column} ${m.ruleId}${m.selector ? ` (${m.selector})` : ''}: ${m.message}`),
      );
    }
  }
}

main().catch(e => {
  fail('run.mjs', [String(e && e.stack ? e.stack : e)]);
  finish();
});
