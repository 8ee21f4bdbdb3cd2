// `tapedeck serve static/samples`: the real binary with the viewer embedded from web/dist.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, test } from 'node:test';
import { ROOT, launch, listFiles, openPage, waitLoaded } from './helpers.mjs';

const SAMPLES = path.join(ROOT, 'static', 'samples');
let browser;
let server;
let url;
before(async () => {
  const bin = process.env.TAPEDECK_BIN ?? path.join(process.env.CARGO_TARGET_DIR ?? path.join(ROOT, 'target'), 'debug', 'tapedeck');
  // Rebuild so build.rs embeds the web/dist just built.
  const built = spawnSync('cargo', ['build', '-q', '-p', 'tapedeck_cli'], { cwd: ROOT, stdio: 'inherit' });
  assert.equal(built.status, 0);
  assert.ok(existsSync(bin));
  server = spawn(bin, ['serve', '--port', '0', SAMPLES], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise((resolve, reject) => {
    createInterface({ input: server.stdout }).once('line', resolve);
    server.once('exit', (code) => reject(new Error(`tapedeck serve exited with ${code}`)));
  });
  url = line.match(/(http:\/\/127\.0\.0\.1:\d+\/)/)[1];
  browser = await launch();
});
after(async () => { await browser?.close(); server?.kill(); });

test('serve loads the folder\'s cassettes at start and requests nothing else', async () => {
  const { page, problems, requests } = await openPage(browser, url);
  const total = listFiles(SAMPLES).length;
  await waitLoaded(page, total);
  assert.equal(await page.locator('#stat-total').innerText(), String(total));
  await page.locator('.trow').first().click();
  await page.waitForSelector('#detail');
  assert.deepEqual(problems, []);
  assert.deepEqual(requests.filter((u) => !u.startsWith(url)), []);
  const api = requests.filter((u) => u.includes('/api/'));
  assert.equal(api.length, total + 1, 'the listing and one request per cassette');
});
