// The duibiao extension: highlighting comes from the TextMate grammar (no code needed); everything
// else — diagnostics, hover, go to definition, references, completion, symbols, formatting, quick
// fixes — from the language server `duibiao lsp`, started over stdio.
//
// Without the executable the extension still highlights, folds and indents, and says once, in
// Chinese and in English, what is missing and how to point `duibiao.path` at it.

import * as vscode from 'vscode';
import {
  CloseAction,
  type CloseHandlerResult,
  ErrorAction,
  type ErrorHandler,
  type ErrorHandlerResult,
  LanguageClient,
  type LanguageClientOptions,
  RevealOutputChannelOn,
  type ServerOptions,
  State,
} from 'vscode-languageclient/node';
import { checkLsp, foldingRanges, resolveExecutable } from './util';

const LANGUAGE = 'duibiao';
const NAME = '对标 duibiao';

let client: LanguageClient | undefined;
let output: vscode.LogOutputChannel | undefined;
let status: vscode.LanguageStatusItem | undefined;
/** Changes to `.std` files on disk, passed on to every server started. */
let watcher: vscode.FileSystemWatcher | undefined;
/** Serialises start/stop so that quick successive restarts do not race. */
let pending: Promise<void> = Promise.resolve();

export function activate(context: vscode.ExtensionContext): void {
  output = vscode.window.createOutputChannel(NAME, { log: true });
  context.subscriptions.push(output);

  status = vscode.languages.createLanguageStatusItem('duibiao.server', { language: LANGUAGE });
  status.name = NAME;
  context.subscriptions.push(status);

  watcher = vscode.workspace.createFileSystemWatcher('**/*.std');
  context.subscriptions.push(watcher);

  context.subscriptions.push(
    vscode.commands.registerCommand('duibiao.restartServer', () => enqueue(() => restart(true))),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('duibiao.path') || e.affectsConfiguration('duibiao.lang')) {
        void enqueue(() => restart(false));
      }
    }),
    vscode.languages.registerFoldingRangeProvider({ language: LANGUAGE }, new BraceFolding()),
    { dispose: () => void stop() },
  );

  void enqueue(() => start(false));
}

export async function deactivate(): Promise<void> {
  await pending;
  await stop();
}

function enqueue(job: () => Promise<void>): Promise<void> {
  pending = pending.then(job, job).catch((e: unknown) => {
    output?.error(String(e));
  });
  return pending;
}

// ---------------------------------------------------------------------------- settings

interface Settings {
  /** `duibiao.path` as written. */
  configured: string;
  /** `duibiao.lang`: the language of the server's messages. */
  lang: 'zh' | 'en';
}

function settings(): Settings {
  const config = vscode.workspace.getConfiguration('duibiao');
  const configured = (config.get<string>('path') ?? '').trim() || 'duibiao';
  const lang = config.get<string>('lang') === 'en' ? 'en' : 'zh';
  return { configured, lang };
}

// ---------------------------------------------------------------------------- the client

async function start(fromCommand: boolean): Promise<void> {
  const { configured, lang } = settings();
  const command = resolveExecutable(configured, vscode.workspace.workspaceFolders?.[0]?.uri.fsPath);
  if (!command) {
    setStatus('missing', configured);
    output?.warn(`duibiao executable not found: duibiao.path = ${configured}`);
    void missingExecutable(configured, fromCommand);
    return;
  }

  const check = await checkLsp(command);
  if (!check.ok) {
    setStatus('stopped', command);
    output?.error(`${command} lsp --help: ${check.detail}`);
    void noLspSubcommand(command, check.detail);
    return;
  }

  const serverOptions: ServerOptions = {
    run: { command, args: ['lsp'] },
    debug: { command, args: ['lsp'] },
  };
  const handler = new ServerErrorHandler(command);
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: LANGUAGE },
      { scheme: 'untitled', language: LANGUAGE },
    ],
    synchronize: watcher ? { fileEvents: watcher } : undefined,
    // The server reads `lang`; the client's locale (vscode.env.language) is sent as well, in the
    // `locale` field of the initialize request.
    initializationOptions: { lang },
    outputChannel: output,
    revealOutputChannelOn: RevealOutputChannelOn.Never,
    errorHandler: handler,
    // A failed initialize is reported once, by start() below, rather than by the client in English.
    initializationFailedHandler: (error) => {
      output?.error(`initialize failed: ${String(error)}`);
      return false;
    },
  };

  const c = new LanguageClient(LANGUAGE, NAME, serverOptions, clientOptions);
  c.onDidChangeState((e) => {
    if (e.newState === State.Running) setStatus('running', command);
    else if (e.newState === State.Stopped) setStatus('stopped', command);
  });
  client = c;
  setStatus('starting', command);
  output?.info(`starting ${command} lsp (lang: ${lang}, locale: ${vscode.env.language})`);
  try {
    await c.start();
    handler.started = true;
  } catch (e) {
    client = undefined;
    await c.dispose().catch(() => undefined);
    setStatus('stopped', command);
    output?.error(`could not start ${command} lsp: ${String(e)}`);
    void vscode.window
      .showErrorMessage(
        `无法启动语言服务器 ${command} lsp（${String(e)}）。高亮照常可用；请确认这个 duibiao 支持 lsp 子命令。 · ` +
          `Could not start the language server ${command} lsp (${String(e)}). Highlighting still works; check that this duibiao has the lsp subcommand.`,
        OPEN_LOG,
      )
      .then((choice) => {
        if (choice === OPEN_LOG) output?.show();
      });
  }
}

async function stop(): Promise<void> {
  const c = client;
  client = undefined;
  if (!c) return;
  try {
    if (c.needsStop()) await c.stop(2000);
  } catch (e) {
    output?.warn(`stopping the server: ${String(e)}`);
  }
  await c.dispose().catch(() => undefined);
}

async function restart(fromCommand: boolean): Promise<void> {
  await stop();
  await start(fromCommand);
}

// ---------------------------------------------------------------------------- messages

const OPEN_SETTINGS = '设置路径 · Set path';
const OPEN_LOG = '查看日志 · Show log';

let warnedMissing = false;

async function missingExecutable(configured: string, fromCommand: boolean): Promise<void> {
  if (warnedMissing && !fromCommand) return;
  warnedMissing = true;
  const choice = await vscode.window.showWarningMessage(
    `未找到 duibiao 可执行文件（duibiao.path = “${configured}”）。语法高亮照常可用；诊断、悬停、跳转、补全和格式化需要 ` +
      '`duibiao lsp`：请安装 duibiao（cargo install --path crates/duibiao-cli）或在设置 duibiao.path 中填写它的完整路径。 · ' +
      `The duibiao executable was not found (duibiao.path = "${configured}"). Highlighting still works; diagnostics, ` +
      'hover, go to definition, completion and formatting need `duibiao lsp`: install duibiao ' +
      '(cargo install --path crates/duibiao-cli) or set duibiao.path to its full path.',
    OPEN_SETTINGS,
  );
  if (choice === OPEN_SETTINGS) {
    await vscode.commands.executeCommand('workbench.action.openSettings', 'duibiao.path');
  }
}

async function noLspSubcommand(command: string, detail: string): Promise<void> {
  const choice = await vscode.window.showErrorMessage(
    `${command} 没有语言服务器（lsp 子命令）：${detail}。语法高亮照常可用；诊断、悬停、跳转、补全和格式化需要带 lsp 的 duibiao，` +
      '请更新 duibiao（cargo install --path crates/duibiao-cli）或在设置 duibiao.path 中指向新版本。 · ' +
      `${command} has no language server (lsp subcommand): ${detail}. Highlighting still works; diagnostics, hover, ` +
      'go to definition, completion and formatting need a duibiao with lsp: update duibiao ' +
      '(cargo install --path crates/duibiao-cli) or point duibiao.path at a newer one.',
    OPEN_SETTINGS,
  );
  if (choice === OPEN_SETTINGS) {
    await vscode.commands.executeCommand('workbench.action.openSettings', 'duibiao.path');
  }
}

type ServerState = 'starting' | 'running' | 'stopped' | 'missing';

function setStatus(state: ServerState, detail: string): void {
  if (!status) return;
  const restartCommand = { title: '重启 · Restart', command: 'duibiao.restartServer' };
  switch (state) {
    case 'starting':
      status.text = '$(sync~spin) duibiao lsp';
      status.detail = `启动中 · starting: ${detail}`;
      status.severity = vscode.LanguageStatusSeverity.Information;
      status.busy = true;
      status.command = undefined;
      break;
    case 'running':
      status.text = '$(check) duibiao lsp';
      status.detail = `运行中 · running: ${detail}`;
      status.severity = vscode.LanguageStatusSeverity.Information;
      status.busy = false;
      status.command = restartCommand;
      break;
    case 'stopped':
      status.text = '$(debug-stop) duibiao lsp';
      status.detail = `已停止 · stopped: ${detail}`;
      status.severity = vscode.LanguageStatusSeverity.Warning;
      status.busy = false;
      status.command = restartCommand;
      break;
    case 'missing':
      status.text = '$(warning) duibiao lsp';
      status.detail = `未找到 duibiao · duibiao not found: ${detail}`;
      status.severity = vscode.LanguageStatusSeverity.Warning;
      status.busy = false;
      status.command = { title: '设置路径 · Set path', command: 'workbench.action.openSettings', arguments: ['duibiao.path'] };
      break;
  }
}

/**
 * Errors and exits of the server. Before the server has answered `initialize` nothing is restarted:
 * start() reports the failure once (typically a duibiao without the lsp subcommand). Afterwards a
 * crashed server is restarted up to four times in three minutes, then left stopped with a message.
 * The client's own English messages are replaced by ours (handled: true) and the details logged.
 */
class ServerErrorHandler implements ErrorHandler {
  /** Set once the server has answered `initialize`. */
  started = false;
  private readonly restarts: number[] = [];

  constructor(private readonly command: string) {}

  error(error: Error, _message: unknown, count: number | undefined): ErrorHandlerResult {
    output?.error(`connection to ${this.command} lsp: ${error.message}`);
    if (!this.started) return { action: ErrorAction.Shutdown, handled: true };
    if ((count ?? 0) <= 3) return { action: ErrorAction.Continue, handled: true };
    return {
      action: ErrorAction.Shutdown,
      message:
        `与语言服务器 ${this.command} lsp 的连接反复出错，已停止（详情见“输出”面板的“${NAME}”）。 · ` +
        `The connection to the language server ${this.command} lsp keeps failing and was shut down (see the Output panel, “${NAME}”).`,
    };
  }

  closed(): CloseHandlerResult {
    if (!this.started) return { action: CloseAction.DoNotRestart, handled: true };
    const now = Date.now();
    this.restarts.push(now);
    while (this.restarts.length > 0 && now - this.restarts[0] > 3 * 60 * 1000) this.restarts.shift();
    if (this.restarts.length <= 4) {
      output?.warn(`${this.command} lsp exited; restarting (${this.restarts.length}/4)`);
      return { action: CloseAction.Restart, handled: true };
    }
    return {
      action: CloseAction.DoNotRestart,
      message:
        `语言服务器 ${this.command} lsp 在三分钟内退出了 5 次，已停止重启（详情见“输出”面板的“${NAME}”）；修好后运行命令“对标 duibiao: 重启语言服务器”。 · ` +
        `The language server ${this.command} lsp exited 5 times in three minutes and will not be restarted (see the Output panel, “${NAME}”); ` +
        'run “对标 duibiao: Restart Language Server” once it is fixed.',
    };
  }
}

// ---------------------------------------------------------------------------- folding

/** Folding of braces and comment runs without the server (see foldingRanges in util.ts). */
class BraceFolding implements vscode.FoldingRangeProvider {
  provideFoldingRanges(document: vscode.TextDocument): vscode.FoldingRange[] {
    const lines: string[] = [];
    for (let i = 0; i < document.lineCount; i++) lines.push(document.lineAt(i).text);
    return foldingRanges(lines).map(
      (r) => new vscode.FoldingRange(r.start, r.end, r.comment ? vscode.FoldingRangeKind.Comment : undefined),
    );
  }
}
