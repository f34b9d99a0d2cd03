// Loads syntaxes/duibiao.tmLanguage.json with the same engine as VS Code (vscode-textmate and the
// Oniguruma WebAssembly build), for scripts/tokens.mjs and the tests.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const vsctm = require('vscode-textmate');
const oniguruma = require('vscode-oniguruma');
const root = join(dirname(fileURLToPath(import.meta.url)), '..');

const files = {
  'source.duibiao': 'duibiao.tmLanguage.json',
  'markdown.duibiao.codeblock': 'duibiao.markdown.tmLanguage.json',
};
let loaded;

/** A grammar of this extension by its scope name (source.duibiao by default). */
export async function loadGrammar(scopeName = 'source.duibiao') {
  if (!loaded) {
    loaded = (async () => {
      await oniguruma.loadWASM(readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm')).buffer);
      const registry = new vsctm.Registry({
        onigLib: Promise.resolve({
          createOnigScanner: (s) => new oniguruma.OnigScanner(s),
          createOnigString: (s) => new oniguruma.OnigString(s),
        }),
        loadGrammar: async (scopeName) => {
          const file = files[scopeName];
          return file ? vsctm.parseRawGrammar(readFileSync(join(root, 'syntaxes', file), 'utf8'), file) : null;
        },
      });
      return registry;
    })();
  }
  return (await loaded).loadGrammar(scopeName);
}

/** The tokens of a text, line by line: [{ line, text, scopes }] (scopes without source.duibiao). */
export async function tokenize(text, scopeName = 'source.duibiao') {
  const grammar = await loadGrammar(scopeName);
  let state = vsctm.INITIAL;
  const out = [];
  text.split(/\r?\n/).forEach((line, n) => {
    const r = grammar.tokenizeLine(line, state);
    for (const t of r.tokens) {
      out.push({ line: n, text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes.slice(1) });
    }
    state = r.ruleStack;
  });
  return out;
}
