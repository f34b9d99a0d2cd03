// The unit tree's filters: which units match (kind, tier, vetoed, lacking data, name or id) and
// which are kept to show them in the tree (those that match and every unit above them).

import { vetoed, lacking } from './outcome.js';

/** The filters, kept while the console is open: `*` is any kind or tier, `''` no tier. */
export const filters = { kind: '*', tier: '*', veto: false, unknown: false, text: '' };

/** Whether `u` passes the filters `f`. */
export function matches(u, f = filters) {
  if (f.kind !== '*' && u.kind !== f.kind) return false;
  if (f.tier !== '*' && (u.tier ?? '') !== f.tier) return false;
  if (f.veto && !vetoed(u)) return false;
  if (f.unknown && !lacking(u)) return false;
  const q = f.text.trim().toLowerCase();
  return !q || u.id.toLowerCase().includes(q) || (u.name || '').toLowerCase().includes(q);
}

/** The ids of the units of `units` that match `f`, and of every unit above them. */
export function kept(units, f = filters) {
  const byId = new Map(units.map((u) => [u.id, u]));
  const keep = new Set();
  for (const u of units.filter((x) => matches(x, f))) {
    for (let x = u; x && !keep.has(x.id); x = byId.get(x.parent)) keep.add(x.id);
  }
  return keep;
}
