// The units page: counts per tier, the filters (kind, tier, veto, missing data, name) and the unit
// tree (street → community → 小区 …, by each unit's parent) with each unit's score and tier.

import { h, fill } from './dom.js';
import { t } from './i18n.js';
import { state } from './state.js';
import { vetoed, lacking, tierLabel, counts } from './outcome.js';
import { filters, matches, kept } from './filters.js';

/** A unit's row: its name (a link to its page), kind, score, tier and flags; faint when only kept for the tree. */
function row(u, shown) {
  return h('div', { class: shown ? 'row' : 'row context' },
    h('span', { class: 'name' }, h('a', { href: `#/unit/${encodeURIComponent(u.id)}`, 'data-unit': u.id }, u.name || u.id), ' ', h('span', { class: 'muted' }, u.id)),
    h('span', { class: 'kind' }, u.kind),
    h('span', { class: 'score' }, u.score ?? '—'),
    h('span', { class: `tier ${u.tier ? 'has-tier' : 'no-tier'}` }, tierLabel(u.tier)),
    h('span', { class: 'flags' },
      vetoed(u) && h('span', { class: 'flag veto' }, t('veto')),
      lacking(u) && h('span', { class: 'flag unknown' }, t('unknown'))));
}

/** The tree under `parent` as a list, keeping units that match or hold a unit that does. */
function tree(units, parent, keep) {
  const children = units.filter((u) => (u.parent ?? null) === parent && keep.has(u.id));
  if (!children.length) return null;
  return h('ul', { role: parent === null ? null : 'group' }, children.map((u) =>
    h('li', {}, row(u, matches(u)), tree(units, u.id, keep))));
}

/** The filters; the text redraws the tree as it is typed, the others the page (and keep the focus). */
function controls(units, redraw, again) {
  const tiers = [...new Set(units.map((u) => u.tier).filter(Boolean))];
  const set = (k) => (e) => {
    const { id, type } = e.target;
    filters[k] = type === 'checkbox' ? e.target.checked : e.target.value;
    if (k === 'text') redraw();
    else again().then(() => document.getElementById(id)?.focus());
  };
  return h('fieldset', { class: 'filters' },
    h('legend', {}, t('filter')),
    h('label', { for: 'f-kind' }, t('col_kind')),
    h('select', { id: 'f-kind', onchange: set('kind') },
      h('option', { value: '*', selected: filters.kind === '*' }, t('filter_all')),
      [...new Set(units.map((u) => u.kind))].map((k) => h('option', { value: k, selected: filters.kind === k }, k))),
    h('label', { for: 'f-tier' }, t('filter_tier')),
    h('select', { id: 'f-tier', onchange: set('tier') },
      h('option', { value: '*', selected: filters.tier === '*' }, t('filter_all')),
      tiers.map((x) => h('option', { value: x, selected: filters.tier === x }, x)),
      h('option', { value: '', selected: filters.tier === '' }, t('filter_no_tier'))),
    h('label', { class: 'check' }, h('input', { type: 'checkbox', id: 'f-veto', checked: filters.veto, onchange: set('veto') }), t('filter_veto')),
    h('label', { class: 'check' }, h('input', { type: 'checkbox', id: 'f-unknown', checked: filters.unknown, onchange: set('unknown') }), t('filter_unknown')),
    h('label', { for: 'f-text' }, t('filter_text')),
    h('input', { id: 'f-text', type: 'search', value: filters.text, oninput: set('text') }));
}

/** How many units of each kind reached each tier, each count a button filtering by it. */
function countTable(units, again) {
  return h('section', { 'aria-labelledby': 'counts-title' },
    h('h2', { id: 'counts-title' }, t('counts')),
    h('table', { class: 'counts' },
      h('tbody', {}, counts(units).map(({ kind, tiers }) => h('tr', {},
        h('th', { scope: 'row' }, kind),
        h('td', {}, tiers.map(([tier, n]) => {
          const id = `chip-${kind}-${tier ?? ''}`;
          const on = filters.kind === kind && filters.tier === (tier ?? '');
          return h('button', {
            type: 'button', id, class: `chip ${tier ? 'has-tier' : 'no-tier'}`,
            'aria-pressed': String(on),
            onclick: () => {
              [filters.kind, filters.tier] = on ? ['*', '*'] : [kind, tier ?? ''];
              again().then(() => document.getElementById(id)?.focus());
            },
          }, `${tierLabel(tier)} ${n}`);
        })))))));
}

/** Draws the units page into `main`. */
export async function unitsPage(main) {
  const outcome = state.outcome;
  if (!outcome) {
    fill(main, h('p', {}, t('nothing')));
    return;
  }
  const units = outcome.units;
  const list = h('div', { class: 'tree', id: 'tree' });
  const count = h('p', { class: 'muted', id: 'shown', 'aria-live': 'polite' });
  const redraw = () => {
    const keep = kept(units);
    fill(count, t('shown', units.filter((u) => matches(u)).length, units.length));
    fill(list,
      h('div', { class: 'row head', 'aria-hidden': 'true' },
        ['col_unit', 'col_kind', 'col_score', 'col_tier', 'col_flags'].map((k) => h('span', {}, t(k)))),
      tree(units, null, keep) || h('p', {}, t('none')));
  };
  redraw();
  const again = () => unitsPage(main);
  fill(main,
    h('h2', {}, t('units'), ' ', h('span', { class: 'muted' }, `${t('as_of')} ${outcome.as_of ?? ''}`)),
    countTable(units, again),
    controls(units, redraw, again),
    count,
    list);
}
