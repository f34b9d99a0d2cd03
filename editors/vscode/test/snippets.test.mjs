// The snippets, expanded with their default values, make a standard: the declarations in order
// (header, kind, facts, records, param, derive, requirements, scorecard, tiers, veto, target, omit) form one
// file per language. The file is highlighted without errors, and — when a duibiao executable is at
// hand ($DUIBIAO, or target/release or target/debug of the repository) — `duibiao check` accepts it.
// Run by test.sh: node --test test/snippets.test.mjs
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { tokenize } from '../scripts/tokenizer.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const snippets = JSON.parse(readFileSync(join(root, 'snippets', 'duibiao.code-snippets'), 'utf8'));
const scratch = mkdtempSync(join(tmpdir(), 'duibiao-snippets-'));

/** A snippet body with every placeholder at its default (the first choice of a choice). */
const expand = (body) =>
  body
    .join('\n')
    .replace(/\$\{\d+\|([^,|]*)[^|]*\|\}/g, '$1')
    .replace(/\$\{\d+:([^}]*)\}/g, '$1')
    .replace(/\$\d+/g, '')
    .replace(/\t/g, '  ');

const duibiao = [process.env.DUIBIAO, join(root, '..', '..', 'target', 'release', 'duibiao'), join(root, '..', '..', 'target', 'debug', 'duibiao')]
  .filter(Boolean)
  .find((p) => existsSync(p));

const declarations = {
  中文: ['标准', '单位', '填报', '记录', '参数', '计算', '要求', '评分', '等级', '否决', '目标', '未编码'],
  English: ['standard', 'kind', 'facts', 'records', 'param', 'derive', 'requirements', 'scorecard', 'tiers', 'veto', 'target', 'omit'],
};

test('every snippet is in both languages, with a description', () => {
  const names = Object.keys(snippets);
  for (const name of names) {
    assert.ok(snippets[name].description, `${name} has a description`);
    const other = name.endsWith('(中文)') ? null : name.replace(/ \(English\)$/, '');
    if (other !== null) assert.ok(name.endsWith('(English)'), name);
  }
  assert.equal(names.filter((n) => n.endsWith('(中文)')).length, names.filter((n) => n.endsWith('(English)')).length);
});

for (const [language, prefixes] of Object.entries(declarations)) {
  test(`the ${language} snippets make a standard`, async (t) => {
    const text = `${prefixes.map((p) => expand(snippets[`${p} (${language})`].body)).join('\n')}\n`;
    const file = join(scratch, `${language}.std`);
    writeFileSync(file, text);
    const invalid = (await tokenize(text)).filter((tok) => tok.scopes.some((s) => s.startsWith('invalid')));
    assert.deepEqual(invalid, [], 'no token marked invalid');
    if (!duibiao) {
      t.skip('no duibiao executable (set DUIBIAO or build target/release/duibiao) to check the file with');
      return;
    }
    const r = spawnSync(duibiao, ['check', file], { encoding: 'utf8' });
    assert.equal(r.status, 0, `duibiao check ${file}:\n${text}\n${r.stderr}${r.stdout}`);
  });
}
