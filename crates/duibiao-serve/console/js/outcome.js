// Reading the protocol's outcomes: whether a unit is vetoed or lacks data, its tier's label,
// the order of a kind's tiers, how many units reached each, verdicts and rounds in words.

import { h } from './dom.js';
import { t } from './i18n.js';

/** Whether a veto fired on `u` (an outcome's list of vetoes, or a summary's map of them). */
export function vetoed(u) {
  const v = u.vetoes || [];
  return Array.isArray(v) ? v.some((x) => x.fired === true) : Object.values(v).some((x) => x === true);
}

/** Whether data `u` needs is missing. */
export function lacking(u) {
  return (u.missing || []).length > 0 || u.rated === 'unknown';
}

/** `u`'s tier, or the words for none. */
export function tierLabel(tier) {
  return tier ?? t('no_tier');
}

/** The tiers of `kind` as the standard orders them in `units` (lowest first). */
export function tiersOf(units, kind) {
  const u = units.find((x) => x.kind === kind && x.tiers);
  return u ? Object.keys(u.tiers) : [];
}

/** The rank of `tier` among `kind`'s tiers: 0 for none, higher for better. */
export function rank(units, kind, tier) {
  return tier == null ? 0 : tiersOf(units, kind).indexOf(tier) + 1;
}

/** How many units of each kind reached each tier: `[{kind, tiers: [[tier|null, n]]}]`. */
export function counts(units) {
  const kinds = [...new Set(units.map((u) => u.kind))];
  return kinds.map((kind) => {
    const of = units.filter((u) => u.kind === kind);
    const tiers = [...tiersOf(units, kind).reverse(), null];
    return { kind, tiers: tiers.map((tier) => [tier, of.filter((u) => (u.tier ?? null) === tier).length]) };
  });
}

/** A verdict (`pass`, `fail`, `unknown`) in words. */
export function verdictText(v) {
  return { pass: t('pass'), fail: t('fail') }[v] ?? t('verdict_unknown');
}

/** A verdict as a coloured badge. */
export function verdictBadge(v) {
  return h('span', { class: `verdict ${v}` }, verdictText(v));
}

/** A stored round (`RoundInfo`) in words: its number, date and who submitted it. */
export function roundLabel(r) {
  return t('round_label', r.id, r.as_of, r.submitted_by);
}
