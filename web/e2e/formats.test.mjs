// Formats other than Timetracer: HAR (Chromium, Polly.js), VCR.py, Ruby VCR, Betamax and go-vcr
// fixtures recorded by tools/fixtures/generate.py. Conversions to HAR pass the HAR 1.2 schema
// (har-validator); every fixture opens in the viewer by drag and drop.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { ROOT, dropFiles, launch, openPage, startServer, tapedeckBin, waitLoaded } from './helpers.mjs';

const require = createRequire(import.meta.url);
const validate = require('har-validator');
const FORMATS = path.join(ROOT, 'core', 'tests', 'fixtures', 'formats');
const fixtures = readdirSync(FORMATS).sort().map((name) => ({ name, bytes: readFileSync(path.join(FORMATS, name)) }));
// Rows each fixture gives: one per HAR entry, one per VCR-style file.
const ROWS = {
  'chromium.har': 5, 'polly.har': 3, 'vcrpy.yaml': 1, 'vcrpy.json': 1, 'betamax.json': 1,
  'ruby-vcr.yml': 1, 'ruby-vcr.json': 1, 'go-vcr.yaml': 1,
};

function tapedeck(...args) {
  return spawnSync(tapedeckBin(), args, { encoding: 'utf8' });
}

let browser;
let server;
before(async () => { browser = await launch(); server = await startServer(); });
after(async () => { await browser?.close(); await server?.close(); });

test('the recorded HAR files and every conversion to HAR pass the HAR 1.2 schema', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tapedeck-har-'));
  try {
    for (const { name } of fixtures) {
      if (name.endsWith('.har')) {
        await validate.har(JSON.parse(readFileSync(path.join(FORMATS, name), 'utf8')));
      }
      const out = path.join(dir, `${name}.har`);
      const run = tapedeck('convert', path.join(FORMATS, name), '-o', out, '--to', 'har');
      assert.equal(run.status, 0, `${name}: ${run.stderr}`);
      const har = JSON.parse(readFileSync(out, 'utf8'));
      await validate.har(har).catch((e) => {
        throw new Error(`${name}: ${JSON.stringify(e.errors ?? e.message)}`);
      });
      assert.ok(har.log.entries.length >= 3, name);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('every format opens in the viewer by drag and drop', async () => {
  const { page, problems } = await openPage(browser, server.url);
  await dropFiles(page, fixtures);
  const total = Object.values(ROWS).reduce((a, b) => a + b, 0);
  await waitLoaded(page, total);
  assert.equal(await page.locator('.load-error').count(), 0);
  for (const [name, rows] of Object.entries(ROWS)) {
    const selector = rows > 1 ? `.trow[data-file^="${name}#"]` : `.trow[data-file="${name}"]`;
    assert.equal(await page.locator(selector).count(), rows, name);
  }
  assert.deepEqual(problems, []);
});

test('a HAR entry shows its timing phases; a VCR file shows its calls in order', async () => {
  const { page, problems } = await openPage(browser, server.url);
  await dropFiles(page, fixtures.filter((f) => f.name === 'chromium.har' || f.name === 'vcrpy.yaml'));
  await waitLoaded(page, 6);
  await page.locator('.trow[data-file="chromium.har#3"]').first().click();
  await page.waitForSelector('#phases .phase-wait', { state: 'attached' });
  assert.ok(await page.locator('#phases .phase').count() >= 3);
  await page.locator('.trow[data-file="vcrpy.yaml"]').first().click();
  await page.waitForSelector('#sequence .seq-item', { state: 'attached' });
  assert.equal(await page.locator('#sequence .seq-item').count(), 4);
  assert.match(await page.locator('#sequence .seq-item').first().innerText(), /#1\s+GET http:\/\/127\.0\.0\.1:\d+\/api\/users\/42/);
  assert.deepEqual(problems, []);
});
