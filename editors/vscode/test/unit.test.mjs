// Unit tests of the parts of the client that do not need VS Code (src/util.ts) and of the
// manifest's consistency. Run by test.sh: node --test test/unit.test.mjs
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const scratch = mkdtempSync(join(tmpdir(), 'duibiao-vscode-'));
const bundle = join(scratch, 'util.cjs');
buildSync({ entryPoints: [join(root, 'src', 'util.ts')], bundle: true, platform: 'node', format: 'cjs', outfile: bundle, logLevel: 'error' });
const { braces, checkLsp, foldingRanges, resolveExecutable } = createRequire(import.meta.url)(bundle);

test('braces outside strings and comments', () => {
  assert.deepEqual(braces('tiers 社区 { 标准型 { 所有 小区 达到 标准型 } }'), ['{', '{', '}', '}']);
  assert.deepEqual(braces('a: int "说明 {" cite "}" {'), ['{']);
  assert.deepEqual(braces('title “关于“红色{小区}”的通知” {'), ['{']);
  assert.deepEqual(braces('x = 1 # { not a brace'), []);
  assert.deepEqual(braces('"#" {'), ['{']);
});

test('folding ranges: blocks and comment runs', () => {
  const lines = [
    '# 第一行', //            0
    '# 第二行', //            1
    'facts 社区 {', //        2
    '  户数: int "{"', //     3
    '  面积: area', //        4
    '}', //                   5
    'tiers 社区 {', //        6
    '  标准型 {', //          7
    '    户数 >= 3', //       8
    '  }', //                 9
    '}', //                   10
    '# 单独一行', //          11
  ];
  assert.deepEqual(foldingRanges(lines), [
    { start: 0, end: 1, comment: true },
    { start: 2, end: 4, comment: false },
    { start: 6, end: 9, comment: false },
    { start: 7, end: 8, comment: false },
  ]);
});

test('resolveExecutable: PATH, absolute and workspace paths, missing', () => {
  const bin = join(scratch, 'bin');
  mkdirSync(bin);
  const exe = join(bin, 'duibiao');
  writeFileSync(exe, '#!/bin/sh\n');
  chmodSync(exe, 0o755);
  const notExecutable = join(bin, 'plain');
  writeFileSync(notExecutable, '');
  chmodSync(notExecutable, 0o644);
  const env = { PATH: ['/nonexistent', bin].join(delimiter) };

  assert.equal(resolveExecutable('duibiao', undefined, env, 'linux'), exe);
  assert.equal(resolveExecutable('', undefined, env, 'linux'), exe, 'empty setting means duibiao on PATH');
  assert.equal(resolveExecutable(exe, undefined, {}, 'linux'), exe);
  assert.equal(resolveExecutable('${workspaceFolder}/bin/duibiao', scratch, {}, 'linux'), exe);
  assert.equal(resolveExecutable('./bin/duibiao', scratch, {}, 'linux'), exe);
  assert.equal(resolveExecutable('duibiao', undefined, { PATH: '/nonexistent' }, 'linux'), undefined);
  assert.equal(resolveExecutable('plain', undefined, env, 'linux'), undefined, 'not executable');
  assert.equal(resolveExecutable(join(bin, 'missing'), undefined, env, 'linux'), undefined);
});

test('manifest: language, grammar, configuration, command', () => {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const [language] = pkg.contributes.languages;
  assert.equal(language.id, 'duibiao');
  assert.deepEqual(language.extensions, ['.std']);
  assert.deepEqual(language.aliases, ['对标标准', 'duibiao']);
  assert.ok(existsSync(join(root, language.configuration)));
  const [grammar] = pkg.contributes.grammars;
  assert.equal(grammar.scopeName, 'source.duibiao');
  const tm = JSON.parse(readFileSync(join(root, grammar.path), 'utf8'));
  assert.equal(tm.scopeName, 'source.duibiao');
  assert.ok(pkg.activationEvents.includes('onLanguage:duibiao'));
  const props = pkg.contributes.configuration.properties;
  assert.equal(props['duibiao.path'].default, 'duibiao');
  assert.equal(props['duibiao.lang'].default, 'zh');
  assert.deepEqual(props['duibiao.lang'].enum, ['zh', 'en']);
  assert.ok(pkg.contributes.commands.some((c) => c.command === 'duibiao.restartServer'));
  const extension = readFileSync(join(root, 'src', 'extension.ts'), 'utf8');
  assert.match(extension, /registerCommand\('duibiao\.restartServer'/);
  assert.match(extension, /args: \['lsp'\]/);
  assert.match(extension, /initializationOptions: \{ lang \}/);
  // The language configuration is valid JSON with regular expressions that compile.
  const config = JSON.parse(readFileSync(join(root, language.configuration), 'utf8'));
  new RegExp(config.wordPattern);
  new RegExp(config.indentationRules.increaseIndentPattern);
  new RegExp(config.indentationRules.decreaseIndentPattern);
  const increase = new RegExp(config.indentationRules.increaseIndentPattern);
  for (const line of ['facts 社区 {', '要求 社区 基本要求 “关于“红色小区”的说明” 依据 "三、{一}" {', '  标准型 { # 注释', 'tiers 社区 { 标准型 {']) {
    assert.ok(increase.test(line), `indents after ${line}`);
  }
  for (const line of ['facts 社区 { 户数: int }', '  户数: int "说明 {"', '# facts 社区 {', '}']) {
    assert.ok(!increase.test(line), `does not indent after ${line}`);
  }
  assert.ok(new RegExp(config.indentationRules.decreaseIndentPattern).test('  }'));
  const words = '得分>=75 且 社区党群服务中心面积：350平方米，“五星”'.match(new RegExp(config.wordPattern, 'g'));
  assert.deepEqual(words, ['得分', '75', '且', '社区党群服务中心面积', '350平方米', '五星']);
});

test('checkLsp: a duibiao with and without the lsp subcommand', async () => {
  assert.deepEqual(await checkLsp(join(root, 'test', 'fixtures', 'fake-duibiao.mjs')), { ok: true });
  const old = await checkLsp(join(root, 'test', 'fixtures', 'old-duibiao.sh'));
  assert.equal(old.ok, false);
  assert.match(old.detail, /^exit 2: 错误：未知的命令 `lsp` unrecognized subcommand$/);
  const missing = await checkLsp(join(scratch, 'no-such-duibiao'));
  assert.equal(missing.ok, false);
  assert.match(missing.detail, /ENOENT/);
  assert.deepEqual(await checkLsp(join(root, 'test', 'fixtures', 'slow-duibiao.sh'), 200), { ok: true }, 'a timeout does not block');
});
