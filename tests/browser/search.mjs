#!/usr/bin/env node
// Site search in Chromium, on a real build of a site under a sub-path.
//
//   node tests/browser/search.mjs FASCIA_BIN SITE_ROOT
//
// Starts a static server on 127.0.0.1, builds SITE_ROOT with
// `--base-url http://127.0.0.1:PORT/guides/` into a temporary folder, serves
// it under /guides/ and checks, with facts that hold for the bundled site:
// "trapezius" lists the neck page first, "heel" finds the heel page, a
// synonym from site.toml finds its page, a body-area filter narrows the
// results, the results are announced and reachable by keyboard, only the
// search page loads a script, nothing is requested from another host, and
// axe-core finds no violation on the search page with results at 320 and
// 1280 px, light and dark. Ends with "N passed, M failed".

import fs from 'node:fs';
import fsp from 'node:fs/promises';
import { createRequire } from 'node:module';

import { buildAndServe, launchChromium } from './static_server.mjs';

const require = createRequire(import.meta.url);
const BASE_PATH = '/guides/';
const NECK = '/guides/conditions/neck-and-shoulder-tension/';
const HEEL = '/guides/conditions/plantar-heel-pain/';
const LOWER_BACK = '/guides/conditions/lower-back-pain/';
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

let passed = 0;
let failed = 0;
const pass = what => {
  passed++;
  console.log(`ok    ${what}`);
};
const fail = (what, details = []) => {
  failed++;
  console.log(`FAIL  ${what}`);
  for (const d of details) console.log(`      ${d}`);
};
const check = (ok, what, details) => (ok ? pass(what) : fail(what, details));

const [bin, siteRoot] = process.argv.slice(2);
if (!bin || !siteRoot) {
  console.error('usage: node tests/browser/search.mjs FASCIA_BIN SITE_ROOT');
  process.exit(2);
}

/** Types `query` into the search field and waits for the announced result count. */
async function search(page, query) {
  await page.evaluate(() => {
    document.getElementById('search-status').textContent = '';
  });
  await page.click('#search-q', { clickCount: 3 });
  await page.keyboard.press('Backspace');
  await page.type('#search-q', query);
  await page.waitForFunction(
    q => document.getElementById('search-status').textContent.includes(`“${q}”`),
    { timeout: 15_000 },
    query,
  );
  return page.$$eval('#search-results > li h3 a', as => as.map(a => new URL(a.href).pathname));
}

async function main() {
  const { server, origin, out } = await buildAndServe(bin, siteRoot, BASE_PATH, 'fascia-search-');
  const { browser, profile } = await launchChromium();
  const outside = new Set();
  const watch = page => {
    page.on('request', r => {
      const u = new URL(r.url());
      if (u.origin !== origin && u.protocol !== 'data:' && u.protocol !== 'about:') outside.add(r.url());
    });
    page.on('pageerror', e => fail(`page error: ${e}`));
  };
  try {
    // Pages other than the search page carry and load no script.
    const page = await browser.newPage();
    watch(page);
    for (const p of [BASE_PATH, `${BASE_PATH}conditions/`, NECK]) {
      const scripts = [];
      const onRequest = r => {
        if (r.resourceType() === 'script') scripts.push(r.url());
      };
      page.on('request', onRequest);
      await page.goto(origin + p, { waitUntil: 'networkidle0' });
      await page.focus('#site-search-q');
      await new Promise(r => setTimeout(r, 200));
      page.off('request', onRequest);
      const tags = await page.$$eval('script[src]', s => s.map(e => e.src));
      check(tags.length === 0 && scripts.length === 0, `${p}: no script`, [...tags, ...scripts]);
    }

    // The header field leads to the search page with the query.
    await page.goto(origin + NECK, { waitUntil: 'load' });
    await page.type('#site-search-q', 'heel');
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.keyboard.press('Enter')]);
    check(new URL(page.url()).pathname === `${BASE_PATH}search/`, 'the header field opens the search page', [page.url()]);
    await page.waitForFunction(() => document.getElementById('search-status').textContent.includes('“heel”'), { timeout: 15_000 });
    const value = await page.$eval('#search-q', i => i.value);
    check(value === 'heel', 'the query of the address bar is kept in the field', [value]);
    const fromHeader = await page.$$eval('#search-results > li h3 a', as => as.map(a => new URL(a.href).pathname));
    check(fromHeader.includes(HEEL), '"heel" finds the heel page', fromHeader);

    // Search as you type.
    const trapezius = await search(page, 'trapezius');
    check(trapezius[0] === NECK, '"trapezius" lists the neck page first', trapezius);
    const heel = await search(page, 'heel');
    check(heel.includes(HEEL), '"heel" finds the heel page (typed)', heel);
    const synonym = await search(page, 'lumbago');
    check(synonym.includes(LOWER_BACK), 'the synonym "lumbago" finds the lower back page', synonym);

    // Results show a section, an excerpt with the matched words marked, and a link to a heading.
    const neck = await search(page, 'trapezius');
    const first = await page.$eval('#search-results > li', li => ({
      section: li.querySelector('.search-section')?.textContent || '',
      marks: [...li.querySelectorAll('.search-excerpt mark')].map(m => m.textContent.toLowerCase()),
      heading: li.querySelector('.search-heading a')?.getAttribute('href') || '',
    }));
    check(first.section === 'Conditions', 'a result names its section', [first.section]);
    check(first.marks.some(m => m.startsWith('trapezius')), 'the excerpt marks the matched word', first.marks);
    check(
      !first.heading || (first.heading.includes('#') && new URL(first.heading, origin).pathname === NECK),
      'the heading link points into the page',
      [first.heading],
    );
    check(neck.length > 0, 'results are listed', neck);

    // A body-area filter narrows the results.
    const count = () => page.$eval('#search-status', s => Number((s.textContent.match(/^(\d+) result/) || [0, 0])[1]));
    await search(page, 'pain');
    const all = await count();
    const areas = await page.$$eval('#search-filter-body_areas option', os => os.map(o => o.value).filter(Boolean));
    check(areas.length > 0, 'a body-area filter is offered', areas);
    if (areas.length > 0) {
      const area = areas.find(a => a.toLowerCase() === 'neck') || areas[0];
      await page.evaluate(() => (document.getElementById('search-status').textContent = ''));
      await page.select('#search-filter-body_areas', area);
      await page.waitForFunction(() => document.getElementById('search-status').textContent !== '', { timeout: 15_000 });
      const narrowed = await count();
      const shown = await page.$$eval('#search-results > li h3 a', as => as.map(a => new URL(a.href).pathname));
      check(
        narrowed > 0 && narrowed < all,
        `the body-area filter "${area}" narrows ${all} results to ${narrowed}`,
        shown,
      );
      await page.select('#search-filter-body_areas', '');
    }

    // The count is announced in a live region, and results are reached by keyboard.
    await search(page, 'trapezius');
    const live = await page.$eval('#search-status', s => [s.getAttribute('role'), s.getAttribute('aria-live'), s.textContent]);
    check(live[0] === 'status' && live[1] === 'polite' && /\d+ results? for/.test(live[2]), 'the result count is announced', live);
    let reached = '';
    for (let i = 0; i < 12 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate(() => (document.activeElement.closest('#search-results') ? document.activeElement.getAttribute('href') : ''));
    }
    check(new URL(reached || 'x:', origin).pathname === NECK, 'Tab reaches the first result', [reached]);

    // axe on the search page with results, 320 and 1280 px, light and dark.
    const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
    for (const width of [320, 1280]) {
      for (const scheme of ['light', 'dark']) {
        await page.setViewport({ width, height: 900 });
        await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: scheme }]);
        await page.goto(`${origin}${BASE_PATH}search/?q=trapezius`, { waitUntil: 'load' });
        await page.waitForFunction(() => document.querySelectorAll('#search-results > li').length > 0, { timeout: 15_000 });
        await page.evaluate(axeSource);
        const result = await page.evaluate(tags => window.axe.run(document, { runOnly: { type: 'tag', values: tags } }), AXE_TAGS);
        const v = result.violations.flatMap(x => x.nodes.map(n => `${x.id}: ${n.target.join(' ')}`));
        check(v.length === 0, `axe on the search page with results at ${width} px, ${scheme}`, v);
        if (width === 320) {
          const wide = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
          check(!wide, `no horizontal scrolling at 320 px, ${scheme}`);
        }
      }
    }

    // Without JavaScript: the A–Z list of every article, grouped by section.
    const nojs = await browser.newPage();
    await nojs.setJavaScriptEnabled(false);
    await nojs.goto(`${origin}${BASE_PATH}search/?q=heel`, { waitUntil: 'load' });
    const groups = await nojs.$$eval('.search-group', gs => gs.map(g => [g.querySelector('h3').textContent, g.querySelectorAll('li').length]));
    const links = await nojs.$$eval('.search-group li a', as => as.map(a => new URL(a.href).pathname));
    check(groups.length > 1 && links.includes(NECK) && links.includes(HEEL), 'without JavaScript the search page lists every article by section', groups.map(g => g.join(': ')));
    await nojs.close();
    check(outside.size === 0, 'no request leaves the site', [...outside]);
  } catch (e) {
    fail('browser run', [String(e && e.stack ? e.stack : e)]);
  } finally {
    await browser.close().catch(() => {});
    server.close();
    await fsp.rm(profile, { recursive: true, force: true }).catch(() => {});
    await fsp.rm(out, { recursive: true, force: true }).catch(() => {});
  }
  console.log('');
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed > 0 ? 1 : 0;
}

main();
