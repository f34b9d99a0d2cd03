#!/usr/bin/env node
// Prints how the grammar splits each line of a .std file (or of stdin) into tokens, one token per
// line as `text  ← scopes`: a quick look while editing scripts/build-grammar.mjs.
// Usage: node scripts/tokens.mjs FILE.std   |   echo '等级 社区 { … }' | node scripts/tokens.mjs
import { readFileSync } from 'node:fs';
import { tokenize } from './tokenizer.mjs';

const text = readFileSync(process.argv[2] ?? 0, 'utf8');
const lines = text.split(/\r?\n/);
let current = -1;
for (const t of await tokenize(text)) {
  if (t.line !== current) {
    current = t.line;
    console.log(`> ${lines[current]}`);
  }
  if (t.text.trim()) console.log(`  ${t.text.padEnd(12)} ← ${t.scopes.filter((x) => !x.startsWith('meta.')).join(' ') || '(none)'}`);
}
