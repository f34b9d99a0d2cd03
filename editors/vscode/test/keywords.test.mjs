// Every spelling of every keyword of grammar/standard.pest, in both languages, is highlighted as its
// category when it stands alone, and is part of a name — not a keyword — when a name character
// follows it (pest: kw_x = @{ ("x" | "中") ~ !ident_char }; ident = @{ !keyword ~ … }).
// Likewise for type names, comparison words and units. Run by test.sh: node --test test/keywords.test.mjs
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { categoryOf, cmpOps, keywordRules, simpleTypes, units } from '../scripts/build-grammar.mjs';
import { tokenize } from '../scripts/tokenizer.mjs';

const scopesOf = async (text) => (await tokenize(text)).map((t) => ({ text: t.text, scope: t.scopes.join(' ') }));

test('the pest grammar has both spellings of every keyword', () => {
  for (const { rule, spellings } of keywordRules) {
    assert.ok(spellings.some((s) => /^[\x00-\x7f]+$/.test(s)), `kw_${rule} has an English spelling`);
    assert.ok(spellings.some((s) => /\p{Script=Han}/u.test(s)), `kw_${rule} has a Chinese spelling`);
  }
});

test('every keyword spelling is highlighted as its category', async () => {
  for (const { rule, spellings } of keywordRules) {
    const category = `${categoryOf.get(rule)}.duibiao`;
    for (const kw of spellings) {
      for (const line of [kw, `  ${kw} `, `(${kw})`]) {
        const token = (await scopesOf(line)).find((t) => t.text === kw);
        assert.ok(token, `${JSON.stringify(line)}: no token ${kw}`);
        assert.ok(token.scope.split(' ').includes(category), `${JSON.stringify(line)}: ${kw} is ${token.scope}, expected ${category}`);
      }
    }
  }
});

test('a keyword followed by a name character is part of a name', async () => {
  for (const { spellings } of keywordRules) {
    for (const kw of spellings) {
      for (const name of [`${kw}型`, `${kw}_x`, `${kw}2`, `${kw}x`]) {
        const tokens = (await scopesOf(`  ${name} `)).filter((t) => t.text.trim());
        assert.equal(tokens.length, 1, `${name}: one token, got ${JSON.stringify(tokens)}`);
        assert.match(tokens[0].scope, /variable\.other\.duibiao/, `${name} is a name, got ${tokens[0].scope}`);
      }
      // …and a name that ends with a keyword (no word boundaries in Chinese) is one name too.
      const tokens = (await scopesOf(`  社区${kw} `)).filter((t) => t.text.trim());
      assert.equal(tokens.length, 1, `社区${kw}: one token, got ${JSON.stringify(tokens)}`);
      assert.match(tokens[0].scope, /variable\.other\.duibiao/);
    }
  }
});

test('every type name is highlighted after a colon, and only as a whole word', async () => {
  for (const type of simpleTypes) {
    const tokens = await scopesOf(`facts 社区 { 事项: ${type} }`);
    const token = tokens.find((t) => t.text === type);
    assert.ok(token && token.scope.includes('support.type.primitive.duibiao'), `${type}: ${token?.scope}`);
    const longer = await scopesOf(`facts 社区 { 事项: ${type}型 }`);
    assert.ok(!longer.some((t) => t.scope.includes('support.type')), `${type}型 is not a type`);
  }
});

test('every comparison is highlighted', async () => {
  for (const op of cmpOps) {
    const tokens = await scopesOf(`tiers 社区 { 甲 { 户数 ${op} 3户 } }`);
    const token = tokens.find((t) => t.text === op);
    assert.ok(token && token.scope.includes('keyword.operator.comparison'), `${op}: ${token?.scope}`);
  }
});

test('every unit is highlighted after a number, with or without one space', async () => {
  for (const unit of units) {
    for (const q of [`12${unit}`, `12 ${unit}`]) {
      const tokens = await scopesOf(`param 甲 = ${q}`);
      const number = tokens.find((t) => t.text === '12');
      const u = tokens.find((t) => t.text === unit);
      assert.ok(number?.scope.includes('constant.numeric'), `${q}: number ${number?.scope}`);
      assert.ok(u?.scope.includes('keyword.other.unit.duibiao'), `${q}: unit ${u?.scope}`);
    }
    // pest: (unit_suffix ~ !ident_char)? — a unit followed by a name character is no unit.
    const tokens = await scopesOf(`param 甲 = 12${unit}以上`);
    assert.ok(!tokens.some((t) => t.scope.includes('keyword.other.unit')), `12${unit}以上: ${JSON.stringify(tokens)}`);
  }
});

test('```duibiao blocks in Markdown are highlighted with the grammar', async () => {
  const tokens = await tokenize('```duibiao\n等级 社区 { 标准型 { 得分 >= 75 } }\n```\n不是代码 所有', 'markdown.duibiao.codeblock');
  const scope = (text) => tokens.find((t) => t.text === text)?.scopes.join(' ') ?? '';
  assert.match(scope('等级'), /meta\.embedded\.block\.duibiao .*storage\.type\.declaration\.duibiao/);
  assert.match(scope('标准型'), /entity\.name\.function\.tier\.duibiao/);
  assert.doesNotMatch(tokens.filter((t) => t.line === 3).map((t) => t.scopes.join(' ')).join(' '), /duibiao\b(?!\.codeblock)/);
});
