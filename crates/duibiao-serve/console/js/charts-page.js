// The targets and tiers page: every target due with its status and clause; the quotas
// (required against actual, per unit or overall, by due date) as one chart; the distribution
// of tiers per kind of unit; and a kind's tiers over the stored rounds, by date.

import { h, fill } from './dom.js';
import { t } from './i18n.js';
import { api } from './api.js';
import { state } from './state.js';
import { barChart, amount } from './charts.js';
import { counts, tierLabel, verdictBadge, roundLabel } from './outcome.js';


/** The targets due, one row each: status, what it asks, its clause, and how each unit stands. */
function targets(list) {
  const cell = (r) => `${r.name || r.unit || t('overall')}${r.actual != null ? ` ${r.actual}${r.required != null ? ` / ${r.required}` : ''}` : ''}`;
  return h('table', { class: 'targets', id: 'targets' },
    h('thead', {}, h('tr', {}, ['target', 'due', 'status', 'clause', 'rows'].map((k) => h('th', { scope: 'col' }, t(`col_${k}`))))),
    h('tbody', {}, list.map((x) => h('tr', { class: 'target' },
      h('th', { scope: 'row' }, x.name, x.soft && h('span', { class: 'muted' }, ` ${t('target_soft')}`), h('div', { class: 'muted small' }, x.text || x.expr)),
      h('td', {}, x.due),
      h('td', {}, verdictBadge(x.status)),
      h('td', { class: 'clause' }, x.clause ?? ''),
      h('td', {}, x.rows.map((r) => h('div', {}, verdictBadge(r.verdict), ' ', cell(r))))))));
}

/** The quotas: every row of a target that has a number, required against actual. */
function quotas(list) {
  const rows = list.flatMap((x) => x.rows
    .filter((r) => amount(r.actual) !== null && amount(r.required) !== null)
    .map((r) => ({ label: `${x.due} ${x.name} · ${r.name || r.unit || t('overall')}`, r })));
  if (!rows.length) return null;
  return barChart({
    title: t('quotas', state.progress.as_of),
    categories: rows.map((x) => x.label),
    series: [
      { name: t('required'), values: rows.map((x) => x.r.required), cls: 'required' },
      { name: t('actual_bar'), values: rows.map((x) => x.r.actual), cls: 'actual' },
    ],
  });
}

/** The tiers of every kind: one group per kind, one bar per tier. */
function distribution(units) {
  const all = counts(units);
  const tiers = [...new Set(all.flatMap((c) => c.tiers.map(([tier]) => tier)))];
  return barChart({
    title: `${t('distribution')} (${t('as_of')} ${state.outcome.as_of ?? ''})`,
    categories: all.map((c) => c.kind),
    series: tiers.map((tier, i) => ({
      name: tierLabel(tier),
      values: all.map((c) => c.tiers.find(([x]) => x === tier)?.[1] ?? 0),
      cls: `s${i % 4}`,
    })),
  });
}

/** The tiers of `kind` in each stored round, by date. */
function history(rounds, kind) {
  const tiers = [...new Set(rounds.flatMap((r) => r.tiers.filter((c) => c.kind === kind).map((c) => c.tier ?? null)))];
  return barChart({
    title: `${t('history')} · ${kind}`,
    categories: rounds.map((r) => roundLabel(r.round)),
    series: tiers.map((tier, i) => ({
      name: tierLabel(tier),
      values: rounds.map((r) => r.tiers.find((c) => c.kind === kind && (c.tier ?? null) === tier)?.units ?? 0),
      cls: `s${i % 4}`,
    })),
  });
}

/** The tiers over the stored rounds, with the kind to show. */
function historyPart(rounds) {
  if (!rounds.length) return h('p', {}, t('history_none'));
  // The kinds in the order of the units shown (street first), then any other a round has.
  const stored = new Set(rounds.flatMap((r) => r.tiers.map((c) => c.kind)));
  const kinds = [...new Set([...state.outcome.units.map((u) => u.kind), ...stored])].filter((k) => stored.has(k));
  const out = h('div', { id: 'history-chart' }, history(rounds, kinds[0]));
  return [
    h('p', { class: 'fields' },
      h('label', { for: 'history-kind' }, t('col_kind')),
      h('select', { id: 'history-kind', onchange: (e) => fill(out, history(rounds, e.target.value)) },
        kinds.map((k) => h('option', { value: k }, k)))),
    out,
  ];
}

/** Draws the targets and tiers page into `main`. */
export async function chartsPage(main) {
  if (!state.outcome || !state.progress) {
    fill(main, h('p', {}, t('nothing')));
    return;
  }
  const past = state.slug ? (await api.history(state.slug)).rounds : [];
  const due = state.progress.targets;
  fill(main,
    h('h2', {}, t('charts'), ' ', h('span', { class: 'muted' }, `${t('as_of')} ${state.progress.as_of}`)),
    h('section', { 'aria-labelledby': 'quotas-title' },
      h('h2', { id: 'quotas-title' }, t('quotas_title')),
      quotas(due) || h('p', {}, t('none'))),
    h('div', { class: 'two' },
      h('section', { 'aria-labelledby': 'dist-title' },
        h('h2', { id: 'dist-title' }, t('distribution')),
        distribution(state.outcome.units)),
      h('section', { 'aria-labelledby': 'history-title' },
        h('h2', { id: 'history-title' }, t('history')),
        historyPart(past))),
    h('section', { 'aria-labelledby': 'targets-title' },
      h('h2', { id: 'targets-title' }, t('targets')),
      due.length ? targets(due) : h('p', {}, t('none'))));
}
