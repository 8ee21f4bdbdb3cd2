// Loading: drop, pickers, folders, gzip, zip, broken files; stats match `tapedeck stats`.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { CORPUS, FIXTURES, cliStats, corpusFiles, dropFiles, launch, openPage, startServer, text, waitLoaded } from './helpers.mjs';

let browser;
let server;
before(async () => { browser = await launch(); server = await startServer(); });
after(async () => { await browser?.close(); await server?.close(); });

test('dropped cassettes appear as rows, and more drops add to them', async () => {
  const { page, problems } = await openPage(browser, server.url);
  const files = corpusFiles((n) => n.startsWith('fastapi_default/'));
  await dropFiles(page, files.slice(0, 5));
  await waitLoaded(page, 5);
  assert.equal(await page.locator('.trow').count(), 5);
  await dropFiles(page, files.slice(5));
  await waitLoaded(page, files.length);
  assert.equal(await text(page, '#stat-total'), String(files.length));
  assert.deepEqual(problems, []);
});

test('the whole corpus, picked as a folder, matches `tapedeck stats --json`', async () => {
  const expected = cliStats(CORPUS);
  const { page, problems } = await openPage(browser, server.url);
  await page.setInputFiles('#folder-input', CORPUS);
  await waitLoaded(page, expected.total);
  const fmt = (n) => n.toLocaleString('en-US');
  assert.equal(await text(page, '#stat-total'), fmt(expected.total));
  assert.equal(await text(page, '#stat-success'), fmt(expected.success));
  assert.equal(await text(page, '#stat-errors'), fmt(expected.errors));
  assert.equal(await text(page, '#stat-deps'), fmt(expected.dependency_calls));
  const ms = (v) => Number.parseFloat(v) * (v.endsWith(' s') ? 1000 : v.endsWith('µs') ? 0.001 : 1);
  assert.ok(Math.abs(ms(await text(page, '#stat-p50')) - expected.p50_ms) <= Math.max(0.01, expected.p50_ms * 0.01));
  assert.ok(Math.abs(ms(await text(page, '#stat-p95')) - expected.p95_ms) <= Math.max(0.01, expected.p95_ms * 0.01));
  // gzip cassettes were inflated in wasm
  assert.ok(await page.locator('.trow[data-file$=".json.gz"]').count() >= 1 || expected.total > 50);
  assert.deepEqual(problems, []);
});

test('a broken file lands in the error list while the others load; zip archives open', async () => {
  const { page } = await openPage(browser, server.url);
  const good = corpusFiles((n) => n.startsWith('starlette_httpx/'));
  const broken = { name: 'broken.json', bytes: Buffer.from('{"schema_version": "1.0", "session": ') };
  const zip = { name: 'bundle.zip', bytes: readFileSync(path.join(FIXTURES, 'bundle.zip')) };
  await dropFiles(page, [...good, broken, zip]);
  await page.waitForSelector('#load-errors');
  const errors = await page.locator('.load-error').allInnerTexts();
  assert.equal(errors.length, 1, errors.join('\n'));
  assert.match(errors[0], /broken\.json/);
  assert.match(errors[0], /line 1/);
  await waitLoaded(page, good.length + 2);
  assert.equal(await page.locator('.trow[data-file^="bundle.zip/"]').count(), 2);
});
