// Problems as the service reports them (coded, Chinese and English, with where they are).

import { h, fill } from './dom.js';
import { t, pick } from './i18n.js';

/** Where a problem is: `file line:col`, `input unit key`, or `sheet!cell`. */
function where(l) {
  if (!l) return '';
  if (l.type === 'source') return `${l.file} ${l.line}:${l.column}`;
  if (l.sheet) return `${l.sheet}!${l.cell ?? ''}`;
  return [l.input, l.unit, l.key].filter(Boolean).join(' · ');
}

/** Shows the error `e` (an ApiError's problems, or its message) in `main`. */
export function showProblems(main, e) {
  const problems = e.problems || [];
  fill(main,
    h('section', { class: 'problems', role: 'alert', 'aria-labelledby': 'problems-title' },
      h('h2', { id: 'problems-title' }, t('error')),
      problems.length
        ? h('ul', {}, problems.map((p) => h('li', {},
          h('code', {}, p.code), ' ', pick(p.message),
          p.location && h('span', { class: 'muted' }, ` (${where(p.location)})`),
          p.help && h('p', { class: 'muted' }, pick(p.help)))))
        : h('p', {}, String(e.message || e))));
}
