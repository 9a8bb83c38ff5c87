// What the search scripts (search.mjs, search_probe.mjs) share: a static
// server with the files of a built site under one base path on 127.0.0.1, as
// a static host serves them (anything outside the base path is a 404, so a
// link that forgets a sub-path `base_url` fails; nothing is cached), the
// build that fills it, and headless Chromium.

import http from 'node:http';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';

import puppeteer from 'puppeteer-core';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
};

/** Serves `root` under `basePath` (ending in `/`); resolves with the listening server. */
export function serve(root, basePath) {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    if (!url.pathname.startsWith(basePath)) {
      res.writeHead(404).end();
      return;
    }
    const rel = decodeURIComponent(url.pathname.slice(basePath.length));
    let file = path.resolve(root, rel);
    if (!file.startsWith(root)) {
      res.writeHead(403).end();
      return;
    }
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
    if (!fs.existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    const body = fs.readFileSync(file);
    const type = TYPES[path.extname(file)] || 'application/octet-stream';
    res.writeHead(200, { 'Content-Type': type, 'Content-Length': body.length, 'Cache-Control': 'no-store' });
    res.end(body);
  });
  return new Promise(resolve => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/**
 * Builds `siteRoot` with the fascia binary `bin` into a new temporary folder
 * (named after `prefix`) and serves it under `basePath`, the build's
 * `--base-url` being that address; resolves with `{ server, origin, out }`.
 */
export async function buildAndServe(bin, siteRoot, basePath, prefix) {
  const out = await fsp.mkdtemp(path.join(os.tmpdir(), prefix));
  const publicDir = path.join(out, 'public');
  const server = await serve(publicDir, basePath);
  const origin = `http://127.0.0.1:${server.address().port}`;
  execFileSync(bin, ['build', '--root', siteRoot, '--output', publicDir, '--base-url', origin + basePath], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return { server, origin, out };
}

/** Headless Chromium (`CHROMIUM` or /usr/bin/chromium) with a profile folder of its own; resolves with `{ browser, profile }`. */
export async function launchChromium() {
  const profile = await fsp.mkdtemp(path.join(os.tmpdir(), 'fascia-chromium-'));
  const browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    ignoreDefaultArgs: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', `--user-data-dir=${profile}`, 'about:blank'],
    headless: true,
  });
  return { browser, profile };
}
