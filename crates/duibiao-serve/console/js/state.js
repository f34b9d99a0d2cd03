// What the console has loaded: the standards served, the chosen standard and its rounds, and
// the facts shown (a stored round's, or an uploaded file sent as it is with its own type) with
// their evaluation and progress. Views read it and listen for `change`.

import { api, jsonBody } from './api.js';

/** The loaded data. */
export const state = {
  standards: [],
  slug: null,
  rounds: [],
  /** The round shown (`RoundInfo`), or null for an upload. */
  round: null,
  /** The facts shown: `{bytes, type, name}`. */
  facts: null,
  /** The protocol's response to `evaluate` with conditions, or null. */
  outcome: null,
  /** The protocol's response to `progress`, or null. */
  progress: null,
};

const events = new EventTarget();

/** Calls `f` whenever what is loaded changes. */
export function onChange(f) {
  events.addEventListener('change', f);
}

/** Tells the views that what is loaded changed. */
function changed() {
  events.dispatchEvent(new Event('change'));
}

/** Loads the standards served and chooses the first (or the one asked for). */
export async function loadStandards(wanted) {
  const r = await api.standards();
  state.standards = r.standards.filter((x) => x.standard);
  const slugs = state.standards.map((x) => x.standard);
  await chooseStandard(slugs.includes(wanted) ? wanted : slugs[0] ?? null);
}

/** Chooses the standard `slug`: its rounds are listed, nothing is shown yet. */
export async function chooseStandard(slug) {
  state.slug = slug;
  state.round = null;
  state.facts = null;
  state.outcome = null;
  state.progress = null;
  await refreshRounds();
  changed();
}

/** Lists the chosen standard's rounds again. */
async function refreshRounds() {
  state.rounds = state.slug ? (await api.rounds(state.slug)).rounds : [];
}

/** Evaluates the facts shown (and their progress). */
async function evaluate() {
  const [outcome, progress] = await Promise.all([
    api.evaluate(state.slug, state.facts),
    api.progress(state.slug, state.facts),
  ]);
  state.outcome = outcome;
  state.progress = progress;
  changed();
}

/** Shows the stored round `id`: its facts, outcome and progress as stored. */
export async function chooseRound(id) {
  const r = await api.round(id);
  state.round = r.round;
  state.facts = { ...jsonBody(r.facts), name: `round-${id}.json` };
  state.outcome = r.outcome;
  state.progress = r.progress;
  changed();
}

/**
 * Shows an uploaded file: its bytes are sent as they are, with the file's type. When the
 * service turns it down, nothing is shown and its problems are thrown.
 */
export async function upload(file) {
  const type = file.type || (file.name.endsWith('.xlsx')
    ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
    : 'application/json');
  state.round = null;
  state.facts = { bytes: await file.arrayBuffer(), type, name: file.name };
  try {
    await evaluate();
  } catch (e) {
    state.facts = null;
    state.outcome = null;
    state.progress = null;
    changed();
    throw e;
  }
}

/** Stores the facts shown as a new round submitted by `who`, and shows that round. */
export async function submit(who) {
  const r = await api.submit(state.slug, state.facts, { submitted_by: who });
  await refreshRounds();
  await chooseRound(r.round.id);
  return r.round;
}
