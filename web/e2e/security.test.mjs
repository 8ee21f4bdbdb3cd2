// Untrusted cassettes stay inert; the viewer requests only its own files; the hosted folder
// works under a path prefix with the recommended CSP; the single HTML file works from file://.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, test } from 'node:test';
import { DIST, FIXTURES, corpusFiles, dropFiles, launch, openPage, startServer, text, waitLoaded } from './helpers.mjs';

let browser;
let server;
before(async () => { browser = await launch(); server = await startServer({ prefix: '/tools/viewer/' }); });
after(async () => { await browser?.close(); await server?.close(); });

test('script, onerror and javascript: text in a cassette renders as text and never runs', async () => {
  const { page, problems } = await openPage(browser, server.url);
  await dropFiles(page, [{ name: 'xss.json', bytes: readFileSync(path.join(FIXTURES, 'xss.json')) }]);
  await waitLoaded(page, 1);
  assert.match(await text(page, '.trow .c-path'), /<script>window.__xss=1<\/script>/);
  await page.locator('.trow').first().click();
  for (const tab of ['overview', 'request', 'response', 'events', 'raw']) {
    await page.click(`[data-tab=${tab}]`);
    if (tab === 'events') await page.locator('.event-head').first().click();
    await page.locator('#waterfall .wf-bar').first().hover().catch(() => {});
  }
  await page.click('[data-tab=request]');
  assert.match(await text(page, '.detail-body'), /<img src=x onerror="window.__xss=2">/);
  assert.equal(await page.evaluate(() => window.__xss), undefined);
  assert.equal(await page.locator('.detail img, .detail script, .detail a[href^="javascript"]').count(), 0);
  assert.deepEqual(problems, []);
});

test('under a path prefix with the CSP: loads, opens cassettes, requests only its own files', async () => {
  const { page, problems, requests } = await openPage(browser, server.url);
  const files = corpusFiles((n) => n.startsWith('fastapi_default/') || n.startsWith('fastapi_gzip/'));
  await dropFiles(page, files);
  await waitLoaded(page, files.length);
  await page.locator('.trow').first().click();
  await page.click('[data-tab=raw]');
  await page.click('[data-tab=overview]');
  assert.deepEqual(problems, [], 'no CSP violation or error');
  const outside = requests.filter((u) => !u.startsWith(server.url) && !u.startsWith('data:'));
  assert.deepEqual(outside, [], 'nothing but the viewer\'s own files');
  const served = server.log.filter((u) => !u.startsWith('/tools/viewer/'));
  assert.deepEqual(served, []);
});

test('the single HTML file works when opened from disk', async () => {
  const url = pathToFileURL(path.join(DIST, 'tapedeck.html')).href;
  const context = await browser.newContext();
  const page = await context.newPage();
  const requests = [];
  const problems = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(url);
  await page.waitForSelector('.app');
  const files = corpusFiles((n) => n.startsWith('flask_requests/'));
  await dropFiles(page, files);
  await waitLoaded(page, files.length);
  await page.locator('.trow').first().click();
  await page.waitForSelector('#detail');
  assert.deepEqual(problems, []);
  assert.deepEqual(requests.filter((u) => u !== url && !u.startsWith('data:')), []);
  await context.close();
});
