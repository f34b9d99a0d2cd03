//! The command line's arguments: the commands, their inputs and options.

use clap::{Args, Parser, Subcommand, ValueEnum};
use duibiao::Lang;
use std::path::PathBuf;

/// duibiao (对标): executable assessment standards.
#[derive(Parser)]
#[command(name = "duibiao", version, about)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Command,
    /// The most problems printed; the rest are counted (0: no limit).
    #[arg(long, global = true, value_name = "N", default_value_t = 100)]
    pub(crate) max_problems: usize,
    /// Raise (or lower) a limit, NAME=VALUE: source_bytes, nesting, facts_bytes, units,
    /// id_chars or name_chars; a size may end in KiB, MiB or GiB (see docs/reliability.md).
    #[arg(long, global = true, value_name = "NAME=VALUE", value_parser = parse_limit)]
    pub(crate) limit: Vec<(String, usize)>,
}

impl Cli {
    /// The limits of `--limit`, the defaults for the rest.
    pub(crate) fn limits(&self) -> duibiao::Limits {
        self.limit
            .iter()
            .fold(duibiao::Limits::default(), |l, (name, value)| {
                l.with(name, *value).unwrap_or(l)
            })
    }
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum LangArg {
    Zh,
    En,
}

impl From<LangArg> for Lang {
    fn from(l: LangArg) -> Lang {
        match l {
            LangArg::Zh => Lang::Zh,
            LangArg::En => Lang::En,
        }
    }
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub(crate) enum Format {
    Table,
    Json,
    Text,
}

/// What `eval` writes: a table, JSON, or a workbook (`--out`).
#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub(crate) enum EvalFormat {
    Table,
    Json,
    Xlsx,
}

/// What `template` writes: a JSON skeleton of one unit, or a workbook to fill in (`--out`).
#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub(crate) enum TemplateFormat {
    Json,
    Xlsx,
}

/// The form `convert` writes a facts file in.
#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub(crate) enum FactsForm {
    Json,
    Xlsx,
}

/// How `diff` and `impact` compare: parameters applied to both sides, the output's format and
/// language.
#[derive(Args)]
pub(crate) struct Comparison {
    /// A parameter value, `名称=值` (repeatable).
    #[arg(long = "param", value_name = "NAME=VALUE")]
    pub(crate) params: Vec<String>,
    /// `text` or `json`.
    #[arg(long, value_enum, default_value = "text")]
    pub(crate) format: Format,
    /// Language of the output and messages.
    #[arg(long, value_enum, default_value = "zh")]
    pub(crate) lang: LangArg,
}

/// What `eval`, `explain` and `progress` read: a standard, facts, and what overrides them.
#[derive(Args)]
pub(crate) struct Input {
    /// The `.std` file.
    pub(crate) file: PathBuf,
    /// The facts file: JSON, or a workbook (`.xlsx`).
    pub(crate) facts: PathBuf,
    /// A parameter value, `名称=值` (repeatable); overrides the standard and the facts file.
    #[arg(long = "param", value_name = "NAME=VALUE")]
    pub(crate) params: Vec<String>,
    /// The evaluation date (overrides the facts file's `as_of`).
    #[arg(long = "as-of", value_name = "DATE", value_parser = parse_date)]
    pub(crate) as_of: Option<chrono::NaiveDate>,
    /// What if: set a unit's fact or score, `UNIT.KEY=VALUE` (repeatable; `null` = not reported).
    #[arg(long = "set", value_name = "UNIT.KEY=VALUE")]
    pub(crate) set: Vec<String>,
    /// Language of the output and messages.
    #[arg(long, value_enum, default_value = "zh")]
    pub(crate) lang: LangArg,
}

#[derive(Subcommand)]
pub(crate) enum Command {
    /// Check a standard: print its diagnostics; exit 1 if it has errors.
    Check {
        /// The `.std` file.
        file: PathBuf,
        /// Language of the messages.
        #[arg(long, value_enum, default_value = "zh")]
        lang: LangArg,
        /// `text` or `json`.
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    /// Format standards in one layout, keeping their keywords, strings and comments as written:
    /// rewrite the files that change; with `--check`, only show them and exit 1. Exit 2 when a
    /// file does not parse.
    Fmt {
        /// The `.std` files (none, or `-`: standard input, formatted to standard output).
        files: Vec<PathBuf>,
        /// Change no file: show which are not formatted and how (their first differing lines),
        /// and exit 1 if any is not.
        #[arg(long)]
        check: bool,
        /// Language of the messages.
        #[arg(long, value_enum, default_value = "zh")]
        lang: LangArg,
    },
    /// Evaluate the units of a facts file against a standard.
    Eval {
        #[command(flatten)]
        input: Input,
        /// `table`, `json`, or `xlsx` (a workbook of the results, written to `--out`).
        #[arg(long, value_enum, default_value = "table")]
        format: EvalFormat,
        /// Where `--format xlsx` writes the workbook.
        #[arg(long, value_name = "PATH")]
        out: Option<PathBuf>,
        /// In JSON, every unit's full outcome (items, every condition with its numbers and
        /// clause, requirements, consequences) rather than its summary.
        #[arg(long)]
        detail: bool,
    },
    /// Report progress against the standard's dated targets: every target due by the evaluation
    /// date (`--as-of`, else the facts file's `as_of`).
    Progress {
        #[command(flatten)]
        input: Input,
        /// `table` or `json`.
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
    /// Explain why a unit has its tier: every condition with its value, threshold and clause.
    Explain {
        #[command(flatten)]
        input: Input,
        /// The unit's id.
        unit: String,
        /// `text` or `json`.
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    /// Gap plan: what stands between a unit and a tier (问题清单) and what to change to get there
    /// (提升清单), checked by evaluation.
    Gap {
        #[command(flatten)]
        input: Input,
        /// The unit's id.
        unit: String,
        /// The tier to reach.
        #[arg(long = "to", value_name = "TIER")]
        to: String,
        /// `text` or `json`.
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    /// What changed between two facts files of the same standard (units matched by id).
    Diff {
        /// The `.std` file.
        file: PathBuf,
        /// The facts before.
        before: PathBuf,
        /// The facts after.
        after: PathBuf,
        #[command(flatten)]
        report: Comparison,
    },
    /// The impact of a revision: the rules that changed between two versions of a standard,
    /// clause by clause, and the units of a facts file whose score, tier, vetoes or target
    /// results change, with the conditions that make them change.
    Impact {
        /// The version in force (`.std`).
        current: PathBuf,
        /// The revision (`.std`).
        revision: PathBuf,
        /// The facts file: JSON, or a workbook (`.xlsx`).
        facts: PathBuf,
        #[command(flatten)]
        report: Comparison,
    },
    /// Keep an evaluation live: read `UNIT.KEY=VALUE` lines from standard input and, after each,
    /// print the units whose score or tier changed (only the units a change can affect are
    /// evaluated again).
    Live {
        #[command(flatten)]
        input: Input,
    },
    /// Run the assessment service: an HTTP API over the standards of a folder (compiled at start,
    /// compiled again when they change) with a store of assessment rounds (docs/service.md);
    /// stops on Ctrl-C or SIGTERM after the requests in progress.
    Serve {
        /// The folder of standards.
        #[arg(long, value_name = "DIR", default_value = "standards")]
        standards: PathBuf,
        /// The address to listen on.
        #[arg(long, value_name = "HOST:PORT", default_value = "127.0.0.1:8080")]
        addr: String,
        /// The store of rounds: a SQLite file (made when missing), or postgres://USER@HOST/DB.
        #[arg(long, value_name = "URL", default_value = "duibiao.sqlite3")]
        db: String,
        /// The largest request body, in bytes.
        #[arg(long, value_name = "BYTES", default_value_t = 16 << 20)]
        max_body: usize,
        /// The longest a request may take, in seconds.
        #[arg(long, value_name = "SECONDS", default_value_t = 30)]
        timeout: u64,
        /// How many calls may evaluate at once; more wait their turn (default: one per core).
        #[arg(long, value_name = "N", value_parser = parse_workers)]
        workers: Option<u16>,
    },
    /// Print an empty facts skeleton for one unit of a kind, for an assessor to fill in; with
    /// `--format xlsx`, write a workbook to fill in (a sheet per kind, or of the kind given).
    Template {
        /// The `.std` file.
        file: PathBuf,
        /// The unit kind (街道, 社区 …); required for JSON.
        kind: Option<String>,
        /// `json`, or `xlsx` (a workbook, written to `--out`).
        #[arg(long, value_enum, default_value = "json")]
        format: TemplateFormat,
        /// Where to write (JSON: standard output when not given).
        #[arg(long, value_name = "PATH")]
        out: Option<PathBuf>,
    },
    /// Convert a facts file between JSON and a workbook (xlsx): the same units, values and
    /// parameters in the other form. The standard is `--standard`, else `standards/<slug>.std`
    /// for the slug the facts name.
    Convert {
        /// The facts file: JSON, or a workbook (`.xlsx`).
        facts: PathBuf,
        /// The form to write: `json` or `xlsx`.
        #[arg(long = "to", id = "into", value_enum)]
        into: FactsForm,
        /// The `.std` file the facts are for.
        #[arg(long, value_name = "FILE")]
        standard: Option<PathBuf>,
        /// Where to write (JSON: standard output when not given; a workbook needs it).
        #[arg(long, value_name = "PATH")]
        out: Option<PathBuf>,
        /// Language of the messages.
        #[arg(long, value_enum, default_value = "zh")]
        lang: LangArg,
    },
    /// Write the traceability page of a standard: every encoded clause with its rule and
    /// citation, and the clauses not encoded (default: `docs/standards/<slug>.md`).
    Doc {
        /// The `.std` file.
        file: PathBuf,
        /// Where to write the page (`-` for standard output).
        #[arg(long, value_name = "PATH")]
        out: Option<PathBuf>,
    },
    /// Print the JSON Schema of facts files.
    Schema,
    /// Run the cases of standards (`standards/<slug>/cases/NAME.json` with `NAME.expected.json`):
    /// pass or fail per case with the differences; exit 1 if a case fails, 2 if one cannot run.
    Test(TestArgs),
    /// Run the language server (LSP, over standard input and output): diagnostics, hover,
    /// definitions, references, completion, outline and quick fixes in an editor (docs/lsp.md).
    Lsp,
    /// Generate a reproducible synthetic facts file of N units for a standard (load tests,
    /// benchmarks): realistic fan-outs, plausible values, some missing, a few vetoes.
    Gen {
        /// The `.std` file.
        file: PathBuf,
        /// How many units.
        #[arg(long, value_name = "N")]
        units: usize,
        /// The seed: the same seed gives the same file.
        #[arg(long, value_name = "S", default_value_t = 0)]
        seed: u64,
        /// Children per parent by kind, `社区=3-8,小区=0-5` (kinds not given take defaults).
        #[arg(long, value_name = "KIND=MIN-MAX,…")]
        shape: Vec<String>,
        /// Percentage of values left out.
        #[arg(long, value_name = "P", default_value_t = 2.0)]
        missing: f64,
        /// Percentage of veto facts (named …否决…) set true.
        #[arg(long, value_name = "P", default_value_t = 3.0)]
        veto: f64,
        /// The facts file's `as_of` (default: the end of the standard's effective period).
        #[arg(long = "as-of", value_name = "DATE", value_parser = parse_date)]
        as_of: Option<chrono::NaiveDate>,
        /// Where to write the facts file (default: standard output).
        #[arg(long, value_name = "PATH")]
        out: Option<PathBuf>,
    },
}

/// What `test` reads and how it reports.
#[derive(Args)]
pub(crate) struct TestArgs {
    /// Standards (`.std`), cases folders or case files (default: every `standards/*.std` under
    /// the current directory).
    pub(crate) paths: Vec<PathBuf>,
    /// Also report, for every rule with its clause, whether the cases saw it pass, fail and
    /// unknown, and the clauses no case exercises.
    #[arg(long)]
    pub(crate) coverage: bool,
    /// `text` or `json`.
    #[arg(long, value_enum, default_value = "text")]
    pub(crate) format: Format,
    /// Write the coverage as one HTML page to FILE.
    #[arg(long, value_name = "FILE")]
    pub(crate) html: Option<PathBuf>,
    /// Rewrite the expected file of every failing case with the actual values of the fields it
    /// states (after printing what changes).
    #[arg(long)]
    pub(crate) update: bool,
    /// Language of the output and messages.
    #[arg(long, value_enum, default_value = "zh")]
    pub(crate) lang: LangArg,
}

/// A limit written `NAME=VALUE`: a name of [`duibiao::Limits::NAMES`] (`-` for `_` allowed) and
/// a whole number, which may end in `KiB`, `MiB` or `GiB`.
pub(crate) fn parse_limit(s: &str) -> Result<(String, usize), String> {
    let expected = || {
        format!(
            "expected NAME=VALUE, NAME one of {}, VALUE a whole number (a size may end in KiB, MiB or GiB)",
            duibiao::Limits::NAMES.join(", ")
        )
    };
    let (name, value) = s.split_once('=').ok_or_else(expected)?;
    let name = name.trim().replace('-', "_");
    if !duibiao::Limits::NAMES.contains(&name.as_str()) {
        return Err(expected());
    }
    let value = value.trim();
    let (digits, unit) = [("KiB", 1usize << 10), ("MiB", 1 << 20), ("GiB", 1 << 30)]
        .into_iter()
        .find_map(|(suffix, n)| Some((value.strip_suffix(suffix)?.trim_end(), n)))
        .unwrap_or((value, 1));
    let n = digits
        .parse::<usize>()
        .ok()
        .and_then(|n| n.checked_mul(unit))
        .ok_or_else(expected)?;
    Ok((name, n))
}

pub(crate) fn parse_workers(s: &str) -> Result<u16, String> {
    match s.parse::<u16>() {
        Ok(n) if n >= 1 => Ok(n),
        _ => Err("应为 1 到 65535 之间的整数 · a whole number from 1 to 65535 was expected".into()),
    }
}

/// A date such as 2021-12-31.
pub(crate) fn parse_date(s: &str) -> Result<chrono::NaiveDate, String> {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| format!("`{s}` is not a date such as 2021-12-31"))
}
