// The console's logic outside the browser (node:test): the string tables, reading outcomes,
// the tree's filters and the numbers charts draw. The pages themselves are tested by the
// journey in journey.mjs.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tables, t } from '../console/js/i18n.js';
import { vetoed, lacking, tiersOf, rank, counts, tierLabel, verdictText, roundLabel } from '../console/js/outcome.js';
import { matches, kept } from '../console/js/filters.js';
import { amount } from '../console/js/charts.js';

const placeholders = (text) => [...text.matchAll(/\{(\d+)\}/g)].map((m) => m[1]).sort().join(',');

test('the two string tables have the same keys, and each string the same placeholders', () => {
  assert.deepEqual(Object.keys(tables.en), Object.keys(tables.zh));
  for (const [key, zh] of Object.entries(tables.zh)) {
    assert.equal(placeholders(tables.en[key]), placeholders(zh), key);
    assert.ok(zh.trim() && tables.en[key].trim(), key);
  }
  assert.equal(t('shown', 3, 18), '显示 3 / 18 个单位');
});

/** Units as `evaluate` answers them (only what the console reads), after the haiyan demo. */
const tiers = (std, shi) => ({ 标准型: std, 示范型: shi });
const units = [
  { id: 'JD', kind: '街道', parent: null, tier: '标准型', tiers: tiers('pass', 'fail'), vetoes: [], missing: [] },
  { id: 'SQ1', name: '城东社区', kind: '社区', parent: 'JD', tier: '示范型', tiers: tiers('pass', 'pass'), vetoes: [], missing: [] },
  { id: 'SQ2', name: '城西社区', kind: '社区', parent: 'JD', tier: '标准型', tiers: tiers('pass', 'fail'), vetoes: [], missing: [] },
  { id: 'XQ21', name: '翠竹苑', kind: '小区', parent: 'SQ2', tier: '标准型', tiers: tiers('pass', 'fail'), vetoes: [{ name: '一票否决事项', fired: true }], missing: [] },
  { id: 'XQ22', name: '银湾小区', kind: '小区', parent: 'SQ2', tier: null, tiers: tiers('unknown', 'fail'), vetoes: [{ name: '一票否决事项', fired: null }], missing: ['13.1'] },
];
const all = { kind: '*', tier: '*', veto: false, unknown: false, text: '' };

test('vetoes and missing data are read from outcomes and from summaries', () => {
  assert.deepEqual(units.map(vetoed), [false, false, false, true, false]);
  assert.equal(vetoed({ vetoes: { 一票否决事项: true } }), true);
  assert.equal(vetoed({ vetoes: { 一票否决事项: null } }), false);
  assert.deepEqual(units.map(lacking), [false, false, false, false, true]);
  assert.equal(lacking({ missing: [], rated: 'unknown' }), true);
});

test('tiers are ranked as the standard orders them, lowest first; counts list them highest first', () => {
  assert.deepEqual(tiersOf(units, '社区'), ['标准型', '示范型']);
  assert.deepEqual([null, '标准型', '示范型'].map((x) => rank(units, '社区', x)), [0, 1, 2]);
  assert.deepEqual(counts(units), [
    { kind: '街道', tiers: [['示范型', 0], ['标准型', 1], [null, 0]] },
    { kind: '社区', tiers: [['示范型', 1], ['标准型', 1], [null, 0]] },
    { kind: '小区', tiers: [['示范型', 0], ['标准型', 1], [null, 1]] },
  ]);
  assert.equal(tierLabel(null), '未达等级');
  assert.deepEqual(['pass', 'fail', 'unknown'].map(verdictText), ['满足', '不满足', '未知']);
  assert.equal(roundLabel({ id: 2, as_of: '2022-12-31', submitted_by: '海盐县评审组' }), '第 2 轮 · 2022-12-31 · 海盐县评审组');
});

test('the filters keep what matches and every unit above it', () => {
  const ids = (f) => units.filter((u) => matches(u, f)).map((u) => u.id);
  assert.deepEqual(ids(all), ['JD', 'SQ1', 'SQ2', 'XQ21', 'XQ22']);
  assert.deepEqual(ids({ ...all, veto: true }), ['XQ21']);
  assert.deepEqual([...kept(units, { ...all, veto: true })].sort(), ['JD', 'SQ2', 'XQ21']);
  assert.deepEqual(ids({ ...all, unknown: true }), ['XQ22']);
  assert.deepEqual(ids({ ...all, tier: '' }), ['XQ22']);
  assert.deepEqual(ids({ ...all, kind: '社区', tier: '标准型' }), ['SQ2']);
  assert.deepEqual(ids({ ...all, text: ' 城西 ' }), ['SQ2']);
  assert.deepEqual(ids({ ...all, text: 'xq2' }), ['XQ21', 'XQ22']);
  assert.deepEqual([...kept(units, { ...all, text: 'nothing' })], []);
});

test('charts draw decimal texts and percentages, and nothing for what is not a number', () => {
  assert.deepEqual(['92.5', '30%', 6, '0', null, '', 'abc'].map(amount), [92.5, 30, 6, 0, null, null, null]);
});
