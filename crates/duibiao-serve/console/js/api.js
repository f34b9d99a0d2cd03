// The service's HTTP API (docs/service.md, /openapi.json): every answer is the protocol's
// response; one whose `ok` is false, or whose status is not 2xx, is thrown as an ApiError
// carrying its problems.

/** A failed call: the HTTP status and the protocol's problems. */
export class ApiError extends Error {
  constructor(status, problems) {
    super(problems.map((p) => `${p.code}: ${p.message.en}`).join('; ') || `HTTP ${status}`);
    this.status = status;
    this.problems = problems;
  }
}

/** The query string of `params`: an object whose arrays are repeated keys. */
function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) {
    for (const x of Array.isArray(v) ? v : [v]) {
      if (x !== undefined && x !== null && x !== '') q.append(k, x);
    }
  }
  const text = q.toString();
  return text ? `?${text}` : '';
}

/**
 * Calls `method path` with `params` and `body` (`{bytes, type, name}`), answering the response.
 * An uploaded file's name is sent as the query parameter `file`: problems name it, and a round
 * keeps it.
 */
async function call(method, path, params, body) {
  const init = { method, headers: { Accept: 'application/json' } };
  if (body) {
    init.body = body.bytes;
    init.headers['Content-Type'] = body.type;
    if (body.name) params = { ...params, file: body.name };
  }
  const r = await fetch(path + query(params), init);
  let json = null;
  try {
    json = await r.json();
  } catch {
    throw new ApiError(r.status, []);
  }
  if (!r.ok || !json.ok) throw new ApiError(r.status, json.problems || []);
  return json;
}

/** A JSON body of `value`. */
export function jsonBody(value) {
  return { bytes: JSON.stringify(value), type: 'application/json' };
}

const std = (slug) => `/v1/standards/${encodeURIComponent(slug)}`;

/** The API, one function per path the console uses. */
export const api = {
  standards: () => call('GET', '/v1/standards'),
  standard: (slug) => call('GET', std(slug)),
  evaluate: (slug, facts, params) =>
    call('POST', `${std(slug)}/evaluate`, { detail: 'conditions', ...params }, facts),
  explain: (slug, facts, params) => call('POST', `${std(slug)}/explain`, params, facts),
  gap: (slug, facts, params) => call('POST', `${std(slug)}/gap`, params, facts),
  progress: (slug, facts, params) => call('POST', `${std(slug)}/progress`, params, facts),
  submit: (slug, facts, params) => call('POST', `${std(slug)}/rounds`, params, facts),
  history: (slug) => call('GET', `${std(slug)}/history`),
  rounds: (slug) => call('GET', '/v1/rounds', { standard: slug }),
  round: (id) => call('GET', `/v1/rounds/${encodeURIComponent(id)}`),
  diff: (before, after) => call('GET', '/v1/rounds/diff', { before, after }),
};

/** Where a round's results are downloaded as a workbook (docs/console.md). */
export function resultsXlsx(round) {
  return `/v1/rounds/${encodeURIComponent(round)}/results.xlsx`;
}

/** Whether the service answers for a round's workbook (false when it has no such round). */
export async function xlsxServed(round) {
  const r = await fetch(resultsXlsx(round), { method: 'HEAD' });
  return r.ok;
}
