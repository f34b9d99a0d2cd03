//! Diagnostics: every problem the compiler finds in a `.std` file, with a stable code, a message in
//! Chinese and in English, help text, and the byte span it is about.
//!
//! Message style (see `docs/error-style.md`): lower-case, no final full stop, user input in
//! backticks, no Rust type names, extra explanation in the help text.

mod closest;
mod help;
mod messages;
mod peers;
mod problems;
mod rating;
mod records;

pub use closest::closest;
pub use peers::PeersProblem;
pub use problems::{PeriodProblem, QuotaProblem, Unreachable};
pub use rating::RatingProblem;
pub use records::{RecordsProblem, TextProblem};

use duibiao_syntax::ast::Span;
use duibiao_syntax::{Hint, SyntaxError, SyntaxErrorKind};
pub(crate) use messages::type_zh;
use serde::Serialize;

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The file compiles, but something is probably not what the writer meant.
    Warning,
    /// The file cannot be compiled.
    Error,
}

/// What a diagnostic is about. Each variant has a stable code (`E0xxx` for errors, `W0xxx` for
/// warnings), an English message (its `Display`), a Chinese message and help text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum DiagnosticKind {
    /// The grammar could not go on here.
    #[error("{}", syntax_en(found.as_deref(), hint.as_ref()))]
    Syntax {
        /// What could have come here.
        expected: Vec<duibiao_syntax::error::Expected>,
        /// What was found.
        found: Option<String>,
        /// What the writer most likely meant, when the text around the error tells.
        hint: Option<Hint>,
    },
    /// Full-width punctuation where it is not accepted.
    #[error("full-width character `{found}` is not accepted here")]
    FullWidth {
        /// The character.
        found: char,
        /// Its half-width form.
        ascii: String,
    },
    /// A header field written twice.
    #[error("header field `{0}` is written twice")]
    DuplicateField(String),
    /// A string not closed on its line.
    #[error("string is not closed")]
    UnclosedString,
    /// A date that does not exist.
    #[error("`{0}` is not a calendar date")]
    InvalidDate(String),
    /// A number that cannot be held exactly.
    #[error("`{0}` is not a number that can be held exactly")]
    InvalidNumber(String),
    /// A quantity whose value cannot be held exactly once scaled to its unit: an amount in 万元
    /// beyond about 7.9×10^24, a percentage with more than 26 decimal places.
    #[error("`{0}` is not a number that can be held exactly")]
    NumberOutOfRange(String),
    /// Brackets nested deeper than the limit.
    #[error("brackets are nested deeper than the limit of {limit}")]
    TooDeep {
        /// The limit.
        limit: usize,
    },
    /// File larger than the limit.
    #[error("the file is {}, larger than the limit of {}", size_en(*found), size_en(*limit))]
    TooLarge {
        /// The limit, in bytes.
        limit: usize,
        /// The file's size, in bytes.
        found: usize,
    },
    /// More `if` expressions in one declaration than the limit.
    #[error("one declaration has more than {limit} `if` expressions")]
    TooManyIfs {
        /// The limit.
        limit: usize,
    },
    /// An arithmetic chain longer than the limit.
    #[error("an expression has more than {limit} terms")]
    TooLong {
        /// The limit.
        limit: usize,
    },
    /// A kind named but never declared.
    #[error("unknown unit kind `{0}`")]
    UnknownKind(String),
    /// A word after `among` that is neither `all`, `siblings` nor a declared kind.
    #[error("unknown unit kind `{name}`")]
    UnknownPeers {
        /// The word.
        name: String,
        /// The kinds that contain the ranked unit's kind, which `among` also accepts.
        containers: Vec<String>,
    },
    /// A kind declared twice.
    #[error("unit kind `{0}` is declared twice")]
    DuplicateKind(String),
    /// Kinds that contain each other.
    #[error("unit kinds contain each other: {0}")]
    ContainmentCycle(String),
    /// A name that resolves to nothing.
    #[error("unknown name `{name}` in a rule of `{kind}`")]
    UnknownName {
        /// The name.
        name: String,
        /// The kind whose rule uses it.
        kind: String,
    },
    /// A name of the aggregating kind used in an aggregate's `where (…)` or `of (…)`, which is
    /// evaluated for each sub-unit.
    #[error("`{name}` is a name of `{outer}`, not usable in `where`/`of`, which is evaluated for each `{kind}`")]
    OuterName {
        /// The name.
        name: String,
        /// The sub-kind the filter or value is evaluated for.
        kind: String,
        /// The aggregating kind, which declares the name.
        outer: String,
    },
    /// A name declared twice for one kind.
    #[error("`{name}` is declared twice for `{kind}`")]
    DuplicateName {
        /// The name.
        name: String,
        /// The kind.
        kind: String,
    },
    /// A level of an enumeration with the name of another thing of the kind: in a condition the
    /// name is read as that thing, never as the level.
    #[error("level `{name}` has the same name as {}", other_en(what, name, kind))]
    LevelClash {
        /// The name.
        name: String,
        /// The kind.
        kind: String,
        /// What else has the name: `tier`, `fact`, `derived value`, `requirement` or `parameter`.
        what: String,
    },
    /// Two quantities of different units compared or combined.
    #[error("cannot {op} {left} and {right}")]
    UnitMismatch {
        /// What was attempted (`compare`, `add` …).
        op: String,
        /// The left type, in words.
        left: String,
        /// The right type, in words.
        right: String,
    },
    /// A percentage compared with a bare number.
    #[error("a percentage is compared with the bare number `{0}`")]
    PercentWithoutSign(String),
    /// An operand of the wrong type.
    #[error("expected {expected}, found {found}")]
    WrongType {
        /// What was expected, in words.
        expected: String,
        /// What was found, in words.
        found: String,
    },
    /// Derived values, requirements or tiers that depend on themselves.
    #[error("`{0}` depends on itself")]
    DependencyCycle(String),
    /// A tier that does not exist for that kind.
    #[error("unknown tier `{tier}` of `{kind}`")]
    UnknownTier {
        /// The tier.
        tier: String,
        /// The kind.
        kind: String,
        /// The kind's tiers.
        known: Vec<String>,
    },
    /// An aggregate over a kind that the unit does not contain.
    #[error("`{kind}` does not contain `{sub}`")]
    NotContained {
        /// The aggregating kind.
        kind: String,
        /// The kind aggregated over.
        sub: String,
    },
    /// A function that does not exist, or called with the wrong number of arguments.
    #[error("unknown function `{0}`")]
    UnknownFunction(String),
    /// A function called with the wrong number of arguments.
    #[error("`{name}` takes {expected} argument(s), found {found}")]
    Arity {
        /// The function.
        name: String,
        /// What it takes.
        expected: String,
        /// How many were given.
        found: usize,
    },
    /// `score N` naming no item or part (or `score` in a kind without a scorecard).
    #[error("{}", if key.is_empty() { format!("`{kind}` has no scorecard") } else { format!("`{kind}` has no scorecard entry `{key}`") })]
    UnknownScoreKey {
        /// The kind.
        kind: String,
        /// The key (`6`, `6.1`, or empty for the total).
        key: String,
    },
    /// Item or part numbers repeated or out of order.
    #[error("{what} number {number} is out of order: expected {expected}")]
    Numbering {
        /// `item` or `part`.
        what: String,
        /// The number written.
        number: u32,
        /// The number expected here.
        expected: u32,
    },
    /// Points that are not a positive number of points.
    #[error("points must be a positive number of `分`, found `{0}`")]
    InvalidPoints(String),
    /// A tier declared twice, a second scorecard or tiers block for a kind.
    #[error("`{kind}` already has {what}")]
    Redeclared {
        /// The kind.
        kind: String,
        /// What it already has.
        what: String,
    },
    /// A parameter whose value does not fit its type, or with neither.
    #[error("parameter `{name}`: {problem}")]
    BadParam {
        /// The parameter.
        name: String,
        /// What is wrong.
        problem: String,
    },
    /// An aggregate clause that does not fit its operator.
    #[error("`{op}` {problem}")]
    BadAggregate {
        /// The operator.
        op: String,
        /// What is wrong.
        problem: String,
    },
    /// The effective period ends before it starts.
    #[error("the effective period ends before it starts")]
    ReversedPeriod,
    /// A tier listed before a tier it requires.
    #[error("tier `{tier}` requires `{required}`, which is not listed before it")]
    TierOrder {
        /// The tier.
        tier: String,
        /// The prerequisite.
        required: String,
    },
    /// Dated values whose periods overlap, leave a gap, or do not cover the effective period.
    #[error("`{name}`: {problem}")]
    Periods {
        /// The parameter.
        name: String,
        /// What is wrong.
        problem: PeriodProblem,
    },
    /// A quota table that does not fit together.
    #[error("quota table `{name}`: {problem}")]
    BadQuota {
        /// The table.
        name: String,
        /// What is wrong.
        problem: QuotaProblem,
    },
    /// Payers' shares that do not add up to 100%.
    #[error("the shares of `{name}` add up to {sum}, not to 100%")]
    SplitSum {
        /// The consequence.
        name: String,
        /// Their sum.
        sum: String,
    },
    /// A quota table name that is not declared.
    #[error("unknown quota table `{0}`")]
    UnknownQuota(String),
    /// A rating rule (`tier` value, `unrated`, `cap`, `limit`) that does not fit.
    #[error("{0}")]
    BadRating(RatingProblem),
    /// A `records` declaration, or a name in a record's filter, that does not fit.
    #[error("{0}")]
    BadRecords(RecordsProblem),
    /// A text value where it cannot be.
    #[error("{0}")]
    BadText(TextProblem),
    /// The kinds a rank or count of peers lists after `of` do not fit.
    #[error("{0}")]
    BadPeers(PeersProblem),
    /// A declared fact no rule reads.
    #[error("fact `{name}` of `{kind}` is never used")]
    UnusedFact {
        /// The fact.
        name: String,
        /// The kind.
        kind: String,
    },
    /// A declared parameter no rule reads.
    #[error("parameter `{0}` is never used")]
    UnusedParam(String),
    /// An item's parts do not add up to its maximum.
    #[error("the parts of item {item} add up to {sum}, not to its maximum {max}")]
    PartsSum {
        /// The item.
        item: u32,
        /// The sum of the parts.
        sum: String,
        /// The maximum.
        max: String,
    },
    /// A scorecard's items do not add up to its total.
    #[error("the items of `{kind}`'s scorecard add up to {sum}, not to its total {total}")]
    ItemsSum {
        /// The kind.
        kind: String,
        /// The sum of the items.
        sum: String,
        /// The declared total.
        total: String,
    },
    /// A tier no unit can reach.
    #[error(
        "no unit can reach tier `{tier}` of {}: {reason}",
        problems::listed(kinds, ", ", " and ")
    )]
    UnreachableTier {
        /// The tier.
        tier: String,
        /// The kinds whose tier it is (one `tiers` block may serve several).
        kinds: Vec<String>,
        /// Why.
        reason: Unreachable,
    },
}

/// What a related place of a diagnostic with `code` is, in Chinese and in English, for the label
/// that marks it: the first declaration of a duplicate, or one of the conditions that contradict
/// each other.
pub fn related_label(code: &str) -> (&'static str, &'static str) {
    match code {
        // E0126: the first limit on a tier limited twice.
        "E0102" | "E0105" | "E0117" | "E0126" => ("首次声明于此", "first declared here"),
        "W0005" => ("相互矛盾的条件", "a clashing condition"),
        _ => ("相关位置", "related place"),
    }
}

/// One diagnostic: what, where, and the other places it relates to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// What is wrong.
    pub kind: DiagnosticKind,
    /// Where.
    pub span: Span,
    /// Related places (the first declaration of a duplicate, the conditions that contradict
    /// each other, …).
    pub related: Vec<Span>,
    /// What the text at `span` should most likely be instead, when the compiler can tell: the
    /// declared name closest to a misspelt one (see [`closest`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<String>,
}

impl Diagnostic {
    /// A diagnostic at `span`.
    pub fn new(kind: DiagnosticKind, span: Span) -> Self {
        Diagnostic {
            kind,
            span,
            related: Vec::new(),
            suggestion: None,
        }
    }

    /// The same diagnostic suggesting `replacement` for the text at its span.
    pub fn suggesting(mut self, replacement: Option<String>) -> Self {
        self.suggestion = replacement;
        self
    }

    /// Help text in Chinese and English: the kind's help, led by the suggestion when there is
    /// one (`是否应为 `绿化面积`？` / `did you mean `绿化面积`?`).
    pub fn help(&self) -> Option<(String, String)> {
        let help = self.kind.help();
        let Some(s) = &self.suggestion else {
            return help;
        };
        let (zh, en) = (format!("是否应为 `{s}`？"), format!("did you mean `{s}`?"));
        Some(match help {
            Some((hz, he)) => (format!("{zh}{hz}"), format!("{en} {he}")),
            None => (zh, en),
        })
    }

    /// The stable code.
    pub fn code(&self) -> &'static str {
        self.kind.code()
    }

    /// Error or warning.
    pub fn severity(&self) -> Severity {
        self.kind.severity()
    }
}

impl From<SyntaxError> for Diagnostic {
    fn from(e: SyntaxError) -> Self {
        let kind = match e.kind {
            SyntaxErrorKind::Unexpected {
                expected,
                found,
                hint,
            } => DiagnosticKind::Syntax {
                expected,
                found,
                hint,
            },
            SyntaxErrorKind::FullWidth { found, ascii } => DiagnosticKind::FullWidth {
                found,
                ascii: ascii.to_string(),
            },
            SyntaxErrorKind::UnclosedString => DiagnosticKind::UnclosedString,
            SyntaxErrorKind::DuplicateField(f) => DiagnosticKind::DuplicateField(f),
            SyntaxErrorKind::InvalidDate(d) => DiagnosticKind::InvalidDate(d),
            SyntaxErrorKind::InvalidNumber(n) => DiagnosticKind::InvalidNumber(n),
            SyntaxErrorKind::TooDeep { limit } => DiagnosticKind::TooDeep { limit },
            SyntaxErrorKind::TooLarge { limit, found } => DiagnosticKind::TooLarge { limit, found },
            SyntaxErrorKind::TooManyIfs { limit } => DiagnosticKind::TooManyIfs { limit },
            SyntaxErrorKind::TooLong { limit } => DiagnosticKind::TooLong { limit },
        };
        // The colon of a derived value is replaced by `=` (the editor's quick fix).
        let equals = matches!(
            kind,
            DiagnosticKind::Syntax {
                hint: Some(Hint::DerivedColon { .. }),
                ..
            }
        );
        Diagnostic::new(kind, e.span).suggesting(equals.then(|| "=".to_string()))
    }
}

/// The English message of a syntax error: what was found, or what was meant when the text
/// around it tells.
fn syntax_en(found: Option<&str>, hint: Option<&Hint>) -> String {
    match (hint, found) {
        (Some(Hint::Keyword(k)), _) => format!("unexpected keyword `{k}`"),
        (Some(Hint::ChainedComparison { written, .. }), _) => {
            format!("comparisons cannot be chained: `{written}`")
        }
        (Some(Hint::DerivedColon { name, colon, .. }), _) => {
            format!("expected `=` after the derived value `{name}`, found `{colon}`")
        }
        (None, Some(f)) => format!("unexpected `{f}`"),
        (None, None) => "unexpected end of file".into(),
    }
}

/// The other thing of [`DiagnosticKind::LevelClash`], in English: ``tier `A` of `社区` ``.
fn other_en(what: &str, name: &str, kind: &str) -> String {
    if what == "parameter" {
        format!("parameter `{name}`")
    } else {
        format!("{what} `{name}` of `{kind}`")
    }
}

const MIB: usize = 1024 * 1024;

/// A size in bytes as a reader takes it in: whole mebibytes as such, other sizes in bytes.
fn size_en(n: usize) -> String {
    size(n, "bytes")
}

/// [`size_en`] in Chinese.
fn size_zh(n: usize) -> String {
    size(n, "字节")
}

fn size(n: usize, bytes: &str) -> String {
    if n >= MIB && n.is_multiple_of(MIB) {
        format!("{} MiB", n / MIB)
    } else {
        format!("{n} {bytes}")
    }
}
