#!/usr/bin/env node
// Writes the assertion line of a grammar test (test/cases/*.std) for a token of a code line.
// vscode-tmgrammar-test counts columns in UTF-16 code units, so a Han character is one column
// although an editor draws it two columns wide: counting carets by eye goes wrong, this does not.
//
//   node scripts/assert-line.mjs '  标准型 {' '标准型' entity.name.function.tier.duibiao
//   # ^^^ entity.name.function.tier.duibiao
//   node scripts/assert-line.mjs 'a 且 b 且 c' '且' '- keyword' 2     # the second 且, a negative assertion
const [line, token, scope, occurrence = '1'] = process.argv.slice(2);
if (line === undefined || !token || !scope) {
  console.error("usage: node scripts/assert-line.mjs 'CODE LINE' 'TOKEN' 'SCOPE' [OCCURRENCE]");
  process.exit(2);
}
let at = -1;
for (let i = 0; i < Number(occurrence); i++) {
  at = line.indexOf(token, at + 1);
  if (at < 0) {
    console.error(`${JSON.stringify(token)} occurs fewer than ${occurrence} time(s) in ${JSON.stringify(line)}`);
    process.exit(1);
  }
}
console.log(at === 0 ? `# <${'-'.repeat(token.length)} ${scope}` : `#${' '.repeat(at - 1)}${'^'.repeat(token.length)} ${scope}`);
