// The console's shell: the header with its pages and language switch, the data panel (a
// standard, a round or an upload; submitting a round; the xlsx download), the page shown
// (chosen by the address's fragment: #/units, #/unit/ID, #/charts, #/compare) and a status
// line read out by screen readers.

import { h, fill } from './dom.js';
import { t, choose, current } from './i18n.js';
import { resultsXlsx, xlsxServed } from './api.js';
import { roundLabel } from './outcome.js';
import { state, onChange, loadStandards, chooseStandard, chooseRound, upload, submit } from './state.js';
import { status, busy as run } from './status.js';
import { unitsPage } from './units.js';
import { unitPage } from './unit.js';
import { chartsPage } from './charts-page.js';
import { comparePage } from './compare.js';

const root = document.getElementById('app');
const main = h('main', { id: 'main', tabindex: '-1' });
const panel = h('section', { class: 'panel', 'aria-labelledby': 'source-title' });

/** Runs `f` under the status line; its problems are shown in the page. */
const busy = (f) => run(main, f);

const pages = [
  ['units', 'nav_units'],
  ['charts', 'nav_charts'],
  ['compare', 'nav_compare'],
];

/** The header: the title, the pages and the language switch. */
function header() {
  const page = location.hash.split('/')[1] || 'units';
  return h('header', { class: 'top' },
    h('a', { class: 'skip', href: '#main', onclick: (e) => { e.preventDefault(); main.focus(); } }, t('skip')),
    h('h1', {}, t('title')),
    h('nav', { 'aria-label': t('nav') },
      h('ul', {}, pages.map(([p, key]) => h('li', {},
        h('a', { href: `#/${p}`, 'aria-current': page === p || (p === 'units' && page === 'unit') ? 'page' : null }, t(key)))))),
    h('button', {
      type: 'button', id: 'lang', lang: current() === 'zh' ? 'en' : 'zh-CN',
      title: t('lang_switch_label'),
      onclick: () => { choose(current() === 'zh' ? 'en' : 'zh'); render(); },
    }, t('lang_switch')));
}

/** The download link for the round shown, replaced by a message when the service cannot make it. */
function download() {
  const box = h('p', { class: 'download' });
  if (!state.round) {
    fill(box, h('span', { class: 'muted', id: 'download-state' }, t('download_round')));
    return box;
  }
  const id = state.round.id;
  // The service names the file (Content-Disposition, in UTF-8).
  const link = h('a', { id: 'download', href: resultsXlsx(id), download: '' }, t('download'));
  fill(box, link);
  xlsxServed(id).then((ok) => {
    if (!ok && state.round?.id === id) {
      fill(box, h('span', { class: 'muted', id: 'download-state', 'aria-disabled': 'true' }, t('download_off')));
    }
  }, () => {});
  return box;
}

/** A control with its label, kept together on one line. */
function field(id, label, control) {
  return h('span', { class: 'field' }, h('label', { for: id }, label), control);
}

/** The data panel: what is shown, where it comes from, and what can be done with it. */
function source() {
  const who = h('input', { id: 'who', type: 'text', required: true, value: localStorage.getItem('duibiao.who') || '', autocomplete: 'name' });
  const loaded = state.round
    ? t('round_loaded', state.round.id, state.round.as_of, state.round.submitted_by)
    : state.facts ? t('upload_loaded', state.facts.name) : t('nothing');
  return fill(panel,
    h('h2', { id: 'source-title' }, t('source')),
    h('div', { class: 'fields' },
      field('standard', t('standard'), h('select', {
        id: 'standard',
        onchange: (e) => busy(() => chooseStandard(e.target.value)),
      }, state.standards.map((s) => h('option', { value: s.standard, selected: s.standard === state.slug }, `${s.title || s.standard} (${s.standard})`)))),
      field('round', t('round'), h('select', {
        id: 'round',
        onchange: (e) => busy(() => (e.target.value ? chooseRound(e.target.value) : chooseStandard(state.slug))),
      },
      h('option', { value: '' }, t('round_none')),
      state.rounds.map((r) => h('option', { value: r.id, selected: state.round?.id === r.id }, roundLabel(r))))),
      field('upload', t('upload'), h('input', {
        id: 'upload', type: 'file', accept: '.json,.xlsx,application/json,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        onchange: (e) => e.target.files[0] && busy(() => upload(e.target.files[0])),
      }))),
    h('p', { class: 'loaded', id: 'loaded' }, loaded),
    state.facts && !state.round && h('form', {
      class: 'fields submit',
      onsubmit: (e) => {
        e.preventDefault();
        localStorage.setItem('duibiao.who', who.value);
        busy(async () => t('submitted', (await submit(who.value)).id));
      },
    }, field('who', t('submitted_by'), who), h('button', { type: 'submit', id: 'submit' }, t('submit'))),
    download());
}

/** Draws the page the fragment names. */
function view() {
  const [, page, arg] = location.hash.split('/');
  const draw = { unit: unitPage, charts: chartsPage, compare: comparePage }[page] || unitsPage;
  return busy(() => draw(main, decodeURIComponent(arg || '')));
}

/** Draws everything again (after the language changes). */
function render() {
  document.title = t('title');
  fill(root, header(), panel, main, status);
  source();
  view();
}

onChange(() => { source(); view(); });
// A new page takes the focus (read out from its start), as a page loaded anew would.
window.addEventListener('hashchange', () => {
  root.querySelector('header').replaceWith(header());
  view().then(() => main.focus({ preventScroll: true }));
});

choose(current());
render();
busy(() => loadStandards(new URLSearchParams(location.search).get('standard')));
