// Shared helpers for the viewer's browser tests: a tiny static server (path prefix, CSP,
// request log, `tapedeck serve` emulation), Chromium via playwright-core, and file drops.
import { spawnSync } from 'node:child_process';
import { readFileSync, existsSync, readdirSync, statSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DIST = path.join(ROOT, 'web', 'dist');
export const FIXTURES = path.join(ROOT, 'web', 'e2e', 'fixtures');
// The shared corpus, as the CLI tests find it: TAPEDECK_CORPUS or ../shared/corpus.
export const CORPUS = path.join(process.env.TAPEDECK_CORPUS ?? path.join(ROOT, '..', 'shared', 'corpus'),
  'timetracer-1.6.0', 'cassettes');
if (!existsSync(CORPUS)) throw new Error(`corpus not found at ${CORPUS} (set TAPEDECK_CORPUS)`);

/** The CSP the hosting guide recommends (docs/hosting.md). */
export const CSP = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; "
  + "style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; "
  + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css',
  '.wasm': 'application/wasm', '.json': 'application/json', '.gz': 'application/gzip',
};

if (!existsSync(path.join(DIST, 'index.html'))) {
  throw new Error('web/dist is missing: run `trunk build --release` in web/ first');
}

/** Every cassette file under a folder, as paths relative to it (sorted). */
export function listFiles(dir, base = dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...listFiles(full, base));
    else if (/\.json(\.gz)?$/i.test(name)) out.push(path.relative(base, full));
  }
  return out;
}

/**
 * Serves web/dist under `prefix` with the CSP header. With `serveDir`, behaves like
 * `tapedeck serve`: marks index.html and answers api/files and api/file/<path>.
 */
export async function startServer({ prefix = '/', serveDir = null } = {}) {
  const log = [];
  const server = http.createServer((req, res) => {
    log.push(req.url);
    const url = new URL(req.url, 'http://localhost');
    let rel = decodeURIComponent(url.pathname);
    if (!rel.startsWith(prefix)) { res.writeHead(404).end(); return; }
    rel = rel.slice(prefix.length);
    const headers = { 'Content-Security-Policy': CSP, 'X-Content-Type-Options': 'nosniff' };
    if (serveDir && rel === 'api/files') {
      res.writeHead(200, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(listFiles(serveDir).join('\n'));
      return;
    }
    let base = DIST;
    if (serveDir && rel.startsWith('api/file/')) { base = serveDir; rel = rel.slice('api/file/'.length); }
    if (rel === '' || rel.endsWith('/')) rel += 'index.html';
    const file = path.resolve(base, rel);
    if (!file.startsWith(base + path.sep) || !existsSync(file) || statSync(file).isDirectory()) {
      res.writeHead(404, headers).end('not found');
      return;
    }
    let body = readFileSync(file);
    if (serveDir && base === DIST && rel === 'index.html') {
      body = Buffer.from(body.toString('utf8').replace('<head>', '<head><meta name="tapedeck-serve" content="1">'));
    }
    res.writeHead(200, { ...headers, 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
    res.end(body);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    origin: `http://127.0.0.1:${port}`,
    url: `http://127.0.0.1:${port}${prefix}`,
    log,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); }),
  };
}

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** A page that records every request and every page error / console error. */
export async function openPage(browser, url, { permissions = [] } = {}) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  if (permissions.length) await context.grantPermissions(permissions, { origin: new URL(url).origin });
  const page = await context.newPage();
  const requests = [];
  const problems = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('dialog', (d) => { problems.push(`dialog: ${d.message()}`); d.dismiss(); });
  await page.goto(url);
  await page.waitForSelector('.app');
  return { page, context, requests, problems };
}

/** Drops files on the page as a person would (a DataTransfer on the drop zone). */
export async function dropFiles(page, files) {
  const payload = files.map(({ name, bytes }) => ({ name, b64: Buffer.from(bytes).toString('base64') }));
  const dt = await page.evaluateHandle((items) => {
    const d = new DataTransfer();
    for (const { name, b64 } of items) {
      const bin = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      d.items.add(new File([bin], name, { type: name.endsWith('.json') ? 'application/json' : 'application/octet-stream' }));
    }
    return d;
  }, payload);
  for (const type of ['dragenter', 'dragover', 'drop']) {
    await page.dispatchEvent('#dropzone', type, { dataTransfer: dt });
  }
}

/** Corpus files as {name, bytes}, relative names. */
export function corpusFiles(filter = () => true) {
  return listFiles(CORPUS).filter(filter).map((name) => ({ name, bytes: readFileSync(path.join(CORPUS, name)) }));
}

/** The path of the CLI built in target/ (TAPEDECK_BIN overrides), building it if missing. */
export function tapedeckBin() {
  const bin = process.env.TAPEDECK_BIN ?? path.join(process.env.CARGO_TARGET_DIR ?? path.join(ROOT, 'target'), 'debug', 'tapedeck');
  if (!existsSync(bin)) {
    const built = spawnSync('cargo', ['build', '-q', '-p', 'tapedeck_cli'], { cwd: ROOT, stdio: 'inherit' });
    if (built.status !== 0) throw new Error('could not build the tapedeck CLI');
  }
  return bin;
}

/** `tapedeck stats --json` over a folder. */
export function cliStats(dir) {
  const run = spawnSync(tapedeckBin(), ['stats', '--json', dir], { encoding: 'utf8' });
  if (!run.stdout) throw new Error(`tapedeck stats failed: ${run.stderr}`);
  return JSON.parse(run.stdout);
}

/** The text of an element. */
export const text = (page, selector) => page.locator(selector).first().innerText();

/** Waits until no load is in progress and the shown count reads `Showing n of n`. */
export async function waitLoaded(page, total) {
  await page.waitForFunction((n) => {
    const s = document.querySelector('#showing');
    return s && !document.querySelector('#progress') && s.textContent.endsWith(` of ${n.toLocaleString('en-US')}`);
  }, total, { timeout: 30000 });
}
