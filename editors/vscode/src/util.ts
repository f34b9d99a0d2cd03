// The parts of the extension that do not need VS Code, tested by test/unit.test.mjs.

import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * The executable `duibiao.path` names, or undefined when there is none: `~` and
 * `${workspaceFolder}` are expanded, a relative path with a separator is taken from the workspace
 * folder, and a bare name is looked up on PATH (with PATHEXT on Windows).
 */
export function resolveExecutable(
  configured: string,
  folder: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string | undefined {
  let p = configured.trim() || 'duibiao';
  p = p.replace(/^~(?=$|[\\/])/, os.homedir());
  if (folder) p = p.replace(/\$\{workspaceFolder\}/g, folder);
  const windows = platform === 'win32';
  const extensions = windows ? ['', ...(env.PATHEXT ?? '.EXE;.CMD;.BAT;.COM').split(';').filter(Boolean)] : [''];
  const candidates = (base: string): string[] => extensions.map((e) => base + e);
  const executable = (file: string): boolean => isExecutable(file, windows);

  if (path.isAbsolute(p) || p.includes('/') || (windows && p.includes('\\'))) {
    const full = path.isAbsolute(p) ? p : path.resolve(folder ?? process.cwd(), p);
    return candidates(full).find(executable);
  }
  for (const dir of (env.PATH ?? env.Path ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const found = candidates(path.join(dir, p)).find(executable);
    if (found) return found;
  }
  return undefined;
}

function isExecutable(file: string, windows: boolean): boolean {
  try {
    if (!fs.statSync(file).isFile()) return false;
    if (!windows) fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** A range to fold: lines start..end (0-based, end included); comment runs are marked. */
export interface Fold {
  start: number;
  end: number;
  comment: boolean;
}

/**
 * Every `{ … }` spanning lines (folded up to the line before its `}`) and every run of two or
 * more comment lines. Braces inside strings (`"…"`, `“…”`) and comments are not counted.
 */
export function foldingRanges(lines: readonly string[]): Fold[] {
  const folds: Fold[] = [];
  const open: number[] = [];
  let commentStart = -1;
  const endComments = (line: number): void => {
    if (commentStart >= 0 && line - 1 > commentStart) folds.push({ start: commentStart, end: line - 1, comment: true });
    commentStart = -1;
  };
  lines.forEach((text, line) => {
    const isComment = /^\s*#/.test(text);
    if (isComment && commentStart < 0) commentStart = line;
    if (!isComment) endComments(line);
    for (const brace of braces(text)) {
      if (brace === '{') open.push(line);
      else {
        const start = open.pop();
        if (start !== undefined && line - 1 > start) folds.push({ start, end: line - 1, comment: false });
      }
    }
  });
  endComments(lines.length);
  return folds.sort((a, b) => a.start - b.start || b.end - a.end);
}

/** The braces of a line outside strings and comments, in order. */
export function braces(text: string): string[] {
  const out: string[] = [];
  let quote: '"' | '“' | undefined;
  let depth = 0; // nesting of “…” inside a “…” string
  for (const c of text) {
    if (quote === '"') {
      if (c === '"') quote = undefined;
    } else if (quote === '“') {
      if (c === '“') depth++;
      else if (c === '”' && --depth === 0) quote = undefined;
    } else if (c === '#') {
      break;
    } else if (c === '"') {
      quote = '"';
    } else if (c === '“') {
      quote = '“';
      depth = 1;
    } else if (c === '{' || c === '}') {
      out.push(c);
    }
  }
  return out;
}

/** What `duibiao lsp --help` says about the executable. */
export type LspCheck = { ok: true } | { ok: false; detail: string };

/**
 * Whether the executable has the `lsp` subcommand: `duibiao lsp --help` must exit 0. A duibiao
 * that predates the language server exits with "unrecognized subcommand"; its first lines of
 * standard error are the detail. A check that cannot finish (a timeout) does not block the start.
 */
export function checkLsp(command: string, timeoutMs = 5000): Promise<LspCheck> {
  return new Promise((resolve) => {
    execFile(command, ['lsp', '--help'], { timeout: timeoutMs, encoding: 'utf8', windowsHide: true }, (error, stdout, stderr) => {
      if (!error) return resolve({ ok: true });
      const e = error as NodeJS.ErrnoException & { code?: number | string; killed?: boolean; signal?: string | null };
      if (e.killed || (typeof e.code !== 'number' && e.signal)) return resolve({ ok: true }); // timed out or killed: let the client try
      if (typeof e.code !== 'number') return resolve({ ok: false, detail: e.message });
      const said = `${stderr ?? ''}\n${stdout ?? ''}`
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter(Boolean)
        .slice(0, 2)
        .join(' ');
      resolve({ ok: false, detail: `exit ${e.code}${said ? `: ${said}` : ''}` });
    });
  });
}
