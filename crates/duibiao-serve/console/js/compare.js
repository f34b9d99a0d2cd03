// Comparing two stored rounds: who moved up, who moved down, whose score or conditions changed
// without a change of tier, and why (the tier verdicts and conditions that flipped), and the
// targets whose status changed.

import { h, fill } from './dom.js';
import { t } from './i18n.js';
import { api } from './api.js';
import { state } from './state.js';
import { busy } from './status.js';
import { tierLabel, rank, verdictText, verdictBadge, roundLabel } from './outcome.js';


/** Why a unit changed: each tier verdict and condition that flipped, before → after. */
function why(d) {
  const flips = [...Object.entries(d.tiers), ...Object.entries(d.conditions)];
  if (!flips.length) return null;
  return h('ul', { class: 'because', 'aria-label': t('because') }, flips.map(([what, [a, b]]) =>
    h('li', {}, what, '：', verdictBadge(a), ' → ', verdictBadge(b))));
}

/** One unit that changed: its tier and score before and after, and why. */
function unitDiff(d) {
  return h('li', { 'data-unit': d.id },
    h('strong', {}, `${d.name || d.id} (${d.id})`), ' ', h('span', { class: 'muted' }, d.kind),
    d.tier && h('span', {}, ` · ${t('col_tier')} ${tierLabel(d.tier[0])} → ${tierLabel(d.tier[1])}`),
    d.score && h('span', {}, ` · ${t('col_score')} ${d.score[0] ?? '—'} → ${d.score[1] ?? '—'}`),
    why(d));
}

/** A group of units that changed (moved up, moved down, or neither). */
function group(id, title, list) {
  return h('section', { 'aria-labelledby': id, id: `${id}-list` },
    h('h3', { id }, `${title} (${list.length})`),
    list.length ? h('ul', { class: 'moves' }, list.map(unitDiff)) : h('p', { class: 'muted' }, t('none')));
}

/** Compares round `before` with round `after` into `out`. */
async function compare(before, after, out) {
  const [r, later] = await Promise.all([api.diff(before, after), api.round(after)]);
  const units = later.outcome.units;
  const move = (d) => (d.tier ? Math.sign(rank(units, d.kind, d.tier[1]) - rank(units, d.kind, d.tier[0])) : 0);
  const changed = r.changed;
  fill(out,
    changed.length ? [
      group('up', t('moved_up'), changed.filter((d) => move(d) > 0)),
      group('down', t('moved_down'), changed.filter((d) => move(d) < 0)),
      group('same', t('changed'), changed.filter((d) => move(d) === 0)),
    ] : h('p', {}, t('compare_none')),
    r.targets.length > 0 && h('section', { 'aria-labelledby': 'targets-moved' },
      h('h3', { id: 'targets-moved' }, t('targets_changed')),
      h('ul', {}, r.targets.map((x) => h('li', {}, `${x.name} (${t('target_due', x.due)})：${x.before ? verdictText(x.before) : '—'} → ${x.after ? verdictText(x.after) : '—'}`)))));
  return t('compare');
}

/** Draws the comparison page into `main`. */
export async function comparePage(main) {
  const rounds = state.rounds;
  if (rounds.length < 2) {
    fill(main, h('h2', {}, t('compare')), h('p', {}, t('compare_need')));
    return;
  }
  const pick = (id, label, chosen) => [h('label', { for: id }, label), h('select', { id },
    rounds.map((r) => h('option', { value: r.id, selected: r.id === chosen }, roundLabel(r))))];
  const out = h('div', { id: 'compare-out', 'aria-live': 'polite' });
  const [a, b] = [rounds[rounds.length - 2].id, rounds[rounds.length - 1].id];
  fill(main,
    h('h2', {}, t('compare')),
    h('form', {
      class: 'fields',
      onsubmit: (e) => {
        e.preventDefault();
        busy(out, () => compare(main.querySelector('#before').value, main.querySelector('#after').value, out));
      },
    }, pick('before', t('before'), a), pick('after', t('after'), b), h('button', { type: 'submit', id: 'compare-run' }, t('compare_run'))),
    out);
}
