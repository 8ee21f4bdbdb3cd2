#!/usr/bin/env node
// Benchmark of redaction in the built viewer (web/dist) in headless Chromium:
//   * 10,000 cassettes (the corpus repeated): seconds from pressing Redact to every file done,
//     the engine's own throughput, and the page's longest frame gap meanwhile (the work runs
//     in the redaction worker, so the page should keep drawing);
//   * the wasm engine against the native one on the same input: the 10 MB PII cassette of
//     `cargo bench --bench redact`, written and measured natively by the `pii_cassette`
//     example, then redacted in the browser (best of --runs).
//
// usage: node tools/bench-redact-browser.mjs [--files 10000] [--runs 3]
// Needs `trunk build --release` in web/ first. Prints a table and one JSON line.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CORPUS, ROOT, dropFiles, launch, listFiles, openPage, startServer } from '../web/e2e/helpers.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const N = Number(arg('files', 10000));
const RUNS = Number(arg('runs', 3));

const dir = mkdtempSync(path.join(os.tmpdir(), 'tapedeck-bench-redact-'));
const sources = listFiles(CORPUS).map((name) => ({ name, bytes: readFileSync(path.join(CORPUS, name)) }));
const folder = path.join(dir, 'cassettes');
let totalBytes = 0;
for (let i = 0; i < N; i += 1) {
  const src = sources[i % sources.length];
  const sub = path.join(folder, `copy${String(Math.floor(i / sources.length)).padStart(4, '0')}`);
  if (i % sources.length === 0) mkdirSync(sub, { recursive: true });
  writeFileSync(path.join(sub, `${String(i).padStart(5, '0')}__${path.basename(src.name)}`), src.bytes);
  totalBytes += src.bytes.length;
}

// The 10 MB input, and the native engine's figure on it.
const pii = path.join(dir, 'pii-10mb.json');
const native = spawnSync('cargo', ['run', '-q', '--release', '-p', 'tapedeck_core', '--example', 'pii_cassette', '--', pii],
  { cwd: ROOT, encoding: 'utf8' });
if (native.status !== 0) throw new Error(`pii_cassette failed: ${native.stderr}`);
const nativeResult = JSON.parse(native.stdout.trim().split('\n').pop());

const waitDone = (page) => page.waitForFunction(() => {
  const p = document.querySelector('#redact-progress');
  const s = document.querySelector('#redact-status');
  return p && s && s.textContent.includes('done in') && Number(p.value) === Number(p.max);
}, null, { timeout: 600_000 });

const status = async (page) => {
  const s = await page.locator('#redact-status').innerText();
  return { seconds: Number(/done in ([\d.]+) s/.exec(s)[1]), engine: Number(/engine (\d+) MB\/s/.exec(s)?.[1] ?? NaN) };
};

const browser = await launch();
const server = await startServer();
const many = [];
const wasm = [];
try {
  for (let run = 0; run < RUNS; run += 1) {
    const { page, context, problems } = await openPage(browser, server.url);
    await page.setInputFiles('#folder-input', folder);
    await page.waitForFunction((n) => (document.querySelector('#showing')?.textContent ?? '')
      .endsWith(` of ${n.toLocaleString('en-US')}`) && !document.querySelector('#progress'), N, { timeout: 600_000 });
    await page.click('#mode-redact');
    // The longest gap between two animation frames while the worker runs.
    await page.evaluate(() => {
      window.__gap = 0;
      let last = performance.now();
      const tick = (t) => { window.__gap = Math.max(window.__gap, t - last); last = t; if (!window.__stop) requestAnimationFrame(tick); };
      requestAnimationFrame(tick);
    });
    await page.click('#redact-run');
    await waitDone(page);
    const gap = await page.evaluate(() => { window.__stop = true; return window.__gap; });
    many.push({ ...(await status(page)), max_frame_gap_ms: Math.round(gap) });
    if (problems.length) throw new Error(problems.join('\n'));
    await context.close();
  }
  const { page, context } = await openPage(browser, server.url);
  await dropFiles(page, [{ name: 'pii-10mb.json', bytes: readFileSync(pii) }]);
  await page.waitForSelector('.trow');
  await page.click('#mode-redact');
  for (let run = 0; run < RUNS; run += 1) {
    await page.click('#redact-run');
    await waitDone(page);
    wasm.push((await status(page)).engine);
  }
  await context.close();
} finally {
  await browser.close();
  await server.close();
}

const best = (xs, f) => xs.reduce((a, b) => (f(a, b) ? a : b));
const fastest = best(many, (a, b) => a.seconds <= b.seconds);
const wasmBest = Math.max(...wasm);
console.log(`redact ${N} cassettes (${(totalBytes / 1e6).toFixed(1)} MB) in the browser: `
  + `${many.map((m) => m.seconds.toFixed(2)).join(' / ')} s (engine ${fastest.engine} MB/s; `
  + `longest frame gap ${many.map((m) => m.max_frame_gap_ms).join(' / ')} ms)`);
console.log(`10 MB PII cassette: wasm ${wasm.join(' / ')} MB/s, native ${nativeResult.native_mb_per_s} MB/s `
  + `(wasm/native ${(wasmBest / nativeResult.native_mb_per_s).toFixed(2)})`);
console.log(JSON.stringify({ files: N, bytes: totalBytes, runs: many, wasm_mb_per_s: wasm, native_mb_per_s: nativeResult.native_mb_per_s }));
