#!/usr/bin/env node
// Search in Chromium on a large site, for the benchmark (timings never go
// into a test):
//
//   node tests/browser/search_probe.mjs FASCIA_BIN SITE_ROOT WORD...
//
// Builds SITE_ROOT for a static server on 127.0.0.1 and, for each WORD:
//   * first search: a fresh browser context opens /search/, the WORD is typed
//     and the bytes of every script and index file fetched until the results
//     are announced are summed, as Chromium's network log reports them
//     (the page's own HTML and CSS are not part of search);
//   * latency: on that warm page (script and meta loaded, cache off), the
//     next WORD of the list is typed after clearing the field, and the time
//     from its last key to the announced result count is taken with the
//     page's own clock; it includes fetching that word's index files.
// Prints one JSON object: {"words": {WORD: {"first_bytes", "requests",
// "latency_ms", "results"}}}, the latency and results being those of WORD
// typed on a page warmed by the word before it.

import fsp from 'node:fs/promises';

import { buildAndServe, launchChromium } from './static_server.mjs';

const [bin, siteRoot, ...words] = process.argv.slice(2);
// Between two keys, as a quick typist types.
const KEY_DELAY_MS = 120;
if (!bin || !siteRoot || words.length === 0) {
  console.error('usage: node tests/browser/search_probe.mjs FASCIA_BIN SITE_ROOT WORD...');
  process.exit(2);
}

/**
 * Clears the field, types `word`, and resolves with the ms from the last key
 * down to the result count announced for it, both taken in the page.
 */
async function typeAndTime(page, word) {
  await page.evaluate(q => {
    const status = document.getElementById('search-status');
    const field = document.getElementById('search-q');
    status.textContent = '';
    field.value = '';
    window.__probe = { lastKey: 0, shown: 0 };
    if (!window.__probeWatching) {
      window.__probeWatching = true;
      field.addEventListener('keydown', () => (window.__probe.lastKey = performance.now()), { capture: true });
      new MutationObserver(() => {
        if (!window.__probe.shown && status.textContent.includes(`“${window.__probe.word}”`)) {
          window.__probe.shown = performance.now();
        }
      }).observe(status, { childList: true, characterData: true, subtree: true });
    }
    window.__probe.word = q;
  }, word);
  await page.focus('#search-q');
  await page.type('#search-q', word, { delay: KEY_DELAY_MS });
  await page.waitForFunction(() => window.__probe.shown > 0, { timeout: 30_000 });
  const { lastKey, shown } = await page.evaluate(() => window.__probe);
  const text = await page.$eval('#search-status', s => s.textContent);
  const results = Number((text.match(/^(\d+) result/) || [0, 0])[1]);
  return { ms: shown - lastKey, results };
}

async function main() {
  const { server, origin, out } = await buildAndServe(bin, siteRoot, '/', 'fascia-probe-');
  const { browser, profile } = await launchChromium();
  const report = { words: {} };
  try {
    const latency = {};
    for (const [i, word] of words.entries()) {
      const context = await browser.createBrowserContext();
      const page = await context.newPage();
      await page.setCacheEnabled(false);
      const cdp = await page.createCDPSession();
      await cdp.send('Network.enable');
      const urls = new Map();
      let bytes = 0;
      let requests = 0;
      cdp.on('Network.responseReceived', e => urls.set(e.requestId, e.response.url));
      cdp.on('Network.loadingFinished', e => {
        const url = urls.get(e.requestId) || '';
        if (url.endsWith('.js') || url.includes('/search-index/')) {
          bytes += e.encodedDataLength;
          requests += 1;
        }
      });
      await page.goto(`${origin}/search/`, { waitUntil: 'load' });
      await typeAndTime(page, word);
      const first = { bytes, requests };
      const next = words[(i + 1) % words.length];
      latency[next] = await typeAndTime(page, next);
      report.words[word] = { first_bytes: first.bytes, requests: first.requests };
      await context.close();
    }
    for (const word of words) {
      report.words[word].latency_ms = Math.round(latency[word].ms * 10) / 10;
      report.words[word].results = latency[word].results;
    }
  } finally {
    await browser.close();
    server.close();
    await fsp.rm(out, { recursive: true, force: true });
    await fsp.rm(profile, { recursive: true, force: true });
  }
  console.log(JSON.stringify(report));
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
