// A small SVG chart: grouped horizontal bars, one group per category and one bar per series,
// with its numbers also given as a table (for screen readers and for copying).

import { h, s } from './dom.js';
import { t } from './i18n.js';

let charts = 0;

/** A number to draw from a decimal text (`92.5`, `30%`) or a number; null when it is not one. */
export function amount(v) {
  if (v === null || v === undefined || v === '') return null;
  const n = Number(String(v).replace(/%$/, ''));
  return Number.isFinite(n) ? n : null;
}

/**
 * A bar chart: `title`, `categories` (labels), `series` (`{name, values, cls}`: one value per
 * category, a number, a decimal text or null) and an optional `note` under it.
 */
export function barChart({ title, categories, series, note }) {
  const id = `chart-${++charts}`;
  const bar = 14;
  const gap = 10;
  const labelW = Math.min(300, 40 + 12 * Math.max(...categories.map((c) => c.length)));
  const width = 640;
  const plotW = width - labelW - 70;
  const groupH = series.length * bar + gap;
  const legendH = 24;
  const height = legendH + categories.length * groupH + 8;
  const max = Math.max(1, ...series.flatMap((x) => x.values.map(amount).filter((v) => v !== null)));
  const svg = s('svg', {
    viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-labelledby': `${id}-t`, class: 'chart',
  },
  s('title', { id: `${id}-t` }, title),
  series.map((x, i) => s('g', { transform: `translate(${labelW + i * 130},4)` },
    s('rect', { width: 12, height: 12, class: `bar ${x.cls}` }),
    s('text', { x: 16, y: 11, class: 'legend' }, x.name))),
  categories.map((c, ci) => {
    const y = legendH + ci * groupH;
    return s('g', { transform: `translate(0,${y})` },
      s('text', { x: labelW - 6, y: (series.length * bar) / 2 + 4, 'text-anchor': 'end', class: 'label' }, c),
      series.map((x, si) => {
        const v = amount(x.values[ci]);
        const w = v === null ? 0 : Math.max(1, (v / max) * plotW);
        return s('g', { transform: `translate(${labelW},${si * bar})` },
          s('rect', { width: w.toFixed(1), height: bar - 2, class: `bar ${x.cls}` }),
          s('text', { x: (w + 4).toFixed(1), y: bar - 4, class: 'value' }, v === null ? '—' : String(x.values[ci])));
      }));
  }));
  const table = h('table', { class: 'data' },
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, ''), series.map((x) => h('th', { scope: 'col' }, x.name)))),
    h('tbody', {}, categories.map((c, ci) => h('tr', {},
      h('th', { scope: 'row' }, c), series.map((x) => h('td', {}, x.values[ci] ?? '—'))))));
  return h('figure', { class: 'figure' }, svg,
    h('figcaption', {}, title, note && h('span', { class: 'muted' }, ` · ${note}`)),
    h('details', {}, h('summary', {}, t('numbers')), table));
}
