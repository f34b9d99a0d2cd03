// Drives the bundled client (out/extension.js, built by `npm run compile`) outside VS Code: the
// `vscode` module is a stand-in that records what the extension asks of the editor, and the server
// is test/fixtures/fake-duibiao.mjs. Checks that the client starts `<duibiao.path> lsp` with the
// initialization option { lang }, restarts it on the command, and, when the executable is missing,
// says so in Chinese and English instead of failing. Run by test.sh: node --test test/client.test.mjs
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const fake = join(root, 'test', 'fixtures', 'fake-duibiao.mjs');
const log = join(mkdtempSync(join(tmpdir(), 'duibiao-client-')), 'messages.jsonl');
process.env.FAKE_DUIBIAO_LOG = log;

// ------------------------------------------------------------------ a stand-in for `vscode`

const settings = { 'duibiao.path': fake, 'duibiao.lang': 'en', 'duibiao.trace.server': 'off' };
const warnings = [];
const errors = [];
const commands = new Map();

class Disposable {
  constructor(fn) { this.fn = fn; }
  static from(...ds) { return new Disposable(() => ds.forEach((d) => d?.dispose?.())); }
  dispose() { this.fn?.(); }
}
class EventEmitter {
  listeners = new Set();
  event = (listener) => { this.listeners.add(listener); return new Disposable(() => this.listeners.delete(listener)); };
  fire(e) { for (const l of this.listeners) l(e); }
  dispose() { this.listeners.clear(); }
}
const noEvent = () => new Disposable();

/** Anything not modelled below: callable, constructible, every property another stub. */
function stub(name) {
  const target = function () {};
  return new Proxy(target, {
    get(_, prop) {
      if (prop === 'then') return undefined;
      if (prop === Symbol.toPrimitive) return () => 0;
      if (prop === Symbol.iterator) return function* () {};
      if (prop === 'dispose') return () => {};
      if (typeof prop === 'string' && /^onDid|^onWill/.test(prop)) return noEvent;
      return stub(`${name}.${String(prop)}`);
    },
    apply: () => stub(`${name}()`),
    construct: () => stub(`new ${name}`),
  });
}
const withStub = (name, object) => new Proxy(object, { get: (t, p) => (p in t ? t[p] : stub(`${name}.${String(p)}`)) });

const outputChannel = () =>
  withStub('channel', {
    name: '对标 duibiao', append() {}, appendLine() {}, replace() {}, clear() {}, show() {}, hide() {}, dispose() {},
    trace() {}, debug() {}, info() {}, warn() {}, error() {}, logLevel: 2, onDidChangeLogLevel: noEvent,
  });

const vscode = withStub('vscode', {
  version: '1.90.0',
  Disposable,
  EventEmitter,
  env: withStub('env', { language: 'zh-cn', appName: 'fake', machineId: 'x', sessionId: 'y' }),
  workspace: withStub('workspace', {
    workspaceFolders: undefined,
    textDocuments: [],
    notebookDocuments: [],
    getConfiguration: (section) =>
      withStub('configuration', {
        get: (key, fallback) => settings[section ? `${section}.${key}` : key] ?? fallback,
        has: () => false,
        inspect: () => undefined,
        update: async () => {},
      }),
    createFileSystemWatcher: () => withStub('watcher', { onDidCreate: noEvent, onDidChange: noEvent, onDidDelete: noEvent, dispose() {} }),
    getWorkspaceFolder: () => undefined,
  }),
  window: withStub('window', {
    createOutputChannel: outputChannel,
    showWarningMessage: async (m) => { warnings.push(m); return undefined; },
    showErrorMessage: async (m) => { errors.push(m); return undefined; },
    showInformationMessage: async () => undefined,
    visibleTextEditors: [],
    activeTextEditor: undefined,
    tabGroups: withStub('tabGroups', { all: [] }),
  }),
  languages: withStub('languages', {
    createLanguageStatusItem: () => withStub('status', { dispose() {} }),
    registerFoldingRangeProvider: () => new Disposable(),
    match: () => 0,
  }),
  commands: withStub('commands', {
    registerCommand: (id, fn) => { commands.set(id, fn); return new Disposable(() => commands.delete(id)); },
    executeCommand: async () => undefined,
  }),
  LanguageStatusSeverity: { Information: 0, Warning: 1, Error: 2 },
  FoldingRangeKind: { Comment: 1, Imports: 2, Region: 3 },
});

const load = Module._load;
Module._load = function (request, ...rest) {
  return request === 'vscode' ? vscode : load.call(this, request, ...rest);
};

// ------------------------------------------------------------------ the tests

const bundle = join(root, 'out', 'extension.js');
const extension = createRequire(import.meta.url)(bundle);
const context = { subscriptions: [], extensionPath: root, asAbsolutePath: (p) => join(root, p) };

const messages = () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)) : []);
async function until(what, condition, ms = 10000) {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > ms) assert.fail(`timed out waiting for ${what}; messages: ${JSON.stringify(messages().map((m) => m.method))}, errors: ${errors}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('starts `duibiao lsp` with the language as an initialization option', async () => {
  extension.activate(context);
  await until('initialize', () => messages().some((m) => m.method === 'initialize'));
  await until('initialized', () => messages().some((m) => m.method === 'initialized'));
  const init = messages().find((m) => m.method === 'initialize');
  assert.deepEqual(init.params.initializationOptions, { lang: 'en' });
  assert.equal(init.params.locale, 'zh-cn');
  assert.ok(commands.has('duibiao.restartServer'));
  assert.deepEqual(errors, []);
  assert.deepEqual(warnings, []);
});

test('the restart command stops the server and starts it again with the new settings', async () => {
  settings['duibiao.lang'] = 'zh';
  await commands.get('duibiao.restartServer')();
  await until('a second initialize', () => messages().filter((m) => m.method === 'initialize').length === 2);
  const methods = messages().map((m) => m.method);
  assert.ok(methods.indexOf('shutdown') > methods.indexOf('initialized'), `shutdown before the restart: ${methods}`);
  assert.ok(methods.includes('exit'));
  assert.deepEqual(messages().filter((m) => m.method === 'initialize')[1].params.initializationOptions, { lang: 'zh' });
});

test('a duibiao without the lsp subcommand: a bilingual error, no endless restarts', async () => {
  settings['duibiao.path'] = join(root, 'test', 'fixtures', 'old-duibiao.sh');
  await commands.get('duibiao.restartServer')();
  await until('the error', () => errors.length > 0);
  assert.equal(errors.length, 1, errors.join('\n'));
  assert.match(errors[0], /没有语言服务器（lsp 子命令）/);
  assert.match(errors[0], /has no language server \(lsp subcommand\)/);
  assert.match(errors[0], /unrecognized subcommand/);
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(errors.length, 1, 'no restarts, no second message');
  errors.length = 0;
});

test('a missing executable is reported in Chinese and English, once', async () => {
  settings['duibiao.path'] = join(root, 'no-such-duibiao');
  await commands.get('duibiao.restartServer')();
  await until('the warning', () => warnings.length > 0);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0], /未找到 duibiao 可执行文件/);
  assert.match(warnings[0], /The duibiao executable was not found/);
  assert.match(warnings[0], /no-such-duibiao/);
  await extension.deactivate();
  assert.deepEqual(errors, []);
});
