#!/usr/bin/env node
// Benchmark of the built viewer (web/dist) in headless Chromium:
//   * time from handing in N cassettes (default 10,000, built from the corpus) to the first
//     rows on screen and to all rows indexed, two ways:
//       memory: the files dropped as in-memory File objects (the viewer's own cost);
//       disk:   the folder picked with the folder input (adds the browser's per-file disk
//               reads, about 0.5 ms per file in Chromium here, whatever the page does);
//   * time of one filter keystroke in the search box (input event to DOM updated).
//
// usage: node tools/bench-viewer.mjs [--files 10000] [--corpus DIR] [--runs 3] [--source memory|disk|both]
// Needs `trunk build --release` in web/ first. Prints a table and one JSON line.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CORPUS, launch, listFiles, openPage, startServer } from '../web/e2e/helpers.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const N = Number(arg('files', 10000));
const corpus = arg('corpus', CORPUS);
const RUNS = Number(arg('runs', 3));
const SOURCES = arg('source', 'both') === 'both' ? ['memory', 'disk'] : [arg('source')];

// Build the input set: corpus files repeated under numbered folders until N files.
const sources = listFiles(corpus).map((name) => ({ name, bytes: readFileSync(path.join(corpus, name)) }));
const dir = mkdtempSync(path.join(os.tmpdir(), 'tapedeck-bench-'));
let totalBytes = 0;
for (let i = 0; i < N; i += 1) {
  const src = sources[i % sources.length];
  const folder = path.join(dir, `copy${String(Math.floor(i / sources.length)).padStart(4, '0')}`);
  if (i % sources.length === 0) mkdirSync(folder, { recursive: true });
  const file = path.join(folder, `${String(i).padStart(5, '0')}__${path.basename(src.name)}`);
  writeFileSync(file, src.bytes);
  totalBytes += src.bytes.length;
}

const browser = await launch();
const server = await startServer();
const results = [];
try {
  for (const source of SOURCES) for (let run = 0; run < RUNS; run += 1) {
    const { page, context, problems } = await openPage(browser, server.url);
    // Timestamps taken in the page: the `change` event of the folder input, then the first
    // table row and the end of loading, seen by a MutationObserver.
    await page.evaluate((n) => {
      window.__bench = {};
      const start = () => { window.__bench.start = performance.now(); };
      document.addEventListener('change', start, true);
      document.addEventListener('drop', start, true);
      const observer = new MutationObserver(() => {
        const b = window.__bench;
        if (b.start === undefined) return;
        if (b.first === undefined && document.querySelector('.trow')) b.first = performance.now();
        const showing = document.querySelector('#showing')?.textContent ?? '';
        if (b.all === undefined && !document.querySelector('#progress')
            && showing.endsWith(` of ${n.toLocaleString('en-US')}`)) {
          b.all = performance.now();
        }
      });
      observer.observe(document.body, { subtree: true, childList: true, characterData: true });
    }, N);
    if (source === 'disk') {
      await page.setInputFiles('#folder-input', dir);
    } else {
      // Build N in-memory File objects in the page, then drop them all at once.
      const payload = sources.map(({ name, bytes }) => ({ name: path.basename(name), b64: bytes.toString('base64') }));
      const dt = await page.evaluateHandle(({ items, n }) => {
        const blobs = items.map(({ name, b64 }) => ({ name, bytes: Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)) }));
        const d = new DataTransfer();
        for (let i = 0; i < n; i += 1) {
          const { name, bytes } = blobs[i % blobs.length];
          d.items.add(new File([bytes], `${String(i).padStart(5, '0')}__${name}`, { type: 'application/json' }));
        }
        return d;
      }, { items: payload, n: N });
      await page.dispatchEvent('#dropzone', 'dragover', { dataTransfer: dt });
      await page.dispatchEvent('#dropzone', 'drop', { dataTransfer: dt });
    }
    await page.waitForFunction(() => window.__bench.all !== undefined, null, { timeout: 120000 });
    const load = await page.evaluate(() => window.__bench);
    const timing = await page.evaluate(() => window.tapedeckLoadTiming ?? null);
    // Keystrokes: type "users" then delete it, one input event per character.
    const keys = await page.evaluate(async () => {
      const input = document.querySelector('#search');
      const times = [];
      const word = 'users';
      const values = [];
      for (let i = 1; i <= word.length; i += 1) values.push(word.slice(0, i));
      for (let i = word.length - 1; i >= 0; i -= 1) values.push(word.slice(0, i));
      for (const value of values) {
        await new Promise((r) => setTimeout(r, 30));
        const t0 = performance.now();
        input.value = value;
        input.dispatchEvent(new InputEvent('input', { bubbles: true, data: value.slice(-1) }));
        // yew renders in microtasks; a zero timeout runs after all of them.
        await new Promise((r) => setTimeout(r, 0));
        times.push(performance.now() - t0);
      }
      return times;
    });
    const memory = await page.evaluate(() => performance.memory?.usedJSHeapSize ?? null);
    const sorted = [...keys].sort((a, b) => a - b);
    results.push({
      source,
      first_rows_ms: load.first - load.start,
      all_indexed_ms: load.all - load.start,
      keystroke_median_ms: sorted[Math.floor(sorted.length / 2)],
      keystroke_max_ms: sorted[sorted.length - 1],
      js_heap_mb: memory === null ? null : memory / 1e6,
      timing,
      problems,
    });
    await context.close();
  }
} finally {
  await browser.close();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
}

console.log(`viewer benchmark: ${N} cassettes, ${(totalBytes / 1e6).toFixed(1)} MB, ${RUNS} runs per source (median / best)`);
for (const source of SOURCES) {
  const mine = results.filter((r) => r.source === source);
  const best = (key) => Math.min(...mine.map((r) => r[key]));
  const median = (key) => {
    const v = mine.map((r) => r[key]).sort((a, b) => a - b);
    return v[Math.floor(v.length / 2)];
  };
  console.log(`  ${source}:`);
  for (const key of ['first_rows_ms', 'all_indexed_ms', 'keystroke_median_ms', 'keystroke_max_ms']) {
    console.log(`    ${key.padEnd(22)} ${median(key).toFixed(1).padStart(8)} / ${best(key).toFixed(1)}`);
  }
}
console.log(JSON.stringify({ files: N, bytes: totalBytes, runs: results }));
if (results.some((r) => r.problems.length)) {
  console.error('page problems:', results.flatMap((r) => r.problems));
  process.exit(1);
}
