//! `duibiao`: check standards, evaluate units against them, explain the results.

use clap::{Args, Parser, Subcommand, ValueEnum};
use duibiao::{Lang, Outcome, Standard, Verdict};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// duibiao (对标): executable assessment standards.
#[derive(Parser)]
#[command(name = "duibiao", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum LangArg {
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
enum Format {
    Table,
    Json,
    Text,
}

/// What `eval`, `explain` and `progress` read: a standard, facts, and what overrides them.
#[derive(Args)]
struct Input {
    /// The `.std` file.
    file: PathBuf,
    /// The facts file (JSON).
    facts: PathBuf,
    /// A parameter value, `名称=值` (repeatable); overrides the standard and the facts file.
    #[arg(long = "param", value_name = "NAME=VALUE")]
    params: Vec<String>,
    /// The evaluation date (overrides the facts file's `as_of`).
    #[arg(long = "as-of", value_name = "DATE", value_parser = parse_date)]
    as_of: Option<chrono::NaiveDate>,
    /// What if: set a unit's fact or score, `UNIT.KEY=VALUE` (repeatable; `null` = not reported).
    #[arg(long = "set", value_name = "UNIT.KEY=VALUE")]
    set: Vec<String>,
    /// Language of the output and messages.
    #[arg(long, value_enum, default_value = "zh")]
    lang: LangArg,
}

#[derive(Subcommand)]
enum Command {
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
    /// Evaluate the units of a facts file against a standard.
    Eval {
        #[command(flatten)]
        input: Input,
        /// `table` or `json`.
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
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
        /// A parameter value, `名称=值` (repeatable).
        #[arg(long = "param", value_name = "NAME=VALUE")]
        params: Vec<String>,
        /// `text` or `json`.
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
        /// Language of the output and messages.
        #[arg(long, value_enum, default_value = "zh")]
        lang: LangArg,
    },
    /// Keep an evaluation live: read `UNIT.KEY=VALUE` lines from standard input and, after each,
    /// print the units whose score or tier changed (only the units a change can affect are
    /// evaluated again).
    Live {
        #[command(flatten)]
        input: Input,
    },
    /// Print an empty facts skeleton for one unit of a kind, for an assessor to fill in.
    Template {
        /// The `.std` file.
        file: PathBuf,
        /// The unit kind (街道, 社区 …).
        kind: String,
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

/// A failure already explained to the user.
struct Failed;

fn read(path: &Path) -> Result<String, Failed> {
    std::fs::read(path)
        .map_err(|e| {
            eprintln!("error: cannot read `{}`: {e}", path.display());
            eprintln!("错误：无法读取 `{}`", path.display());
            Failed
        })
        .and_then(|bytes| {
            String::from_utf8(bytes).map_err(|e| {
                eprintln!(
                    "error: `{}` is not UTF-8 text (invalid byte at offset {})",
                    path.display(),
                    e.utf8_error().valid_up_to()
                );
                eprintln!("错误：`{}` 不是 UTF-8 文本", path.display());
                Failed
            })
        })
}

fn compile(path: &Path, lang: Lang) -> Result<Standard, Failed> {
    let source = read(path)?;
    let name = path.display().to_string();
    match Standard::compile(&name, &source) {
        Ok(s) => {
            if !s.warnings().is_empty() {
                eprint!("{}", s.render_warnings(lang));
            }
            Ok(s)
        }
        Err(e) => {
            eprint!("{}", e.render(lang));
            let errors = e
                .diagnostics
                .iter()
                .filter(|d| d.severity() == duibiao::Severity::Error)
                .count();
            eprintln!(
                "{}",
                match lang {
                    Lang::Zh => format!("{name}：{errors} 个错误"),
                    Lang::En => format!("{name}: {errors} error(s)"),
                }
            );
            Err(Failed)
        }
    }
}

/// Reads and loads a facts file, reporting every problem; returns the facts and whether they
/// were clean.
fn load_facts(
    standard: &Standard,
    facts: &Path,
    lang: Lang,
) -> Result<(duibiao::Facts, bool), Failed> {
    let text = read(facts)?;
    let (loaded, errors) = standard.load_facts(&text);
    let file = facts.display();
    for e in &errors {
        let msg = match lang {
            Lang::Zh => e.message_zh(),
            Lang::En => e.message_en(),
        };
        eprintln!("{file}: {} {msg}", e.code);
    }
    if errors.iter().any(|e| e.code == "F0001") {
        // Nothing could be read: there are no results to show.
        return Err(Failed);
    }
    Ok((loaded, errors.is_empty()))
}

/// Loaded facts, the `--param` values, and whether all input was clean.
type Loaded = (duibiao::Facts, Vec<(usize, duibiao::Value)>, bool);

/// Reads a facts file and the `--param` values, reporting every problem; returns what could be
/// loaded, the parameter values, and whether all input was clean.
fn load(standard: &Standard, input: &Input, lang: Lang) -> Result<Loaded, Failed> {
    let (mut loaded, mut clean) = load_facts(standard, &input.facts, lang)?;
    for a in &input.set {
        if let Err(e) = standard.set(&mut loaded, a) {
            let msg = match lang {
                Lang::Zh => e.message_zh(),
                Lang::En => e.message_en(),
            };
            eprintln!("--set: {} {msg}", e.code);
            clean = false;
        }
    }
    let params = &input.params;
    let mut supplied = Vec::new();
    for p in params {
        match standard.parse_param(p) {
            Ok(v) => supplied.push(v),
            Err(e) => {
                match lang {
                    Lang::Zh => eprintln!("--param：{}", e.message_zh()),
                    Lang::En => eprintln!("--param: {e}"),
                }
                clean = false;
            }
        }
    }
    Ok((loaded, supplied, clean))
}

fn evaluate(standard: &Standard, input: &Input, detail: bool) -> Result<(Outcome, bool), Failed> {
    let lang = Lang::from(input.lang);
    let (loaded, supplied, clean) = load(standard, input, lang)?;
    let date = input.as_of.or(loaded.as_of);
    match standard.evaluate_on(&loaded, &supplied, date, detail) {
        Ok(o) => {
            for m in &o.unresolved_params {
                match lang {
                    Lang::Zh => eprintln!("警告：{}；读取它的规则结果为未知", m.message_zh()),
                    Lang::En => eprintln!("warning: {m}; rules reading it are unknown"),
                }
            }
            Ok((o, clean))
        }
        Err(missing) => {
            report_missing(&missing, lang);
            Err(Failed)
        }
    }
}

fn report_missing(missing: &[duibiao::MissingParam], lang: Lang) {
    for m in missing {
        match lang {
            Lang::Zh => eprintln!("错误：{}", m.message_zh()),
            Lang::En => eprintln!("error: {m}"),
        }
    }
}

fn parse_date(s: &str) -> Result<chrono::NaiveDate, String> {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| format!("`{s}` is not a date such as 2021-12-31"))
}

/// One row of the `eval` table: id, name, kind, score, tier (with the tiers still unknown).
fn row(u: &duibiao::UnitSummary, lang: Lang) -> [String; 5] {
    let zh = lang == Lang::Zh;
    let unknown_tiers: Vec<&str> = u
        .tiers
        .iter()
        .filter(|(_, v)| **v == Verdict::Unknown)
        .map(|(t, _)| t.as_str())
        .collect();
    let mut tier = u.tier.clone().unwrap_or_else(|| "—".into());
    if !unknown_tiers.is_empty() {
        tier.push_str(&if zh {
            format!("（{} 未知）", unknown_tiers.join("、"))
        } else {
            format!(" ({} unknown)", unknown_tiers.join(", "))
        });
    }
    [
        u.id.clone(),
        u.name.clone().unwrap_or_default(),
        u.kind.clone(),
        match (&u.score, &u.score_total) {
            (Some(s), _) => s.clone(),
            (None, Some(_)) => (if zh { "未知" } else { "unknown" }).to_string(),
            (None, None) => "—".to_string(),
        },
        tier,
    ]
}

/// Writes the `eval` table in two passes over the units (widths, then rows), holding one row at
/// a time.
fn stream_table(s: &Standard, live: &duibiao::Live, lang: Lang) -> Result<(), Failed> {
    let zh = lang == Lang::Zh;
    let header: [String; 5] = if zh {
        ["编号", "名称", "类型", "得分", "等级"].map(String::from)
    } else {
        ["id", "name", "kind", "score", "tier"].map(String::from)
    };
    let width = |s: &str| {
        s.chars()
            .map(|c| if c.is_ascii() { 1 } else { 2 })
            .sum::<usize>()
    };
    let n = live.tree().units.len();
    let rows = || {
        std::iter::once(header.clone()).chain(
            (0..n)
                .filter_map(|u| live.unit_summary_at(u))
                .map(|u| row(&u, lang)),
        )
    };
    let mut widths = [0usize; 5];
    for r in rows() {
        for (i, c) in r.iter().enumerate() {
            widths[i] = widths[i].max(width(c));
        }
    }
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for r in rows() {
        let cells: Vec<String> = r
            .iter()
            .enumerate()
            .map(|(i, c)| format!("{c}{}", " ".repeat(widths[i] - width(c))))
            .collect();
        writeln!(out, "{}", cells.join("  ").trim_end()).map_err(|_| Failed)?;
    }
    writeln!(
        out,
        "{} {}",
        if zh { "标准指纹" } else { "fingerprint" },
        s.fingerprint()
    )
    .map_err(|_| Failed)?;
    out.flush().map_err(|_| Failed)
}

fn progress_table(p: &duibiao::Progress, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    let mut out = String::new();
    let word = |v: Verdict| match (v, zh) {
        (Verdict::Pass, true) => "达成",
        (Verdict::Fail, true) => "未达成",
        (Verdict::Unknown, true) => "未知",
        (Verdict::Pass, false) => "met",
        (Verdict::Fail, false) => "missed",
        (Verdict::Unknown, false) => "unknown",
    };
    out.push_str(&if zh {
        format!("截至 {} 应完成的目标\n", p.as_of)
    } else {
        format!("targets due by {}\n", p.as_of)
    });
    for t in &p.targets {
        let soft = match (t.soft, zh) {
            (true, true) => "（力争，不计入硬性目标）",
            (true, false) => " (soft: never counted as missed)",
            _ => "",
        };
        let clause = t
            .clause
            .as_ref()
            .map(|c| format!("〔{c}〕"))
            .unwrap_or_default();
        out.push_str(&format!(
            "\n{} {}{soft}：{}{clause}\n",
            t.due,
            t.name,
            word(t.status)
        ));
        if let Some(text) = &t.text {
            out.push_str(&format!("  {text}\n"));
        }
        for r in &t.rows {
            let who = match (&r.unit, &r.name) {
                (Some(id), Some(n)) => format!("{id} {n}"),
                (Some(id), None) => id.clone(),
                _ => (if zh { "全域" } else { "overall" }).to_string(),
            };
            let numbers = match (&r.actual, r.op.as_deref(), &r.required) {
                (a, Some(op), Some(req)) => {
                    let a = a
                        .clone()
                        .unwrap_or_else(|| word(Verdict::Unknown).to_string());
                    if zh {
                        format!("  实际 {a}，要求{} {req}", duibiao::op_words(op, lang))
                    } else {
                        format!("  actual {a}, required {op} {req}")
                    }
                }
                _ => String::new(),
            };
            out.push_str(&format!("  {} {who}{numbers}\n", word(r.verdict)));
        }
    }
    out.push_str(&format!(
        "\n{}\n",
        match (p.all_hard_met, zh) {
            (true, true) => "全部硬性目标已达成",
            (false, true) => "有硬性目标未达成或未知",
            (true, false) => "every hard target is met",
            (false, false) => "some hard targets are missed or unknown",
        }
    ));
    out
}

fn verdict_word(v: Verdict, lang: Lang) -> &'static str {
    v.word(lang)
}

fn gap_text(r: &duibiao::GapReport, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    let none = if zh { "无" } else { "none" };
    let mut out = if zh {
        format!(
            "{} {}：当前等级 {}，目标 {}\n",
            r.kind,
            r.unit,
            r.current.as_deref().unwrap_or(none),
            r.target
        )
    } else {
        format!(
            "{} {}: tier {}, target {}\n",
            r.kind,
            r.unit,
            r.current.as_deref().unwrap_or(none),
            r.target
        )
    };
    out.push_str(if zh { "\n问题清单\n" } else { "\nissues\n" });
    if r.issues.is_empty() {
        out.push_str(&format!("  {none}\n"));
    }
    for i in &r.issues {
        let c = &i.condition;
        let what = c
            .text
            .clone()
            .or_else(|| c.label.clone())
            .unwrap_or_else(|| c.expr.clone());
        let numbers = match (&c.actual, c.op.as_deref(), &c.threshold) {
            (a, Some(op), Some(t)) => {
                let a = a
                    .clone()
                    .unwrap_or_else(|| verdict_word(Verdict::Unknown, lang).to_string());
                if zh {
                    format!("：实际 {a}，要求{} {t}", duibiao::op_words(op, lang))
                } else {
                    format!(": actual {a}, required {op} {t}")
                }
            }
            _ => String::new(),
        };
        let clause = c
            .clause
            .as_ref()
            .map(|x| format!("〔{x}〕"))
            .unwrap_or_default();
        out.push_str(&format!(
            "  {} [{}] {what}{numbers}{clause}\n",
            verdict_word(c.verdict, lang),
            i.tier
        ));
    }
    out.push_str(if zh {
        "\n提升清单\n"
    } else {
        "\nchanges\n"
    });
    if r.changes.is_empty() {
        out.push_str(&format!("  {none}\n"));
    }
    for c in &r.changes {
        out.push_str(&format!(
            "  --set {}.{}={}    ({} → {})\n",
            c.unit, c.key, c.to, c.from, c.to
        ));
    }
    if r.reachable {
        out.push_str(if zh {
            "\n可以达到目标\n"
        } else {
            "\nthe target is reachable\n"
        });
    } else {
        out.push_str(if zh {
            "\n无法达到目标：\n"
        } else {
            "\nthe target cannot be reached:\n"
        });
        for reason in &r.reasons {
            out.push_str(&format!("  {}\n", if zh { &reason.zh } else { &reason.en }));
        }
    }
    out
}

fn diff_text(d: &duibiao::Diff, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    let mut out = String::new();
    let unknown = verdict_word(Verdict::Unknown, lang);
    let show = |v: &Option<String>| v.clone().unwrap_or_else(|| unknown.into());
    for id in &d.added {
        out.push_str(&format!("+ {id}\n"));
    }
    for id in &d.removed {
        out.push_str(&format!("- {id}\n"));
    }
    for u in &d.changed {
        out.push_str(&format!("~ {} {}\n", u.kind, u.id));
        if let Some((a, b)) = &u.score {
            out.push_str(&format!(
                "    {} {} → {}\n",
                if zh { "得分" } else { "score" },
                show(a),
                show(b)
            ));
        }
        if let Some((a, b)) = &u.tier {
            out.push_str(&format!(
                "    {} {} → {}\n",
                if zh { "等级" } else { "tier" },
                show(a),
                show(b)
            ));
        }
        for (c, (a, b)) in &u.conditions {
            out.push_str(&format!(
                "    {c}: {} → {}\n",
                verdict_word(*a, lang),
                verdict_word(*b, lang)
            ));
        }
    }
    for t in &d.targets {
        let w = |v: Option<Verdict>| match (v, zh) {
            (None, _) => "—",
            (Some(Verdict::Pass), true) => "达成",
            (Some(Verdict::Fail), true) => "未达成",
            (Some(v), _) => verdict_word(v, lang),
        };
        out.push_str(&format!(
            "  {} {}: {} → {}\n",
            t.due,
            t.name,
            w(t.before),
            w(t.after)
        ));
    }
    if out.is_empty() {
        out.push_str(if zh { "没有变化\n" } else { "no changes\n" });
    }
    out
}

/// Writes the outcome as JSON unit by unit, so that no more than one unit's outcome is held.
fn stream_json(
    s: &Standard,
    live: &duibiao::Live,
    as_of: Option<chrono::NaiveDate>,
    detail: bool,
) -> Result<(), Failed> {
    let header = serde_json::json!({
        "standard": s.graph().info.slug,
        "fingerprint": s.fingerprint(),
        "as_of": as_of.map(|d| d.format("%Y-%m-%d").to_string()),
        "unresolved_params": live.context().unresolved,
    });
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let head = header.to_string();
    let mut write = |text: &str| out.write_all(text.as_bytes()).map_err(|_| Failed);
    write(&head[..head.len().saturating_sub(1)])?;
    write(",\"units\":[\n")?;
    for u in 0..live.tree().units.len() {
        let unit = if detail {
            live.unit_outcome_at(u, false)
                .and_then(|o| serde_json::to_string(&o).ok())
        } else {
            live.unit_summary_at(u)
                .and_then(|o| serde_json::to_string(&o).ok())
        };
        if u > 0 {
            write(",\n")?;
        }
        write(&unit.unwrap_or_else(|| "null".into()))?;
    }
    write("\n]}\n")?;
    out.flush().map_err(|_| Failed)
}

fn emit(text: &str) -> Result<(), Failed> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|_| out.flush())
        .map_err(|_| Failed)
}

fn json(v: &impl serde::Serialize) -> Result<String, Failed> {
    serde_json::to_string_pretty(v)
        .map(|s| s + "\n")
        .map_err(|e| {
            eprintln!("error: {e}");
            Failed
        })
}

fn run(cli: Cli) -> Result<bool, Failed> {
    match cli.command {
        Command::Check { file, lang, format } => {
            let lang = Lang::from(lang);
            if format == Format::Json {
                let source = read(&file)?;
                let report = duibiao::json::check(&file.display().to_string(), &source);
                emit(&json(&report)?)?;
                return Ok(report["ok"] == serde_json::Value::Bool(true));
            }
            let s = compile(&file, lang)?;
            emit(&match lang {
                Lang::Zh => format!(
                    "{}：检查通过（{} 个警告）\n",
                    file.display(),
                    s.warnings().len()
                ),
                Lang::En => format!(
                    "{}: ok ({} warning(s))\n",
                    file.display(),
                    s.warnings().len()
                ),
            })?;
            Ok(true)
        }
        Command::Eval {
            input,
            format,
            detail,
        } => {
            let lang = Lang::from(input.lang);
            let s = compile(&input.file, lang)?;
            let (loaded, supplied, clean) = load(&s, &input, lang)?;
            let date = input.as_of.or(loaded.as_of);
            let live = match s.live(loaded, &supplied, date) {
                Ok(l) => l,
                Err(missing) => {
                    report_missing(&missing, lang);
                    return Err(Failed);
                }
            };
            for m in &live.context().unresolved {
                match lang {
                    Lang::Zh => eprintln!("警告：{}；读取它的规则结果为未知", m.message_zh()),
                    Lang::En => eprintln!("warning: {m}; rules reading it are unknown"),
                }
            }
            match format {
                Format::Json => stream_json(&s, &live, date, detail)?,
                _ => stream_table(&s, &live, lang)?,
            }
            Ok(clean)
        }
        Command::Explain {
            input,
            unit,
            format,
        } => {
            let lang = Lang::from(input.lang);
            let s = compile(&input.file, lang)?;
            let (outcome, clean) = evaluate(&s, &input, true)?;
            let Some(u) = outcome.units.iter().find(|u| u.id == unit) else {
                let e = duibiao::FactsErrorKind::UnknownUnit(unit);
                match lang {
                    Lang::Zh => {
                        eprintln!("{}: {} {}", input.facts.display(), e.code(), e.message_zh())
                    }
                    Lang::En => eprintln!("{}: {} {e}", input.facts.display(), e.code()),
                }
                return Err(Failed);
            };
            match format {
                Format::Json => emit(&json(u)?)?,
                _ => emit(&duibiao::explain_text(u, lang))?,
            }
            Ok(clean)
        }
        Command::Progress { input, format } => {
            let lang = Lang::from(input.lang);
            let s = compile(&input.file, lang)?;
            let (loaded, supplied, clean) = load(&s, &input, lang)?;
            let Some(date) = input.as_of.or(loaded.as_of) else {
                eprintln!(
                    "error: give the date to report on with `--as-of` or the facts file's `as_of`"
                );
                eprintln!("错误：请用 `--as-of` 或数据文件的 `as_of` 给出报告日期");
                return Err(Failed);
            };
            match s.progress(&loaded, &supplied, date) {
                Ok(p) => {
                    match format {
                        Format::Json => emit(&json(&p)?)?,
                        _ => emit(&progress_table(&p, lang))?,
                    }
                    Ok(clean)
                }
                Err(missing) => {
                    report_missing(&missing, lang);
                    Err(Failed)
                }
            }
        }
        Command::Gap {
            input,
            unit,
            to,
            format,
        } => {
            let lang = Lang::from(input.lang);
            let s = compile(&input.file, lang)?;
            let (loaded, supplied, clean) = load(&s, &input, lang)?;
            let date = input.as_of.or(loaded.as_of);
            match s.gap(&loaded, &supplied, date, &unit, &to) {
                Ok(report) => {
                    match format {
                        Format::Json => emit(&json(&report)?)?,
                        _ => emit(&gap_text(&report, lang))?,
                    }
                    Ok(clean)
                }
                Err(e) => {
                    match lang {
                        Lang::Zh => eprintln!("错误：{}", e.message_zh()),
                        Lang::En => eprintln!("error: {e}"),
                    }
                    Err(Failed)
                }
            }
        }
        Command::Diff {
            file,
            before,
            after,
            params,
            format,
            lang,
        } => {
            let lang = Lang::from(lang);
            let s = compile(&file, lang)?;
            let (a, clean_a) = load_facts(&s, &before, lang)?;
            let (b, clean_b) = load_facts(&s, &after, lang)?;
            let mut supplied = Vec::new();
            for p in &params {
                match s.parse_param(p) {
                    Ok(v) => supplied.push(v),
                    Err(e) => {
                        eprintln!("--param: {e}");
                        return Err(Failed);
                    }
                }
            }
            match s.diff(&a, &b, &supplied) {
                Ok(d) => {
                    match format {
                        Format::Json => emit(&json(&d)?)?,
                        _ => emit(&diff_text(&d, lang))?,
                    }
                    Ok(clean_a && clean_b)
                }
                Err(missing) => {
                    report_missing(&missing, lang);
                    Err(Failed)
                }
            }
        }
        Command::Live { input } => {
            let lang = Lang::from(input.lang);
            let s = compile(&input.file, lang)?;
            let (loaded, supplied, mut clean) = load(&s, &input, lang)?;
            let date = input.as_of.or(loaded.as_of);
            let mut live = match s.live(loaded, &supplied, date) {
                Ok(l) => l,
                Err(missing) => {
                    report_missing(&missing, lang);
                    return Err(Failed);
                }
            };
            // Each unit's score and tier as last shown; only re-evaluated units are looked at again.
            let ids: Vec<String> = live.tree().units.iter().map(|u| u.id.clone()).collect();
            let summary = |live: &duibiao::Live, id: &str| {
                live.unit_outcome(id, false)
                    .map(|o| (o.kind, o.score, o.tier))
                    .unwrap_or_default()
            };
            let mut shown: Vec<_> = ids.iter().map(|id| summary(&live, id)).collect();
            let show = |v: &Option<String>| v.clone().unwrap_or_else(|| "—".into());
            for line in std::io::stdin().lines() {
                let Ok(line) = line else { break };
                let line = line.trim();
                if line.is_empty() || line.starts_with('#') {
                    continue;
                }
                match live.assign(line) {
                    Ok((change, n)) => {
                        let mut report = format!(
                            "{}.{}: {} → {}  ({n})\n",
                            change.unit, change.key, change.from, change.to
                        );
                        for &u in live.last_affected() {
                            let now = summary(&live, &ids[u]);
                            let was = std::mem::replace(&mut shown[u], now.clone());
                            if was.1 != now.1 || was.2 != now.2 {
                                report.push_str(&format!(
                                    "  {} {}: {} {} → {} {}\n",
                                    now.0,
                                    ids[u],
                                    show(&was.1),
                                    show(&was.2),
                                    show(&now.1),
                                    show(&now.2)
                                ));
                            }
                        }
                        emit(&report)?;
                    }
                    Err(e) => {
                        let msg = match lang {
                            Lang::Zh => e.message_zh(),
                            Lang::En => e.message_en(),
                        };
                        eprintln!("{line}: {} {msg}", e.code);
                        clean = false;
                    }
                }
            }
            Ok(clean)
        }
        Command::Template { file, kind } => {
            let s = compile(&file, Lang::Zh)?;
            match s.template(&kind) {
                Some(t) => {
                    emit(&json(&t)?)?;
                    Ok(true)
                }
                None => {
                    let kinds: Vec<&str> =
                        s.graph().kinds.iter().map(|k| k.name.as_str()).collect();
                    eprintln!(
                        "error: unknown kind `{kind}`; the standard's kinds are {}",
                        kinds.join(", ")
                    );
                    eprintln!(
                        "错误：未知单位类型 `{kind}`，标准中的类型为 {}",
                        kinds.join("、")
                    );
                    Err(Failed)
                }
            }
        }
        Command::Doc { file, out } => {
            let s = compile(&file, Lang::Zh)?;
            let page = duibiao::traceability::page(&s);
            let path = out.unwrap_or_else(|| {
                PathBuf::from("docs/standards").join(format!("{}.md", s.graph().info.slug))
            });
            if path.as_os_str() == "-" {
                emit(&page)?;
                return Ok(true);
            }
            let written = path
                .parent()
                .filter(|d| !d.as_os_str().is_empty())
                .map_or(Ok(()), std::fs::create_dir_all)
                .and_then(|_| std::fs::write(&path, page));
            match written {
                Ok(()) => {
                    emit(&format!("{}\n", path.display()))?;
                    Ok(true)
                }
                Err(e) => {
                    eprintln!("error: cannot write `{}`: {e}", path.display());
                    eprintln!("错误：无法写入 `{}`", path.display());
                    Err(Failed)
                }
            }
        }
        Command::Schema => {
            emit(duibiao::FACTS_SCHEMA)?;
            Ok(true)
        }
        Command::Gen {
            file,
            units,
            seed,
            shape,
            missing,
            veto,
            as_of,
            out,
        } => {
            let s = compile(&file, Lang::Zh)?;
            let shape_error = |e: duibiao::generate::ShapeError| {
                eprintln!("error: {e}");
                eprintln!("错误：{}", e.message_zh());
                Failed
            };
            let mut spec = duibiao::generate::Shape {
                missing,
                veto,
                as_of,
                ..Default::default()
            };
            for arg in &shape {
                for (kind, lo, hi) in
                    duibiao::generate::Shape::parse_fanout(arg).map_err(shape_error)?
                {
                    spec.fanout.insert(kind, (lo, hi));
                }
            }
            spec.check(s.graph()).map_err(shape_error)?;
            let written = match &out {
                Some(path) => std::fs::File::create(path).and_then(|f| {
                    let mut w = std::io::BufWriter::with_capacity(1 << 20, f);
                    duibiao::generate::write_forest(s.graph(), units, seed, &spec, &mut w)
                }),
                None => {
                    let mut w =
                        std::io::BufWriter::with_capacity(1 << 20, std::io::stdout().lock());
                    duibiao::generate::write_forest(s.graph(), units, seed, &spec, &mut w)
                }
            };
            written.map(|_| true).map_err(|e| {
                let to = out.as_ref().map_or("standard output".to_string(), |p| {
                    format!("`{}`", p.display())
                });
                eprintln!("error: cannot write {to}: {e}");
                eprintln!("错误：无法写入 {to}");
                Failed
            })
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) | Err(Failed) => ExitCode::from(1),
    }
}
