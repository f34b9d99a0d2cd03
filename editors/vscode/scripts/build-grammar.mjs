#!/usr/bin/env node
// Builds syntaxes/duibiao.tmLanguage.json from the language's one grammar, grammar/standard.pest.
//
// Every spelling of every keyword (kw_* rules), type name (simple_type, enum_type), comparison word
// (cmp_op) and unit (unit_suffix) is read from the pest file, so the highlighting cannot drift from
// the parser: `node scripts/build-grammar.mjs --check` (run by test.sh) fails when the committed
// JSON differs from what the pest file gives, and the build fails when a new kw_* rule has not been
// given a highlighting category below.
//
// How keywords are told from names mirrors the pest grammar:
//   kw_x  = @{ ("x" | "中") ~ !ident_char }        a keyword is not followed by a name character;
//   ident = @{ !keyword ~ ident_start ~ ident_char* } a name is one atomic token.
// Chinese has no word boundaries, so `标准型`, `所有小区` and `社区所有` are single names. The
// TextMate rules do the same: every keyword carries the lookahead (?!IDENT_CHAR), and a rule that
// matches a whole name is tried at the name's first character, so a keyword is never found inside a
// longer name (the scanner takes the leftmost match). Keywords also carry a lookbehind refusing a
// preceding letter (but not a digit: `score>=75且 …` is valid, the keyword follows a number).

import { readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const pestPath = join(root, '..', '..', 'grammar', 'standard.pest');
const outPath = join(root, 'syntaxes', 'duibiao.tmLanguage.json');

const pest = readFileSync(pestPath, 'utf8');

// ------------------------------------------------------------------ reading the pest grammar

/** The body of rule `name` (between its outer braces). */
function ruleBody(name) {
  const m = new RegExp(`^${name}\\s*=\\s*[@$_]?\\{`, 'm').exec(pest);
  if (!m) throw new Error(`rule ${name} not found in ${pestPath}`);
  let depth = 1;
  let i = m.index + m[0].length;
  let inString = false;
  const start = i;
  for (; i < pest.length && depth > 0; i++) {
    const c = pest[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') depth++;
    else if (c === '}') depth--;
  }
  return pest.slice(start, i - 1);
}

/** The string literals of a rule body, in order. */
function literals(body) {
  return [...body.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) =>
    m[1].replace(/\\u\{([0-9a-fA-F]+)\}/g, (_, h) => String.fromCodePoint(parseInt(h, 16))),
  );
}

const keywordRules = [...pest.matchAll(/^kw_(\w+)\s*=\s*@\{(.*)\}\s*$/gm)].map((m) => {
  if (!/~\s*!ident_char\s*$/.test(m[2].trim())) {
    throw new Error(`kw_${m[1]} is not of the form ("…" | "…") ~ !ident_char`);
  }
  return { rule: m[1], spellings: literals(m[2]) };
});
if (keywordRules.length < 60) throw new Error(`only ${keywordRules.length} kw_* rules found`);

// Every keyword rule in `keyword` must be one we read.
const keywordUnion = ruleBody('keyword').match(/kw_\w+/g).map((k) => k.slice(3));
for (const k of keywordUnion) {
  if (!keywordRules.some((r) => r.rule === k)) throw new Error(`keyword lists kw_${k}, not found`);
}

const simpleTypes = literals(ruleBody('simple_type'));
const enumKeywords = literals(ruleBody('enum_type')).filter((s) => /[\p{L}]/u.test(s));
const cmpOps = literals(ruleBody('cmp_op'));
const cmpWords = cmpOps.filter((s) => /\p{L}/u.test(s));
const cmpSymbols = cmpOps.filter((s) => !/\p{L}/u.test(s));
const units = literals(ruleBody('unit_suffix'));
const rangeWords = literals(ruleBody('effective_field')).filter((s) => /\p{L}/u.test(s)); // 至
const fnKeywords = literals(ruleBody('fn_keyword'));

// ------------------------------------------------------------------ categories

// How each keyword is highlighted. A kw_* rule missing here stops the build.
const categories = {
  'storage.type.declaration': [
    'standard', 'kind', 'facts', 'param', 'derive', 'requirements', 'group', 'scorecard', 'tiers',
    'veto', 'target', 'quota', 'consequence', 'omit', 'item', 'part', 'unrated', 'cap', 'limit',
    'floor', 'records',
    'guide',
  ],
  'keyword.other.header': ['title', 'issuer', 'number', 'source', 'effective'],
  'keyword.other.citation': ['cite', 'text'],
  'keyword.control.conditional': ['if', 'then', 'else'],
  'keyword.operator.logical': ['and', 'or', 'not'],
  'constant.language.boolean': ['true', 'false'],
  'variable.language': ['score', 'as_of'],
  'keyword.other.aggregate': ['all', 'any', 'count', 'share', 'sum', 'of', 'direct', 'at', 'where', 'if_none'],
  'keyword.other.rank': [
    'rank', 'peers', 'among', 'siblings', 'ties', 'shared', 'by_id', 'ascending', 'by', 'round', 'down',
    'up', 'nearest',
  ],
  'keyword.other': [
    'contains', 'total', 'max', 'requires', 'blocks', 'when', 'on', 'overall', 'due', 'soft', 'columns',
    'amount', 'split', 'reason', 'unless', 'about', 'or_below',
  ],
};
const categoryOf = new Map();
for (const [scope, rules] of Object.entries(categories)) {
  for (const r of rules) {
    if (categoryOf.has(r)) throw new Error(`kw_${r} in two categories`);
    categoryOf.set(r, scope);
  }
}
for (const { rule } of keywordRules) {
  if (!categoryOf.has(rule)) {
    throw new Error(`kw_${rule} has no highlighting category: add it to \`categories\` in ${fileURLToPath(import.meta.url)}`);
  }
}
for (const r of categoryOf.keys()) {
  if (!keywordRules.some((k) => k.rule === r)) throw new Error(`category lists kw_${r}, not in the pest grammar`);
}

/** The spellings of the named keyword rules. */
function kw(...rules) {
  return rules.flatMap((r) => {
    const found = keywordRules.find((k) => k.rule === r);
    if (!found) throw new Error(`kw_${r} not in the pest grammar`);
    return found.spellings;
  });
}

// ------------------------------------------------------------------ regular expressions

const esc = (s) => s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
/** An alternation, longest first (so that `或者` is tried before `或`). */
const alt = (words) => [...new Set(words)].sort((a, b) => b.length - a.length || a.localeCompare(b)).map(esc).join('|');

// pest's ident_start / ident_char are XID_START | "_" and XID_CONTINUE | "_".
// Full-width digits are XID_CONTINUE but rejected by the compiler's full-width scan (E0002) before
// parsing, so they are left out of names here and marked as errors.
const IC = '[\\p{L}\\p{Nl}\\p{Mn}\\p{Mc}\\p{Nd}\\p{Pc}&&[^０-９]]';
const IS = '[\\p{L}\\p{Nl}_]';
const NB = `(?!${IC})`; // not followed by a name character
const NA = '(?<![\\p{L}\\p{Nl}\\p{Mn}\\p{Mc}\\p{Pc}])'; // not preceded by a letter
const ALL_KW = alt(keywordRules.flatMap((k) => k.spellings));
const IDENT = `${IS}${IC}*`;
const NAME = `(?!(?:${ALL_KW})${NB})${IDENT}`; // pest's ident: not a keyword
const SEP = '[,，、]';
const NAMES = `${NAME}(?:\\s*${SEP}\\s*${NAME})*`; // pest's kind_list
const word = (words) => `${NA}(?:${alt(words)})${NB}`;
const TYPE = `${NA}(?:${alt(simpleTypes)})${NB}`;
const SLUG = '[A-Za-z][A-Za-z0-9._-]*';
const DATE = '\\d{4}-\\d{1,2}-\\d{1,2}(?!\\d)';
const TOP = alt(kw('standard', 'kind', 'facts', 'param', 'derive', 'requirements', 'scorecard', 'tiers', 'veto', 'target', 'quota', 'consequence', 'omit', 'records'));
// A block ends at its closing brace, or — while it is being typed and has no brace yet — where the
// next top-level declaration starts a line.
const BLOCK_END = `(?<=\\})|^(?=\\s*(?:${TOP})${NB})`;
const BODY_END = `\\}|^(?=\\s*(?:${TOP})${NB})`;

const S = (name) => `${name}.duibiao`;

// The end of an operand, then zero, one or two spaces — but not a keyword after which an operand
// starts (`且 不满意人数`, `如果 超过期限数`). Oniguruma look-behinds take alternatives of fixed
// lengths, hence the spelled-out spaces.
const OPERAND_END = `[\\p{L}\\p{Nl}\\p{Mn}\\p{Mc}\\p{Nd}\\p{Pc})）%％²㎡"”]`;
const OPERAND_KEYWORDS = new Set(['score', 'as_of', 'true', 'false', 'all', 'siblings', 'shared', 'by_id']);
const NOT_OPERAND_KW = keywordRules.filter((k) => !OPERAND_KEYWORDS.has(k.rule)).flatMap((k) => k.spellings);
const spaces = ['', '\\s', '\\s\\s'];
const CMP_AFTER_OPERAND =
  `(?<=${spaces.map((sp) => `${OPERAND_END}${sp}`).join('|')})` +
  `(?<!${spaces.map((sp) => `(?<![\\p{L}\\p{Nl}\\p{Mn}\\p{Mc}\\p{Nd}\\p{Pc}])(?:${alt(NOT_OPERAND_KW)})${sp}`).join('|')})`;

// ------------------------------------------------------------------ the grammar

const kindList = (scope) => ({
  patterns: [
    { match: NAME, name: S(scope) },
    { include: '#punctuation' },
  ],
});

const body = (scope, patterns) => ({
  begin: '\\{',
  beginCaptures: { 0: { name: S('punctuation.section.block.begin') } },
  end: BODY_END,
  endCaptures: { 0: { name: S('punctuation.section.block.end') } },
  name: S(`meta.block.${scope}`),
  patterns,
});

const keywordPatterns = Object.entries(categories).map(([scope, rules]) => ({
  match: word(kw(...rules)),
  name: S(scope),
}));

const stringRule = (quote, close, scope, nested) => ({
  begin: quote,
  beginCaptures: { 0: { name: S('punctuation.definition.string.begin') } },
  end: `${close}|(?=$)`,
  endCaptures: { 0: { name: S('punctuation.definition.string.end') } },
  name: scope,
  ...(nested ? { patterns: [{ include: '#cjk-string-inner' }] } : {}),
});

/** A keyword followed by a string: a citation (`cite "…"`) or a clause's words (`text "…"`). */
const keywordString = (rules, stringScope) => [
  {
    begin: `${NA}(${alt(kw(...rules))})${NB}\\s*(")`,
    beginCaptures: {
      1: { name: S('keyword.other.citation') },
      2: { name: `${S(stringScope)} ${S('punctuation.definition.string.begin')}` },
    },
    end: '"|(?=$)',
    endCaptures: { 0: { name: `${S(stringScope)} ${S('punctuation.definition.string.end')}` } },
    contentName: S(stringScope),
  },
  {
    begin: `${NA}(${alt(kw(...rules))})${NB}\\s*(“)`,
    beginCaptures: {
      1: { name: S('keyword.other.citation') },
      2: { name: `${S(stringScope)} ${S('punctuation.definition.string.begin')}` },
    },
    end: '”|(?=$)',
    endCaptures: { 0: { name: `${S(stringScope)} ${S('punctuation.definition.string.end')}` } },
    contentName: S(stringScope),
    patterns: [{ include: '#cjk-string-inner' }],
  },
];

const grammar = {
  $schema: 'https://raw.githubusercontent.com/martinring/tmlanguage/master/tmlanguage.json',
  name: 'duibiao',
  scopeName: 'source.duibiao',
  fileTypes: ['std'],
  comment:
    'Generated by scripts/build-grammar.mjs from grammar/standard.pest — do not edit by hand: run `npm run grammar`.',
  patterns: [
    { include: '#comment' },
    { include: '#header' },
    { include: '#kind' },
    { include: '#facts' },
    { include: '#records' },
    { include: '#param' },
    { include: '#derive' },
    { include: '#requirements' },
    { include: '#scorecard' },
    { include: '#tiers' },
    { include: '#veto' },
    { include: '#target' },
    { include: '#quota' },
    { include: '#consequence' },
    { include: '#expression' },
  ],
  repository: {
    comment: {
      match: '(#).*$',
      name: S('comment.line.number-sign'),
      captures: { 1: { name: S('punctuation.definition.comment') } },
    },

    // ---------------------------------------------------------- declarations
    header: {
      match: `${NA}(${alt(kw('standard'))})${NB}(?:\\s+(${SLUG}))?`,
      captures: {
        1: { name: S('storage.type.declaration') },
        2: { name: S('entity.name.namespace.standard') },
      },
    },
    kind: {
      match: `${NA}(${alt(kw('kind'))})${NB}(?:\\s*(${NAME}))?`,
      captures: {
        1: { name: S('storage.type.declaration') },
        2: { name: S('entity.name.type.kind') },
      },
    },
    facts: {
      begin: `${NA}(${alt(kw('facts'))})${NB}(?:\\s*(${NAMES}))?`,
      beginCaptures: {
        1: { name: S('storage.type.declaration') },
        2: kindList('entity.name.type.kind'),
      },
      end: BLOCK_END,
      name: S('meta.declaration.facts'),
      patterns: [
        { include: '#comment' },
        body('facts', [
          { include: '#comment' },
          { match: `(${NAME})\\s*(?=[:：])`, captures: { 1: { name: S('entity.name.variable.fact') } } },
          { include: '#type-after-colon' },
          { include: '#expression' },
        ]),
        { include: '#expression' },
      ],
    },
    records: {
      // records 支部、社区 积分记录 "…" { 日期: date … }: the owners, then the kind of record.
      begin: `${NA}(${alt(kw('records'))})${NB}(?:\\s*(${NAMES}))?(?:\\s+(${NAME}))?`,
      beginCaptures: {
        1: { name: S('storage.type.declaration') },
        2: kindList('entity.name.type.kind'),
        3: { name: S('entity.name.type.kind') },
      },
      end: BLOCK_END,
      name: S('meta.declaration.records'),
      patterns: [
        { include: '#comment' },
        body('records', [
          { include: '#comment' },
          { match: `(${NAME})\\s*(?=[:：])`, captures: { 1: { name: S('entity.name.variable.fact') } } },
          { include: '#type-after-colon' },
          { include: '#expression' },
        ]),
        { include: '#expression' },
      ],
    },
    param: {
      begin: `${NA}(${alt(kw('param'))})${NB}(?:\\s*(${NAME}))?`,
      beginCaptures: {
        1: { name: S('storage.type.declaration') },
        2: { name: S('entity.name.variable.parameter') },
      },
      end: '$',
      name: S('meta.declaration.param'),
      patterns: [
        { include: '#comment' },
        { include: '#type-after-colon' },
        { match: '=(?!=)', name: S('keyword.operator.assignment') },
        { include: '#expression' },
      ],
    },
    derive: {
      begin: `${NA}(${alt(kw('derive'))})${NB}(?:\\s*(${NAMES}))?`,
      beginCaptures: {
        1: { name: S('storage.type.declaration') },
        2: kindList('entity.name.type.kind'),
      },
      end: BLOCK_END,
      name: S('meta.declaration.derive'),
      patterns: [
        { include: '#comment' },
        body('derive', [
          { include: '#comment' },
          {
            // at the start of a line (or after `{` or `;`): the name being defined
            match: `(?:^|(?<=[{;]))\\s*(${NAME})\\s*(?:(=)(?!=)|(?=[:：]))`,
            captures: {
              1: { name: S('entity.name.variable.derived') },
              2: { name: S('keyword.operator.assignment') },
            },
          },
          { include: '#type-after-colon' },
          { include: '#expression' },
        ]),
        { include: '#expression' },
      ],
    },
    requirements: {
      begin: `${NA}(${alt(kw('requirements'))})${NB}(?:\\s*(${NAMES})(?:\\s+(${NAME}))?)?`,
      beginCaptures: {
        1: { name: S('storage.type.declaration') },
        2: kindList('entity.name.type.kind'),
        3: { name: S('entity.name.function.requirements') },
      },
      end: BLOCK_END,
      name: S('meta.declaration.requirements'),
      patterns: [{ include: '#comment' }, { include: '#requirements-body' }, { include: '#expression' }],
    },
    'requirements-body': body('requirements', [
      { include: '#comment' },
      {
        begin: `${NA}(${alt(kw('group'))})${NB}(?:\\s*(${NAME}))?`,
        beginCaptures: {
          1: { name: S('storage.type.declaration') },
          2: { name: S('entity.name.function.group') },
        },
        end: BLOCK_END,
        name: S('meta.declaration.group'),
        patterns: [{ include: '#comment' }, { include: '#requirements-body' }, { include: '#expression' }],
      },
      {
        match: `(${NAME})\\s*([:：])`,
        captures: {
          1: { name: S('entity.name.function.requirement') },
          2: { name: S('punctuation.separator.key-value') },
        },
      },
      { include: '#expression' },
    ]),
    scorecard: {
      begin: `${NA}(${alt(kw('scorecard'))})${NB}(?:\\s*(${NAMES}))?`,
      beginCaptures: {
        1: { name: S('storage.type.declaration') },
        2: kindList('entity.name.type.kind'),
      },
      end: BLOCK_END,
      name: S('meta.declaration.scorecard'),
      patterns: [{ include: '#comment' }, { include: '#scorecard-body' }, { include: '#expression' }],
    },
    'scorecard-body': body('scorecard', [
      { include: '#comment' },
      {
        match: `${NA}(${alt(kw('item', 'part'))})${NB}(?:\\s*(\\d+))?`,
        captures: {
          1: { name: S('storage.type.declaration') },
          2: { name: S('constant.numeric.integer.item') },
        },
      },
      { include: '#scorecard-body' },
      { include: '#expression' },
    ]),
    tiers: {
      begin: `${NA}(${alt(kw('tiers'))})${NB}(?:\\s*(${NAMES}))?`,
      beginCaptures: {
        1: { name: S('storage.type.declaration') },
        2: kindList('entity.name.type.kind'),
      },
      end: BLOCK_END,
      name: S('meta.declaration.tiers'),
      patterns: [
        { include: '#comment' },
        body('tiers', [
          { include: '#comment' },
          {
            // A tier: its name, then `requires …`, a description, a citation or its `{`.
            begin: `(${NAME})(?=\\s*(?:(?:${alt(kw('requires', 'cite'))})${NB}|["“{]))`,
            beginCaptures: { 1: { name: S('entity.name.function.tier') } },
            end: BLOCK_END,
            name: S('meta.declaration.tier'),
            patterns: [
              { include: '#comment' },
              body('tier', [
                { include: '#comment' },
                {
                  match: `(${NAME})\\s*([:：])`,
                  captures: {
                    1: { name: S('entity.name.label.condition') },
                    2: { name: S('punctuation.separator.key-value') },
                  },
                },
                { include: '#expression' },
              ]),
              { include: '#expression' },
            ],
          },
          { include: '#expression' },
        ]),
        { include: '#expression' },
      ],
    },
    veto: {
      match: `${NA}(${alt(kw('veto'))})${NB}(?:\\s*(${NAMES})(?:\\s+(${NAME}))?)?`,
      captures: {
        1: { name: S('storage.type.declaration') },
        2: kindList('entity.name.type.kind'),
        3: { name: S('entity.name.function.veto') },
      },
    },
    target: {
      match: `${NA}(${alt(kw('target'))})${NB}(?:\\s*(${NAME}))?`,
      captures: {
        1: { name: S('storage.type.declaration') },
        2: { name: S('entity.name.function.target') },
      },
    },
    quota: {
      begin: `${NA}(${alt(kw('quota'))})${NB}(?:\\s*(${NAME}))?`,
      beginCaptures: {
        1: { name: S('storage.type.declaration') },
        2: { name: S('entity.name.variable.quota') },
      },
      end: BLOCK_END,
      name: S('meta.declaration.quota'),
      patterns: [
        { include: '#comment' },
        { include: '#type-after-colon' },
        body('quota', [
          { include: '#comment' },
          {
            match: `(${NAME})\\s*([:：])`,
            captures: {
              1: { name: S('variable.other.unit') },
              2: { name: S('punctuation.separator.key-value') },
            },
          },
          { include: '#expression' },
        ]),
        { include: '#expression' },
      ],
    },
    consequence: {
      match: `${NA}(${alt(kw('consequence'))})${NB}(?:\\s*(${NAME}))?`,
      captures: {
        1: { name: S('storage.type.declaration') },
        2: { name: S('entity.name.function.consequence') },
      },
    },

    // ---------------------------------------------------------- types
    'type-after-colon': {
      patterns: [
        {
          // `: int`, and in a parameter or a derived value the `=` after the type
          match: `([:：])\\s*(${TYPE})(?:\\s*(=)(?!=))?`,
          captures: {
            1: { name: S('punctuation.separator.key-value') },
            2: { name: S('support.type.primitive') },
            3: { name: S('keyword.operator.assignment') },
          },
        },
        {
          begin: `([:：])\\s*(${alt(enumKeywords)})\\s*([(（])`,
          beginCaptures: {
            1: { name: S('punctuation.separator.key-value') },
            2: { name: S('support.type.enum') },
            3: { name: S('punctuation.parenthesis.begin') },
          },
          end: '([)）])(?:\\s*(=)(?!=))?|(?=$)',
          endCaptures: {
            1: { name: S('punctuation.parenthesis.end') },
            2: { name: S('keyword.operator.assignment') },
          },
          name: S('meta.type.enum'),
          patterns: [
            { include: '#comment' },
            { match: IDENT, name: S('constant.other.enum-member') },
            { include: '#punctuation' },
          ],
        },
      ],
    },

    // ---------------------------------------------------------- expressions and clauses
    expression: {
      patterns: [
        { include: '#comment' },
        { include: '#citation' },
        { include: '#string' },
        { include: '#date' },
        { include: '#range' },
        { include: '#number' },
        { include: '#kind-reference' },
        { include: '#tier-reference' },
        { include: '#quota-reference' },
        { include: '#builtin-function' },
        { include: '#keyword' },
        { include: '#comparison-word' },
        { include: '#function-call' },
        { include: '#operator' },
        { include: '#full-width' },
        { include: '#punctuation' },
        { include: '#name' },
      ],
    },
    citation: {
      patterns: [...keywordString(['cite'], 'string.quoted.citation'), ...keywordString(['text'], 'string.quoted.clause-text')],
    },
    string: {
      patterns: [
        stringRule('"', '"', S('string.quoted.double'), false),
        stringRule('“', '”', S('string.quoted.other.cjk'), true),
      ],
    },
    'cjk-string-inner': {
      begin: '“',
      end: '”|(?=$)',
      patterns: [{ include: '#cjk-string-inner' }],
    },
    date: { match: `${NA}${DATE}`, name: S('constant.numeric.date') },
    range: {
      patterns: [
        { match: '\\.\\.', name: S('keyword.operator.range') },
        { match: `(?:${alt(rangeWords)})(?=\\s*${DATE})`, name: S('keyword.operator.range') },
      ],
    },
    number: {
      // pest's quantity: decimal ~ " "? ~ (unit_suffix ~ !ident_char)?
      match: `${NA}(\\d+(?:\\.\\d+)?)(?:( ?)(${alt(units)})${NB})?`,
      captures: {
        1: { name: S('constant.numeric.decimal') },
        3: { name: S('keyword.other.unit') },
      },
    },
    'kind-reference': {
      patterns: [
        {
          // contains / on / aggregates (all any count share sum, direct): a list of kinds
          match: `${NA}(${alt(kw('contains', 'on'))})${NB}(?:\\s*(${NAMES}))?`,
          captures: {
            1: { name: S('keyword.other') },
            2: kindList('entity.name.type.kind'),
          },
        },
        {
          match: `${NA}(${alt(kw('all', 'any', 'count', 'share', 'sum'))})${NB}(?:\\s*(${alt(kw('direct'))})${NB})?(?:\\s*(${NAMES}))?`,
          captures: {
            1: { name: S('keyword.other.aggregate') },
            2: { name: S('keyword.other.aggregate') },
            3: kindList('entity.name.type.kind'),
          },
        },
      ],
    },
    'tier-reference': {
      // requires / blocks: a list of tiers; at: a tier
      patterns: [
        {
          match: `${NA}(${alt(kw('requires', 'blocks'))})${NB}(?:\\s*(${NAMES}))?`,
          captures: {
            1: { name: S('keyword.other') },
            2: kindList('entity.name.function.tier'),
          },
        },
        {
          match: `${NA}(${alt(kw('at'))})${NB}(?:\\s*(${NAME}))?`,
          captures: {
            1: { name: S('keyword.other.aggregate') },
            2: { name: S('entity.name.function.tier') },
          },
        },
      ],
    },
    'quota-reference': {
      // target … due quota NAME
      match: `${NA}(${alt(kw('due'))})${NB}(?:\\s*(${alt(kw('quota'))})${NB}(?:\\s*(${NAME}))?)?`,
      captures: {
        1: { name: S('keyword.other') },
        2: { name: S('keyword.other') },
        3: { name: S('variable.other.quota') },
      },
    },
    'builtin-function': {
      // min max ceil floor round abs and their Chinese names; `max`, `round` and `四舍五入` (also
      // keywords) followed by `(` are the functions
      match: `${NA}(${alt(['min', 'ceil', 'floor', 'round', 'abs', '最小', '最小值', '最大', '最大值', '向上取整', '向下取整', '四舍五入', '绝对值', ...fnKeywords])})(?=\\s*[(（])`,
      name: S('support.function.builtin'),
    },
    keyword: { patterns: keywordPatterns },
    'comparison-word': {
      // pest tries cmp_op only after an operand; where an operand is expected, `不满意人数` is a name.
      // So a comparison word must follow the end of an operand (a name, a number, a unit, `)`, a
      // string, or one of the keywords that are operands themselves) and up to two spaces.
      match: `${CMP_AFTER_OPERAND}${NA}(?:${alt(cmpWords)})`,
      name: S('keyword.operator.comparison.word'),
    },
    'function-call': {
      match: `(${NAME})(?=\\s*[(（])`,
      captures: { 1: { name: S('entity.name.function.call') } },
    },
    operator: {
      patterns: [
        { match: alt(cmpSymbols), name: S('keyword.operator.comparison') },
        { match: '[-+*×/÷]', name: S('keyword.operator.arithmetic') },
      ],
    },
    'full-width': {
      // Rejected outside strings and comments (E0002): the compiler names the half-width form.
      match: '[＝＋－＊／＜＞．；！＃［］｛｝０-９‘’《》。]',
      name: S('invalid.illegal.full-width'),
    },
    punctuation: {
      patterns: [
        { match: '[:：]', name: S('punctuation.separator.key-value') },
        { match: SEP, name: S('punctuation.separator.comma') },
        { match: ';', name: S('punctuation.terminator') },
        { match: '[(（]', name: S('punctuation.parenthesis.begin') },
        { match: '[)）]', name: S('punctuation.parenthesis.end') },
        { match: '\\{', name: S('punctuation.section.block.begin') },
        { match: '\\}', name: S('punctuation.section.block.end') },
      ],
    },
    name: { match: NAME, name: S('variable.other') },
  },
};

export { keywordRules, categoryOf, simpleTypes, cmpOps, units, grammar };

const json = `${JSON.stringify(grammar, null, 2)}\n`;
const main = Boolean(process.argv[1]) && realpathSync(fileURLToPath(import.meta.url)) === realpathSync(process.argv[1]);
if (!main) {
  // imported by a test
} else if (process.argv.includes('--check')) {
  let committed = '';
  try {
    committed = readFileSync(outPath, 'utf8');
  } catch {
    /* missing */
  }
  if (committed !== json) {
    console.error(`${outPath} is not what grammar/standard.pest gives: run \`npm run grammar\` and commit it.`);
    process.exit(1);
  }
  console.log(`grammar up to date (${keywordRules.length} keywords, ${simpleTypes.length} type names, ${cmpOps.length} comparisons, ${units.length} units)`);
} else {
  writeFileSync(outPath, json);
  console.log(`wrote ${outPath} (${keywordRules.length} keywords, ${simpleTypes.length} type names, ${cmpOps.length} comparisons, ${units.length} units)`);
}
