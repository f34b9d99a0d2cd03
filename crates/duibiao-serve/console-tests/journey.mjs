// The review console's journey in headless Chromium (docs/console.md): start `duibiao serve`
// on a free loopback port with a scratch SQLite file, upload the haiyan demo's facts (as a
// workbook, then as JSON), find SQ2, read its explanation, make and apply its gap plan and see
// its tier change, submit two rounds and download one's results as a workbook, read the
// targets and tiers, compare the rounds, switch to English. Each page is photographed into the folder given (the committed ones in docs/console/ only when asked).
//
// node journey.mjs BINARY REPO SHOTS_DIR

import { chromium } from 'playwright-core';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';

const [binary, repo, shots] = process.argv.slice(2);
if (!binary || !repo || !shots) {
  console.error('usage: node journey.mjs BINARY REPO SHOTS_DIR');
  process.exit(2);
}
const scratch = mkdtempSync(join(tmpdir(), 'duibiao-console-'));
mkdirSync(shots, { recursive: true });

/** Starts the service; resolves with its address once it says where it listens. */
function serve() {
  const child = spawn(binary, ['serve', '--standards', join(repo, 'standards'), '--addr', '127.0.0.1:0', '--db', join(scratch, 'rounds.sqlite3')], { stdio: ['ignore', 'ignore', 'pipe'] });
  return new Promise((resolve, reject) => {
    let said = '';
    child.on('exit', (code) => reject(new Error(`duibiao serve stopped (${code}): ${said}`)));
    child.stderr.on('data', (d) => {
      said += d;
      const m = said.match(/serve: (http:\/\/[0-9.:]+)\//);
      if (m) resolve({ child, base: m[1] });
    });
  });
}

/** The demo's facts with SQ2's gap plan applied, a year later: the second round. */
function improved() {
  const facts = JSON.parse(readFileSync(join(repo, 'standards/haiyan-2021/demo.json'), 'utf8'));
  facts.as_of = '2022-12-31';
  for (const u of facts.units) {
    if (u.id === 'SQ2') u.facts['社会组织充分融入'] = true;
    if (u.id === 'XQ21') u.facts['一票否决'] = false;
  }
  const path = join(scratch, 'haiyan-2022.json');
  writeFileSync(path, JSON.stringify(facts));
  return path;
}

let passed = 0;
let failed = 0;
/** Runs one step of the journey; a failed step ends it. */
async function step(name, f) {
  try {
    await f();
    passed += 1;
    console.log(`ok - ${name}`);
  } catch (e) {
    failed += 1;
    console.log(`not ok - ${name}\n${e.stack || e}`);
    throw e;
  }
}

const { child, base } = await serve();
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox'],
});
const troubles = [];
try {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 }, locale: 'zh-CN' });
  page.on('pageerror', (e) => troubles.push(`page error: ${e.message}`));
  // Every request answered with an error is a trouble, but the 422s of the steps that upload
  // files the service must turn down. Chromium reports such answers on the console too, so
  // those messages are left to this check.
  let refusing = false;
  page.on('response', (r) => {
    if (r.status() >= 400 && !(refusing && r.status() === 422)) troubles.push(`${r.status()} ${r.url()}`);
  });
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) troubles.push(`console: ${m.text()}`);
  });
  const shot = (name) => page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
  const said = (text) => page.locator('#status', { hasText: text }).waitFor();

  await step('the console loads in Chinese with the standards served, under its CSP', async () => {
    const r = await page.goto(`${base}/`);
    assert.match(r.headers()['content-security-policy'], /script-src 'self'/);
    await page.locator('#standard option[value="haiyan-2021"]').waitFor({ state: 'attached' });
    assert.equal(await page.locator('h1').textContent(), '对标 · 评审台');
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-CN');
  });

  await step('every control is reached with the keyboard', async () => {
    const reached = new Set();
    for (let i = 0; i < 12; i += 1) {
      await page.keyboard.press('Tab');
      reached.add(await page.evaluate(() => document.activeElement.id || document.activeElement.textContent));
    }
    for (const id of ['lang', 'standard', 'round', 'upload']) assert.ok(reached.has(id), `${id} is not reached: ${[...reached]}`);
    await page.evaluate(() => document.activeElement.blur());
  });

  await step('the two languages have the same strings', async () => {
    const [zh, en] = await page.evaluate(async () => {
      const m = await import('/console/js/i18n.js');
      return [Object.keys(m.tables.zh), Object.keys(m.tables.en)];
    });
    assert.deepEqual(en, zh);
  });

  await step('a file the service turns down shows its problems, coded and located', async () => {
    await page.selectOption('#standard', 'haiyan-2021');
    const bad = join(scratch, 'mars.json');
    writeFileSync(bad, JSON.stringify({ standard: 'haiyan-2021', as_of: '2021-12-31', units: [{ id: 'X', kind: '火星', parent: null }] }));
    refusing = true;
    await page.setInputFiles('#upload', bad);
    const problems = page.locator('.problems[role="alert"]');
    await problems.waitFor();
    assert.match(await problems.textContent(), /F0005.*未知单位类型 `火星`.*\(mars\.json · X · kind\)/);
    assert.equal(await page.locator('#loaded').textContent(), '请选择标准和轮次，或上传数据。');
    refusing = false;
    await shot('problems');
  });

  await step('a file that is no workbook is sent as it is, and its problem shown', async () => {
    const book = join(scratch, '坏的评分表.xlsx');
    writeFileSync(book, 'PK not a workbook');
    refusing = true;
    const [sent] = await Promise.all([
      page.waitForRequest((r) => r.url().includes('/evaluate')),
      page.setInputFiles('#upload', book),
    ]);
    assert.equal(sent.headers()['content-type'], 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    assert.equal(sent.postData(), 'PK not a workbook');
    assert.equal(new URL(sent.url()).searchParams.get('file'), '坏的评分表.xlsx');
    assert.equal((await sent.response()).status(), 422);
    await page.locator('.problems[role="alert"] code').first().waitFor();
    assert.match(await page.locator('.problems').textContent(), /F0021.*坏的评分表\.xlsx/);
    refusing = false;
  });

  await step('the haiyan workbook is read as its JSON is: the same tree', async () => {
    // The demo's facts as the workbook an assessor fills in (`duibiao convert … --to xlsx`).
    const book = join(scratch, '海盐评分表.xlsx');
    const made = spawnSync(binary, ['convert', join(repo, 'standards/haiyan-2021/demo.json'), '--to', 'xlsx', '--out', book], { cwd: repo });
    assert.equal(made.status, 0, String(made.stderr));
    await page.setInputFiles('#upload', book);
    // Wait for this upload's name: a tree from before may still be on the page.
    await page.locator('#loaded', { hasText: '海盐评分表.xlsx' }).waitFor();
    await page.locator('#tree [data-unit="SQ2"]').waitFor();
    assert.equal(await page.locator('#tree li').count(), 18);
    assert.match(await page.locator('#counts-title + table').textContent(), /社区/);
    await shot('workbook');
  });

  await step('uploading the haiyan demo shows the unit tree with tiers and counts', async () => {
    await page.setInputFiles('#upload', join(repo, 'standards/haiyan-2021/demo.json'));
    // The workbook's tree is the same, so wait for this upload's name before reading it.
    await page.locator('#loaded', { hasText: 'demo.json' }).waitFor();
    await page.locator('#tree [data-unit="SQ2"]').waitFor();
    assert.equal(await page.locator('#tree li').count(), 18);
    // SQ2 sits under the street JD, and its 小区 under it.
    assert.equal(await page.locator('#tree li:has(> .row [data-unit="JD"]) li:has(> .row [data-unit="SQ2"]) [data-unit="XQ21"]').count(), 1);
    assert.match(await page.locator('#counts-title + table').textContent(), /社区/);
    await shot('units');
  });

  await step('the filters keep the vetoed unit and the units above it', async () => {
    await page.check('#f-veto');
    assert.equal(await page.locator('#tree li > .row:not(.context)').count(), 1);
    assert.equal(await page.locator('#tree li > .row:not(.context) [data-unit="XQ21"]').count(), 1);
    assert.match(await page.locator('#shown').textContent(), /1 \/ 18/);
    await page.uncheck('#f-veto');
    assert.match(await page.locator('#shown').textContent(), /18 \/ 18/);
    // A count filters by its tier, and keeps the focus for the keyboard.
    await page.locator('#counts-title + table tr:has(th:text-is("社区")) button', { hasText: '示范型' }).press('Enter');
    assert.match(await page.locator('#shown').textContent(), /1 \/ 18/);
    assert.equal(await page.locator('#tree li > .row:not(.context) [data-unit="SQ1"]').count(), 1);
    assert.match(await page.evaluate(() => document.activeElement.id), /^chip-社区-示范型$/);
    assert.deepEqual([await page.locator('#f-kind').inputValue(), await page.locator('#f-tier').inputValue()], ['社区', '示范型']);
    await page.keyboard.press('Enter');
    assert.match(await page.locator('#shown').textContent(), /18 \/ 18/);
  });

  let realTier;
  await step('SQ2\'s page explains its tier with clause citations, its vetoes and missing data', async () => {
    await page.fill('#f-text', 'SQ2');
    await page.click('#tree [data-unit="SQ2"]');
    await page.locator('#explanation').waitFor();
    assert.match(await page.locator('#unit-title').textContent(), /城西社区（SQ2）/);
    realTier = (await page.locator('#unit-tier').textContent()).trim();
    assert.ok(await page.locator('#explanation cite.clause').count() > 0, 'no clause is cited');
    assert.ok(await page.locator('#why-not-title + * .condition.fail').count() > 0, 'no failed condition is shown');
    await page.locator('#vetoes').waitFor();
    await page.locator('#missing').waitFor();
    await shot('unit');
  });

  await step('the gap plan to 示范型 names what to change, with citations', async () => {
    await page.selectOption('#gap-tier', '示范型');
    await page.click('#gap-run');
    await page.locator('#plan').waitFor();
    const plan = await page.locator('#plan').textContent();
    assert.match(plan, /社会组织充分融入/);
    assert.match(plan, /XQ21/);
    await shot('gap');
  });

  await step('applying the plan shows the what-if beside the real result: the tier changes', async () => {
    await page.click('#apply');
    await page.locator('#whatif').waitFor();
    assert.equal((await page.locator('#whatif .real-tier').textContent()).trim(), realTier);
    assert.equal((await page.locator('#whatif .whatif-tier').textContent()).trim(), '示范型');
    assert.notEqual(realTier, '示范型');
    assert.match(await page.locator('#moved').textContent(), /SQ2/);
    await page.locator('#whatif').scrollIntoViewIfNeeded();
    await shot('whatif');
  });

  await step('two rounds are submitted: the demo, then the improved facts a year later', async () => {
    await page.fill('#who', '海盐县评审组');
    await page.click('#submit');
    await said('已保存为第 1 轮');
    await page.setInputFiles('#upload', improved());
    await page.locator('#loaded', { hasText: 'haiyan-2022.json' }).waitFor();
    await page.click('#submit');
    await said('已保存为第 2 轮');
    assert.equal(await page.locator('#round option').count(), 3);
    assert.match(await page.locator('#loaded').textContent(), /已载入第 2 轮/);
  });

  await step('the round\'s results are downloaded as a workbook named in UTF-8', async () => {
    const link = page.locator('#download');
    await link.waitFor();
    assert.equal(await link.getAttribute('href'), '/v1/rounds/2/results.xlsx');
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    assert.equal(download.suggestedFilename(), 'haiyan-2021-第2轮-结果.xlsx');
    const bytes = readFileSync(await download.path());
    assert.equal(bytes.subarray(0, 4).toString('latin1'), 'PK\x03\x04');
  });

  await step('the targets and the tiers are drawn as charts', async () => {
    await page.click('nav a[href="#/charts"]');
    await page.locator('#targets-title').waitFor();
    assert.ok(await page.locator('#main svg.chart').count() >= 3);
    assert.ok(await page.locator('#main .target').count() > 0, 'no target is shown');
    assert.match(await page.locator('#history-title').locator('..').textContent(), /第 1 轮[\s\S]*第 2 轮/);
    // The quota chart's numbers: six 示范型 communities required, two reached in round 2.
    const quota = page.locator('#quotas-title + figure table tr', { hasText: '示范型社区6个' });
    assert.deepEqual(await quota.locator('td').allTextContents(), ['6', '2']);
    assert.equal(await page.locator('#quotas-title + figure svg rect.bar.required').count(), await page.locator('#quotas-title + figure tbody tr').count() + 1);
    await shot('charts');
  });

  await step('comparing the rounds shows SQ2 moving up, and why', async () => {
    await page.click('nav a[href="#/compare"]');
    await page.selectOption('#before', '1');
    await page.selectOption('#after', '2');
    await page.click('#compare-run');
    await page.locator('#up-list').waitFor();
    const up = await page.locator('#up-list').textContent();
    assert.match(up, /SQ2/);
    assert.match(await page.locator('#up-list li[data-unit="SQ2"] .because').textContent(), /示范型/);
    await shot('compare');
  });

  await step('the English switch turns every string to English', async () => {
    await page.click('#lang');
    assert.equal(await page.locator('h1').textContent(), 'duibiao · review console');
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
    await page.click('nav a[href="#/units"]');
    await page.locator('#tree').waitFor();
    await page.fill('#f-text', '');
    assert.match(await page.locator('#shown').textContent(), /Showing 18 of 18 units/);
    assert.match(await page.locator('#counts-title').textContent(), /Units per tier/);
    await shot('units-en');
  });

  await step('nothing was refused by the CSP and no script failed', async () => {
    assert.deepEqual(troubles, []);
  });
} finally {
  if (troubles.length) console.log(`what went wrong in the page:\n${troubles.join('\n')}`);
  await browser.close();
  child.kill('SIGTERM');
  rmSync(scratch, { recursive: true, force: true });
  console.log(`${passed} passed, ${failed} failed`);
}
