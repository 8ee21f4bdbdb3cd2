// Filters, sorting, detail (waterfall, raw JSON, copy buttons), keyboard, URL hash restore.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CORPUS, cliStats, launch, listFiles, openPage, startServer, text, waitLoaded } from './helpers.mjs';

let browser;
let server;
let total;
before(async () => {
  browser = await launch();
  // Emulates `tapedeck serve CORPUS`: the viewer loads the folder itself, also after a reload.
  server = await startServer({ serveDir: CORPUS });
  total = listFiles(CORPUS).length;
});
after(async () => { await browser?.close(); await server?.close(); });

const shown = async (page) => Number((await text(page, '#showing')).match(/Showing ([\d,]+)/)[1].replace(/,/g, ''));
const firstColumn = (page, cls) => page.locator(`.trow .${cls}`).allInnerTexts();

test('every filter narrows the table and "Showing X of Y" follows', async () => {
  const { page, problems } = await openPage(browser, server.url);
  await waitLoaded(page, total);
  assert.equal(await shown(page), total);

  await page.fill('#search', 'users');
  const users = await shown(page);
  assert.ok(users > 0 && users < total);
  for (const p of await firstColumn(page, 'c-path')) assert.match(p.toLowerCase(), /users/);
  await page.fill('#search', 'tr-0001');
  assert.equal(await shown(page), 0, 'bodies are not searched by default');
  await page.check('#search-bodies');
  assert.ok(await shown(page) > 0, 'the bodies option searches the whole cassette');
  await page.click('#clear-filters');
  assert.equal(await shown(page), total);

  await page.selectOption('#filter-method', 'POST');
  for (const m of await firstColumn(page, 'c-method')) assert.equal(m, 'POST');
  await page.selectOption('#filter-method', '');

  const expected = cliStats(CORPUS);
  await page.selectOption('#filter-status', 'error');
  assert.equal(await shown(page), expected.errors);
  await page.selectOption('#filter-status', '0');
  assert.equal(await shown(page), expected.no_response);
  for (const s of await firstColumn(page, 'c-status')) assert.equal(s, '0');
  await page.selectOption('#filter-status', '5xx');
  for (const s of await firstColumn(page, 'c-status')) assert.match(s, /^5\d\d$/);
  await page.selectOption('#filter-status', '');

  await page.selectOption('#filter-speed', 'slow');
  const slow = await shown(page);
  assert.ok(slow >= 1);
  assert.equal(await page.locator('.trow.slow').count(), slow);
  await page.fill('#filter-slow', '100000');
  await page.press('#filter-slow', 'Enter');
  await page.locator('#filter-slow').blur();
  await page.waitForFunction(() => document.querySelector('#showing').textContent.startsWith('Showing 0 '));
  await page.fill('#filter-slow', '1000');
  await page.locator('#filter-slow').blur();
  await page.selectOption('#filter-speed', '');

  await page.selectOption('#filter-dep', 'redis');
  const redis = await shown(page);
  assert.ok(redis >= 1 && redis < total);
  for (const d of await firstColumn(page, 'c-deps')) assert.match(d, /redis/);
  await page.selectOption('#filter-dep', '');
  await page.selectOption('#filter-lib', 'sqlalchemy');
  for (const d of await firstColumn(page, 'c-deps')) assert.match(d, /db/);
  await page.selectOption('#filter-lib', '');

  await page.fill('#filter-from', '2099-01-01T00:00');
  await page.locator('#filter-from').blur();
  await page.waitForFunction(() => document.querySelector('#showing').textContent.startsWith('Showing 0 '));
  await page.click('#clear-filters');
  assert.equal(await shown(page), total);
  assert.deepEqual(problems, []);
});

test('every column sorts both ways', async () => {
  const { page } = await openPage(browser, server.url);
  await waitLoaded(page, total);
  const num = (s) => Number.parseFloat(s) * (s.includes(' s') ? 1000 : s.includes('µs') ? 0.001 : 1);
  const checks = {
    // empty methods and paths show as placeholders but sort as empty strings
    method: ['c-method', (s) => (s === '—' ? '' : s)],
    path: ['c-path', (s) => (s === '(no path)' ? '' : s)],
    status: ['c-status', Number],
    duration: ['c-dur', num],
    deps: ['c-deps', (s) => (s.replace(/✕ \d+/g, '').match(/\d+/g) ?? []).reduce((a, b) => a + Number(b), 0)],
    time: ['c-time', (s) => s],
  };
  for (const [key, [cls, value]] of Object.entries(checks)) {
    for (let click = 0; click < 2; click += 1) {
      await page.click(`button.sort[data-sort="${key}"]`);
      const header = page.locator(`button.sort[data-sort="${key}"]`).locator('..');
      const dir = await header.getAttribute('aria-sort');
      const values = (await firstColumn(page, cls)).map(value);
      const sorted = [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      if (dir === 'descending') sorted.reverse();
      assert.deepEqual(values, sorted, `${key} ${dir}`);
    }
  }
});

test('a detail opens with overview, waterfall, dependencies, raw JSON and copy buttons', async () => {
  const { page, problems } = await openPage(browser, server.url, { permissions: ['clipboard-read', 'clipboard-write'] });
  await waitLoaded(page, total);
  await page.fill('#search', 'fanout-parallel');
  await page.locator('.trow').first().click();
  await page.waitForSelector('#detail');
  assert.match(await text(page, '#detail-path'), /\/fanout-parallel\?n=8/);
  assert.equal(await page.locator('#waterfall .wf-bar').count(), 8, 'one bar per event');
  assert.ok(await page.locator('#waterfall .wf-lane').count() > 1, 'overlapping calls on separate lanes');
  await page.locator('#waterfall .wf-bar').first().hover();
  assert.match(await text(page, '.wf-hover'), /start .* duration .* status 200/);

  const replay = await text(page, '#replay-command');
  assert.match(replay, /^TIMETRACER_MODE=replay TIMETRACER_CASSETTE="fastapi_default\/.*GET__fanout_parallel__\w+\.json" uvicorn app:app$/);
  await page.click('#copy-replay');
  await page.waitForFunction(() => document.querySelector('#copy-replay').textContent === 'Copied!');
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), replay);
  const curl = await text(page, '#curl-command');
  assert.match(curl, /^curl 'http:\/\/127\.0\.0\.1:\d+\/fanout-parallel\?n=8'/);
  await page.click('#copy-curl');
  await page.waitForFunction(() => document.querySelector('#copy-curl').textContent === 'Copied!');
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), curl);

  await page.click('[data-tab=events]');
  assert.equal(await page.locator('.event').count(), 8);
  await page.locator('.event-head').first().click();
  assert.match(await text(page, '.event-body'), /Signature[\s\S]*URL[\s\S]*Result[\s\S]*status/);

  await page.click('[data-tab=response]');
  assert.match(await text(page, '.detail-body'), /Not captured/);

  await page.click('[data-tab=raw]');
  const raw = await text(page, '#raw-json');
  assert.match(raw, /"schema_version": "1\.0"/);
  const toggles = page.locator('#raw-json .j-toggle[aria-expanded="true"]');
  const before = await toggles.count();
  await toggles.first().click();
  assert.ok(await page.locator('#raw-json .j-toggle[aria-expanded="true"]').count() < before, 'collapsible');
  assert.deepEqual(problems, []);
});

test('keyboard: / focuses search, arrows move, Enter opens, Esc closes', async () => {
  const { page } = await openPage(browser, server.url);
  await waitLoaded(page, total);
  await page.keyboard.press('/');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'search');
  await page.keyboard.press('Escape');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  assert.equal(await page.locator('.trow.cursor').count(), 1);
  const file = await page.locator('.trow.cursor').getAttribute('data-file');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#detail');
  assert.equal(await text(page, '#detail-file'), file);
  await page.keyboard.press('ArrowDown');
  assert.notEqual(await text(page, '#detail-file'), file, 'moving follows with the open cassette');
  await page.keyboard.press('Escape');
  await page.waitForSelector('#detail', { state: 'detached' });
});

test('reload restores filters, sort and the open cassette from the URL hash', async () => {
  const { page } = await openPage(browser, server.url);
  await waitLoaded(page, total);
  await page.fill('#search', 'api');
  await page.selectOption('#filter-status', '2xx');
  await page.click('button.sort[data-sort="duration"]');
  await page.locator('.trow').first().click();
  await page.waitForSelector('#detail');
  await page.click('[data-tab=events]');
  const file = await text(page, '#detail-path');
  const count = await shown(page);
  const hash = new URL(page.url()).hash;
  assert.match(hash, /q=api/);
  assert.match(hash, /status=2xx/);
  assert.match(hash, /sort=-duration/);
  assert.match(hash, /open=/);

  await page.reload();
  await waitLoaded(page, total).catch(() => {});
  await page.waitForSelector('#detail');
  assert.equal(await page.inputValue('#search'), 'api');
  assert.equal(await page.inputValue('#filter-status'), '2xx');
  assert.equal(await shown(page), count);
  assert.equal(await text(page, '#detail-path'), file);
  assert.equal(await page.locator('[data-tab=events]').getAttribute('aria-selected'), 'true');
  assert.equal(await page.locator('.th.c-dur').getAttribute('aria-sort'), 'descending');
});
