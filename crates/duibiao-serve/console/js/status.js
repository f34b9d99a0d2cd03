// The status line (read out by screen readers) and running a piece of work under it: its
// problems, if it fails, are shown in the page.

import { h } from './dom.js';
import { t } from './i18n.js';
import { showProblems } from './problems.js';

/** The status line. */
export const status = h('p', { id: 'status', class: 'status', role: 'status', 'aria-live': 'polite' });

/**
 * Runs `f`, saying so in the status line (then what `f` answers, when it is text), and shows
 * its problems in `where` if it fails.
 */
export async function busy(where, f) {
  status.textContent = t('loading');
  try {
    const said = await f();
    // Work that says nothing leaves what other work said since it began.
    if (typeof said === 'string') status.textContent = said;
    else if (status.textContent === t('loading')) status.textContent = '';
  } catch (e) {
    status.textContent = t('error');
    showProblems(where, e);
  }
}
