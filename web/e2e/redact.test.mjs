// Redaction in the browser: the Redact view over the corpus's unredacted PII cassettes gives
// the very bytes `tapedeck redact` writes (one file, a .gz, the whole .zip), no planted secret
// survives, and detector switches, "allow this", policy import and export work.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import zlib from 'node:zlib';
import { after, before, test } from 'node:test';
import { CORPUS, DIST, dropFiles, launch, openPage, startServer, tapedeckBin, waitLoaded } from './helpers.mjs';

const PII = 'fastapi_pii_unredacted';
const PII_DIR = path.join(CORPUS, PII);
// Values planted in those cassettes that no redacted copy may keep.
const PLANTED = ['123-45-6789', '987-65-4320', '4111111111111111', 'AKIAIOSFODNN7EXAMPLE', 'KEY123',
  'ada@example.com', 'ada42@example.com', 'ada.l@example.org', 'ghp_1234567890abcdefghijklmnopqrstuvwxyzAB',
  'sk_live_abcdefghijklmnopqrstuvwxyz123456', 'eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ'];

let browser;
let server;
before(async () => { browser = await launch(); server = await startServer(); });
after(async () => { await browser?.close(); await server?.close(); });

function tapedeck(args) {
  const run = spawnSync(tapedeckBin(), args, { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`tapedeck ${args[0]} failed: ${run.stderr}`);
  return run;
}

/** Every file under a folder: relative path → bytes. */
function readTree(dir, base = dir, out = new Map()) {
  for (const name of readdirSync(dir).sort()) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) readTree(full, base, out);
    else out.set(path.relative(base, full).split(path.sep).join('/'), readFileSync(full));
  }
  return out;
}

/** `tapedeck redact INPUT -o OUT [--policy FILE]`: the output tree (or file). */
function cliRedact(input, policyText = null) {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'tapedeck-redact-'));
  const out = path.join(tmp, 'out');
  const args = ['redact', input, '-o', out];
  if (policyText !== null) {
    writeFileSync(path.join(tmp, 'policy.toml'), policyText);
    args.push('--policy', path.join(tmp, 'policy.toml'));
  }
  tapedeck(args);
  return statSync(out).isDirectory() ? readTree(out) : readFileSync(out);
}

/** The entries of a .zip (stored or deflated), as name → bytes. */
function readZip(buf) {
  const entries = new Map();
  const eocd = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  assert.ok(eocd >= 0, 'not a zip');
  const count = buf.readUInt16LE(eocd + 10);
  let at = buf.readUInt32LE(eocd + 16);
  for (let i = 0; i < count; i += 1) {
    assert.equal(buf.readUInt32LE(at), 0x02014b50);
    const method = buf.readUInt16LE(at + 10);
    const size = buf.readUInt32LE(at + 20);
    const nameLen = buf.readUInt16LE(at + 28);
    const extraLen = buf.readUInt16LE(at + 30);
    const commentLen = buf.readUInt16LE(at + 32);
    const local = buf.readUInt32LE(at + 42);
    const name = buf.subarray(at + 46, at + 46 + nameLen).toString('utf8');
    const dataAt = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const data = buf.subarray(dataAt, dataAt + size);
    entries.set(name, method === 8 ? zlib.inflateRawSync(data) : Buffer.from(data));
    at += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

async function download(page, selector) {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  return { name: dl.suggestedFilename(), bytes: readFileSync(await dl.path()) };
}

/** Opens the viewer, loads the PII folder and switches to the Redact view. */
async function openRedact() {
  const opened = await openPage(browser, server.url);
  const { page } = opened;
  await page.setInputFiles('#folder-input', PII_DIR);
  await waitLoaded(page, readTree(PII_DIR).size);
  await page.click('#mode-redact');
  await page.waitForSelector('#redact-view');
  return opened;
}

/** Runs (or waits for the automatic re-run after a policy change) until every file is done. */
async function waitRun(page) {
  await page.waitForFunction(() => {
    const p = document.querySelector('#redact-progress');
    const s = document.querySelector('#redact-status');
    return p && s && s.textContent.includes('done in') && Number(p.value) === Number(p.max);
  });
}

async function policyText(page) {
  return page.locator('#policy-text').inputValue();
}

test('the zip and a single download are byte-identical to `tapedeck redact`, and no planted secret remains', async () => {
  const { page, problems, requests } = await openRedact();
  await page.click('#redact-run');
  await waitRun(page);
  const expected = cliRedact(PII_DIR);
  assert.ok(expected.size >= 4);

  const zip = await download(page, '#redact-zip');
  assert.match(zip.name, /\.zip$/);
  const entries = readZip(zip.bytes);
  assert.deepEqual([...entries.keys()].sort(), [...expected.keys()].map((k) => `${PII}/${k}`).sort());
  for (const [rel, bytes] of expected) {
    assert.ok(entries.get(`${PII}/${rel}`).equals(bytes), `${rel} differs from the CLI's output`);
    const text = bytes.toString('utf8');
    for (const secret of PLANTED) assert.ok(!text.includes(secret), `${secret} survived in ${rel}`);
  }
  const planted = [...readTree(PII_DIR).values()].map((b) => b.toString('utf8')).join('\n');
  for (const secret of PLANTED) assert.ok(planted.includes(secret), `${secret} is not in the input`);

  // Each file shows its findings count, here and in the cassette table.
  const rel = 'GET__search__ee50a1c4.json';
  const row = page.locator(`.rfile[data-file$="${rel}"]`);
  assert.match(await row.locator('.badge').innerText(), /^\d+ findings$/);
  await row.locator('.rfile-name').click();
  const findings = row.locator('tr.finding');
  await findings.first().waitFor();
  const badge = Number(/^(\d+)/.exec(await row.locator('.badge').innerText())[1]);
  assert.equal(await findings.count(), badge, 'every finding the badge counts is listed');
  assert.ok(badge > 5);
  // Previews are masked: no finding shows a planted value.
  const shown = await row.innerText();
  for (const secret of PLANTED) assert.ok(!shown.includes(secret), `${secret} shown on screen`);
  const one = await download(page, `.rfile[data-file$="${rel}"] .rfile-download`);
  assert.equal(one.name, rel);
  assert.ok(one.bytes.equals(expected.get(`2026-11-30/${rel}`)));

  await page.click('#mode-browse');
  assert.ok(await page.locator('.trow .secrets .badge.findings').count() >= 3);
  // Nothing left the page: every request went to the viewer's own origin.
  assert.deepEqual(requests.filter((u) => !u.startsWith(server.origin) && !u.startsWith('blob:')), []);
  assert.deepEqual(problems, []);
});

test('a .gz cassette comes back as .gz, identical to the CLI', async () => {
  const { page, problems } = await openPage(browser, server.url);
  const src = path.join(PII_DIR, '2026-11-30', 'POST__orders__001f8ec2.json');
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'tapedeck-gz-'));
  const gz = path.join(tmp, 'orders.json.gz');
  writeFileSync(gz, zlib.gzipSync(readFileSync(src)));
  await dropFiles(page, [{ name: 'orders.json.gz', bytes: readFileSync(gz) }]);
  await waitLoaded(page, 1);
  await page.click('#mode-redact');
  await page.click('#redact-run');
  await waitRun(page);
  const got = await download(page, '.rfile .rfile-download');
  assert.equal(got.name, 'orders.json.gz');
  assert.equal(got.bytes[0], 0x1f);
  assert.ok(got.bytes.equals(cliRedact(gz)), 'the .gz differs from the CLI output');
  assert.deepEqual(problems, []);
});

test('a detector switched off and one finding allowed change the policy, the findings and the output', async () => {
  const { page, problems } = await openRedact();
  await page.click('#redact-run');
  await waitRun(page);
  const before = await page.locator('#redact-status').innerText();
  const count = (s) => Number(/(\d+) findings/.exec(s)[1]);

  // Switch the SSN detector off: the policy text says so, and a new run follows.
  await page.click('input[data-detector="ssn"]');
  await page.waitForFunction(() => document.querySelector('#policy-text').value.includes('ssn = false'));
  await waitRun(page);
  assert.ok(!(await page.locator('input[data-detector="ssn"]').isChecked()));
  const afterSwitch = await page.locator('#redact-status').innerText();
  assert.ok(count(afterSwitch) < count(before), `${afterSwitch} vs ${before}`);

  // Allow one email finding: its value joins the allow-list and stays in the output.
  const rel = 'GET__users_42__60fe9202.json';
  const row = page.locator(`.rfile[data-file$="${rel}"]`);
  await row.locator('.rfile-name').click();
  const email = row.locator('tr.finding[data-rule="email"]').first();
  await email.locator('button.allow').click();
  await page.waitForFunction(() => /^values = \[[^\]]*"[^"]+@[^"]+"/m.test(document.querySelector('#policy-text').value));
  await waitRun(page);
  const policy = await policyText(page);
  const allowed = /^values = \[[^\]]*"([^"]+@[^"]+)"/m.exec(policy)[1];
  assert.ok(PLANTED.includes(allowed), allowed);

  // The downloads equal the CLI's output under the exported policy.
  const exported = await download(page, '#policy-export');
  assert.match(exported.name, /\.toml$/);
  assert.equal(exported.bytes.toString('utf8'), policy);
  const expected = cliRedact(PII_DIR, policy);
  const entries = readZip((await download(page, '#redact-zip')).bytes);
  for (const [relPath, bytes] of expected) {
    assert.ok(entries.get(`${PII}/${relPath}`).equals(bytes), `${relPath} differs from the CLI's output`);
  }
  const all = [...expected.values()].map((b) => b.toString('utf8')).join('\n');
  assert.ok(all.includes(allowed), 'the allowed value was redacted');
  assert.ok(all.includes('123-45-6789') || !all.includes('[REDACTED:SSN]'), 'the ssn detector still ran');
  assert.deepEqual(problems, []);
});

test('a policy file is imported, a bad one is reported by rule, and the key stays out of the page', async () => {
  const { page, problems } = await openRedact();
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'tapedeck-policy-'));
  const good = path.join(tmp, 'plain.toml');
  writeFileSync(good, 'version = 1\nmask_style = "plain"\n\n[detectors]\nemail = "hmac"\n');
  await page.setInputFiles('#policy-file', good);
  await page.waitForFunction(() => document.querySelector('#policy-text').value.startsWith('version = 1\nmask_style = "plain"'));
  await page.fill('#redact-key', 'k3y-for-pseudonyms');
  await page.click('#redact-run');
  await waitRun(page);
  // Pseudonyms need the same key on the CLI side.
  const withKey = (() => {
    const out = mkdtempSync(path.join(os.tmpdir(), 'tapedeck-key-'));
    tapedeck(['redact', PII_DIR, '-o', out, '--policy', good, '--key', 'k3y-for-pseudonyms']);
    return readTree(out);
  })();
  const entries = readZip((await download(page, '#redact-zip')).bytes);
  for (const [rel, bytes] of withKey) assert.ok(entries.get(`${PII}/${rel}`).equals(bytes), `${rel} differs`);
  assert.ok([...withKey.values()].some((b) => /\[EMAIL:[0-9a-f]{6,}\]/.test(b.toString('utf8'))));
  assert.ok(!(await page.content()).includes('k3y-for-pseudonyms'), 'the key is in the DOM');
  assert.ok(!page.url().includes('k3y'));

  // A bad policy names the rule and why; the previous results stay listed.
  await page.fill('#policy-text', 'version = 1\n[detectors]\nemail = "explode"\n');
  await page.click('#policy-apply');
  await page.waitForSelector('#policy-error');
  assert.match(await page.locator('#policy-error').innerText(), /email/);
  assert.deepEqual(problems, []);
});

test('the single HTML file, opened from disk, redacts in its inlined worker', async () => {
  const url = pathToFileURL(path.join(DIST, 'tapedeck.html')).href;
  const context = await browser.newContext({ acceptDownloads: true });
  const page = await context.newPage();
  const problems = [];
  const requests = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(url);
  await page.waitForSelector('.app');
  await page.setInputFiles('#folder-input', PII_DIR);
  await waitLoaded(page, readTree(PII_DIR).size);
  await page.click('#mode-redact');
  await page.click('#redact-run');
  await waitRun(page);
  const expected = cliRedact(PII_DIR);
  const entries = readZip((await download(page, '#redact-zip')).bytes);
  for (const [rel, bytes] of expected) {
    assert.ok(entries.get(`${PII}/${rel}`).equals(bytes), `${rel} differs from the CLI's output`);
  }
  assert.deepEqual(problems, []);
  assert.deepEqual(requests.filter((u) => u !== url && !u.startsWith('data:') && !u.startsWith('blob:')), []);
  await context.close();
});
