// A unit's page: its score and tier, the cited explanation (the conditions of the tiers it
// reaches and of those it does not), the data it lacks, its vetoes, its score sheet, and the
// gap plan to a chosen tier with "apply": the facts evaluated with the plan's assignments,
// shown beside the real result.

import { h, fill } from './dom.js';
import { t, current } from './i18n.js';
import { api } from './api.js';
import { state } from './state.js';
import { tierLabel, tiersOf, rank, verdictBadge } from './outcome.js';
import { busy } from './status.js';

/** A clause citation, with the clause's words when the standard quotes them. */
function cite(clause, words) {
  if (!clause) return null;
  return h('cite', { class: 'clause', title: words || null }, `${t('clause')} ${clause}`, words && h('span', { class: 'clause-text' }, ` “${words}”`));
}

/** One condition: its verdict, what it says, the actual value against what it needs, its clause. */
function condition(c) {
  const need = c.op && c.threshold != null ? `${t('needs')} ${c.op} ${c.threshold}` : null;
  return h('li', { class: `condition ${c.verdict}` },
    verdictBadge(c.verdict), ' ',
    h('span', { class: 'what' }, c.text || c.label || c.expr),
    (c.actual != null || need) && h('span', { class: 'muted' }, ` (${[c.actual != null && `${t('actual')} ${c.actual}`, need].filter(Boolean).join('，')})`),
    c.missing?.length > 0 && h('span', { class: 'flag unknown' }, `${t('missing')}: ${c.missing.join('、')}`),
    ' ', cite(c.clause, c.clause_text));
}

/** The conditions of each tier, split into those reached and those not. */
function explanation(u, text) {
  const tiers = Object.entries(u.conditions);
  const part = (id, title, wanted) => {
    const here = tiers.filter(([tier]) => wanted(u.tiers[tier]));
    return h('section', { 'aria-labelledby': id, class: 'why' },
      h('h3', { id }, title),
      here.length ? here.map(([tier, cs]) => h('div', { class: 'tier-conditions' },
        h('h4', {}, tier, ' ', verdictBadge(u.tiers[tier])),
        h('ul', {}, cs.map(condition)))) : h('p', { class: 'muted' }, t('none')));
  };
  return h('section', { 'aria-labelledby': 'explain-title', id: 'explanation' },
    h('h2', { id: 'explain-title' }, t('explanation')),
    part('why-title', t('why'), (v) => v === 'pass'),
    part('why-not-title', t('why_not'), (v) => v === 'fail'),
    part('open-title', t('open'), (v) => v !== 'pass' && v !== 'fail'),
    u.requirements.map((g) => h('section', { class: 'why' },
      h('h3', {}, g.name, ' ', verdictBadge(g.verdict)), h('ul', {}, g.requirements.map(condition)))),
    h('details', {}, h('summary', {}, t('explain_text')), h('pre', { class: 'explain-text' }, text)));
}

/** The inputs the unit did not report. */
function missing(u) {
  return h('section', { 'aria-labelledby': 'missing-title', id: 'missing' },
    h('h2', { id: 'missing-title' }, t('missing')),
    u.missing.length ? h('ul', {}, u.missing.map((m) => h('li', {}, h('code', {}, m)))) : h('p', {}, t('missing_none')));
}

/** Each veto: whether it fired, the tiers it blocks, its clause. */
function vetoes(u) {
  const fired = (f) => (f === true ? t('veto_fired') : f === false ? t('veto_clear') : t('veto_unknown'));
  return h('section', { 'aria-labelledby': 'vetoes-title', id: 'vetoes' },
    h('h2', { id: 'vetoes-title' }, t('vetoes')),
    u.vetoes.length ? h('ul', {}, u.vetoes.map((v) => h('li', { class: v.fired ? 'fired' : '' },
      h('strong', {}, v.name), ' ', h('span', { class: v.fired ? 'flag veto' : 'muted' }, fired(v.fired)),
      v.blocks.length > 0 && h('span', { class: 'muted' }, ` · ${t('veto_blocks', v.blocks.join('、'))}`),
      ' ', cite(v.clause)))) : h('p', {}, t('vetoes_none')));
}

/** The score sheet: each item's points of its maximum, and its parts'. */
function items(u) {
  if (!u.items.length) return null;
  return h('section', { 'aria-labelledby': 'items-title' },
    h('h2', { id: 'items-title' }, t('items')),
    h('table', { class: 'items' }, h('tbody', {}, u.items.map((i) => h('tr', {},
      h('th', { scope: 'row' }, `${i.number}. ${i.title}`),
      h('td', {}, t('item_points', i.points ?? '—', i.max)),
      h('td', { class: 'muted' }, i.parts.map((p) => `${p.key}: ${p.points ?? '—'}/${p.max}`).join('  ')))))));
}

/** The assignments of a gap plan, as the `set` query parameter takes them. */
function assignments(changes) {
  return changes.map((c) => `${c.unit}.${c.key}=${JSON.stringify(c.to)}`);
}

/** The plan applied: the unit's real result beside the what-if, and every unit that moved. */
async function apply(u, plan, out) {
  const what = await api.evaluate(state.slug, state.facts, { set: assignments(plan.changes) });
  const after = new Map(what.units.map((x) => [x.id, x]));
  const w = after.get(u.id);
  const units = state.outcome.units;
  const moved = units.filter((x) => (after.get(x.id)?.tier ?? null) !== (x.tier ?? null));
  fill(out,
    h('table', { class: 'whatif', id: 'whatif' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('col_unit')), h('th', { scope: 'col' }, t('real')), h('th', { scope: 'col' }, t('whatif')))),
      h('tbody', {},
        h('tr', {}, h('th', { scope: 'row' }, t('col_score')), h('td', {}, u.score ?? '—'), h('td', {}, w?.score ?? '—')),
        h('tr', {}, h('th', { scope: 'row' }, t('col_tier')), h('td', { class: 'real-tier' }, tierLabel(u.tier)), h('td', { class: 'whatif-tier' }, tierLabel(w?.tier))))),
    h('h3', {}, t('whatif_moved')),
    moved.length ? h('ul', { id: 'moved' }, moved.map((x) => {
      const y = after.get(x.id);
      const up = rank(units, x.kind, y?.tier) > rank(units, x.kind, x.tier);
      return h('li', { class: up ? 'up' : 'down' }, `${x.name || x.id} (${x.id})：${tierLabel(x.tier)} → ${tierLabel(y?.tier)}`);
    })) : h('p', {}, t('whatif_same')));
  return t('whatif');
}

/** The gap plan to `tier`, with its "apply" button. */
async function gap(u, tier, out) {
  const plan = await api.gap(state.slug, state.facts, { unit: u.id, tier, lang: current() });
  const result = h('div', { class: 'whatif-box', 'aria-live': 'polite' });
  const change = (c) => h('li', {}, t('gap_change', c.unit, c.text ? `${c.key}（${c.text}）` : c.key, JSON.stringify(c.from), JSON.stringify(c.to)), ' ', cite(c.clause));
  const head = plan.current === plan.target && !plan.changes.length
    ? t('gap_none', plan.target)
    : plan.reachable ? t('gap_reachable', plan.target) : t('gap_unreachable', plan.target);
  fill(out,
    h('p', {}, head),
    plan.changes.length > 0 && h('ol', { id: 'plan' }, plan.changes.map(change)),
    plan.issues.length > 0 && [h('h3', {}, t('gap_issues', plan.target)), h('ul', { class: 'issues' }, plan.issues.map(condition))],
    plan.reasons.length > 0 && h('ul', { class: 'reasons' }, plan.reasons.map((r) => h('li', {}, r[current()] || r.zh))),
    plan.changes.length > 0 && h('button', { type: 'button', id: 'apply', onclick: () => busy(result, () => apply(u, plan, result)) }, t('apply')),
    result);
  return t('gap');
}

/** The gap plan's form: the tier to reach (the next one up by default) and its answer. */
function gapForm(u) {
  const tiers = tiersOf(state.outcome.units, u.kind);
  if (!tiers.length) return null;
  const above = tiers[rank(state.outcome.units, u.kind, u.tier)] ?? tiers[tiers.length - 1];
  const select = h('select', { id: 'gap-tier' }, tiers.map((x) => h('option', { value: x, selected: x === above }, x)));
  const out = h('div', { id: 'gap-out' });
  return h('section', { 'aria-labelledby': 'gap-title', id: 'gap' },
    h('h2', { id: 'gap-title' }, t('gap')),
    h('form', {
      class: 'fields',
      onsubmit: (e) => { e.preventDefault(); busy(out, () => gap(u, select.value, out)); },
    }, h('label', { for: 'gap-tier' }, t('gap_tier')), select, h('button', { type: 'submit', id: 'gap-run' }, t('gap_run'))),
    out);
}

/** Draws the page of unit `id` into `main`. */
export async function unitPage(main, id) {
  if (!state.outcome) {
    fill(main, h('p', {}, t('nothing')));
    return;
  }
  const r = await api.explain(state.slug, state.facts, { unit: id, lang: current() });
  const u = r.unit;
  const parent = state.outcome.units.find((x) => x.id === u.parent);
  fill(main,
    h('p', {}, h('a', { href: '#/units' }, `← ${t('back')}`)),
    h('h2', { id: 'unit-title' }, t('unit_title', u.name || u.id, u.id)),
    h('dl', { class: 'facts' },
      h('dt', {}, t('col_kind')), h('dd', {}, u.kind, parent && h('span', {}, ' · ', h('a', { href: `#/unit/${encodeURIComponent(parent.id)}` }, parent.name || parent.id))),
      h('dt', {}, t('col_score')), h('dd', {}, u.score ?? '—', u.score_total && ` / ${u.score_total}`),
      h('dt', {}, t('col_tier')), h('dd', { id: 'unit-tier', class: `tier ${u.tier ? 'has-tier' : 'no-tier'}` }, tierLabel(u.tier))),
    explanation(u, r.text),
    missing(u),
    vetoes(u),
    gapForm(u),
    items(u));
}
