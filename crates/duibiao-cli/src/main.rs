//! `duibiao`: check standards, evaluate units against them, explain the results.

mod show;

use clap::{Args, Parser, Subcommand, ValueEnum};
use duibiao::protocol::{self, Response, Style};
use duibiao::{Assignment, Detail, Lang, Options, Problem, Standard};
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

/// Prints problems to standard error, `.std` ones with their source line; what-if assignments
/// are named by their option, `--set`.
fn report(problems: &[Problem], source: Option<&str>, lang: Lang) {
    let named: Vec<Problem> = problems
        .iter()
        .map(|p| match &p.location {
            Some(duibiao::Location::Data {
                input: Some(i),
                unit,
                key,
                ..
            }) if i == "set" => p.clone().at(duibiao::Location::data(
                Some("--set"),
                unit.as_deref(),
                key.as_deref(),
            )),
            _ => p.clone(),
        })
        .collect();
    if !named.is_empty() {
        eprint!("{}", duibiao::render::render_all(&named, source, lang));
    }
}

/// Compiles a `.std` file; on failure every diagnostic is printed, with their count.
fn compile_text(name: &str, source: &str, lang: Lang) -> Result<Standard, Failed> {
    match Standard::compile(name, source) {
        Ok(s) => {
            report(s.warnings(), Some(s.source()), lang);
            Ok(s)
        }
        Err(e) => {
            report(&e.0, Some(source), lang);
            let errors = e.iter().filter(|p| p.is_error()).count();
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

fn compile(path: &Path, lang: Lang) -> Result<Standard, Failed> {
    compile_text(&path.display().to_string(), &read(path)?, lang)
}

/// Reads and loads a facts file, reporting every problem; returns the facts and their problems.
fn load_facts(
    standard: &Standard,
    facts: &Path,
    lang: Lang,
) -> Result<(duibiao::Facts, Vec<Problem>), Failed> {
    let text = read(facts)?;
    let name = facts.display().to_string();
    let (loaded, problems) = standard.load_facts_named(Some(&name), &text);
    report(&problems, None, lang);
    if problems.iter().any(|p| p.code == "F0001") {
        // Nothing could be read: there are no results to show.
        return Err(Failed);
    }
    Ok((loaded, problems))
}

/// Reads and loads the facts of `input` and applies its `--set` assignments; an assignment
/// that cannot be applied is reported and left out, and the rest goes on.
fn load(
    standard: &Standard,
    input: &Input,
    lang: Lang,
) -> Result<(duibiao::Facts, Vec<Problem>), Failed> {
    let (mut loaded, mut problems) = load_facts(standard, &input.facts, lang)?;
    let set: Vec<Assignment> = input
        .set
        .iter()
        .map(|a| Assignment::Text(a.clone()))
        .collect();
    let bad = standard.apply(&mut loaded, &set);
    report(&bad, None, lang);
    problems.extend(bad);
    Ok((loaded, problems))
}

/// The options of `--param`, `--as-of` and `--set`, and of the output asked for.
fn options(input: &Input, detail: Detail) -> Result<Options, Failed> {
    let mut opts = param_options(&input.params, Lang::from(input.lang), detail)?;
    if let Some(d) = input.as_of {
        opts = opts.as_of(d);
    }
    Ok(opts)
}

/// The options of `--param` values.
fn param_options(params: &[String], lang: Lang, detail: Detail) -> Result<Options, Failed> {
    let mut opts = Options::new().lang(lang).detail(detail);
    let mut bad = Vec::new();
    for p in params {
        match opts.clone().param_text(p) {
            Ok(o) => opts = o,
            Err(e) => bad.extend(e),
        }
    }
    report(&bad, None, lang);
    if !bad.is_empty() {
        return Err(Failed);
    }
    Ok(opts)
}

/// Whatever a call returns, or its problems printed.
fn done<T>(r: Result<T, duibiao::Problems>, lang: Lang) -> Result<T, Failed> {
    r.map_err(|p| {
        report(&p.0, None, lang);
        Failed
    })
}

fn warn_unresolved(missing: &[duibiao::MissingParam], lang: Lang) {
    for m in missing {
        match lang {
            Lang::Zh => eprintln!("警告：{}；读取它的规则结果为未知", m.message_zh()),
            Lang::En => eprintln!("warning: {m}; rules reading it are unknown"),
        }
    }
}

fn parse_date(s: &str) -> Result<chrono::NaiveDate, String> {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| format!("`{s}` is not a date such as 2021-12-31"))
}

fn emit(text: &str) -> Result<(), Failed> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|_| out.flush())
        .map_err(|_| Failed)
}

/// Prints a response as indented JSON; returns whether it is `ok`.
fn respond<B: serde::Serialize>(
    call: &str,
    s: Option<&Standard>,
    problems: Vec<Problem>,
    body: B,
) -> Result<bool, Failed> {
    let r = Response::new(Some(call), s, problems, Some(body));
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    protocol::write_response(&mut out, &r, Style::Pretty)
        .and_then(|_| out.flush())
        .map_err(|_| Failed)?;
    Ok(r.ok)
}

fn run(cli: Cli) -> Result<bool, Failed> {
    match cli.command {
        Command::Check { file, lang, format } => {
            let lang = Lang::from(lang);
            if format == Format::Json {
                let source = read(&file)?;
                let name = file.display().to_string();
                return match Standard::compile(&name, &source) {
                    Ok(s) => respond(
                        "compile",
                        Some(&s),
                        s.warnings().to_vec(),
                        protocol::CompileBody::of(&s, None),
                    ),
                    Err(p) => {
                        let r: Response<protocol::EmptyBody> =
                            Response::new(Some("compile"), None, p.0, None);
                        let mut out = std::io::stdout().lock();
                        protocol::write_response(&mut out, &r, Style::Pretty)
                            .map_err(|_| Failed)?;
                        Ok(false)
                    }
                };
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
            let (loaded, problems) = load(&s, &input, lang)?;
            let detail = if detail {
                Detail::Conditions
            } else {
                Detail::Summary
            };
            let opts = options(&input, detail)?;
            let live = done(s.live(loaded, &opts), lang)?;
            warn_unresolved(live.unresolved_params(), lang);
            let clean = problems.is_empty();
            match format {
                Format::Json => {
                    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
                    protocol::write_evaluation(&mut out, &live, problems, detail, Style::Lines)
                        .and_then(|_| out.flush())
                        .map_err(|_| Failed)?;
                }
                _ => show::stream_table(&s, &live, lang)?,
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
            let (loaded, problems) = load(&s, &input, lang)?;
            let opts = options(&input, Detail::Members)?;
            let e = s.explain(&loaded, &unit, &opts).map_err(|p| {
                let named: Vec<Problem> =
                    p.into_iter().map(|x| in_facts(x, &input.facts)).collect();
                report(&named, None, lang);
                Failed
            })?;
            warn_unresolved(&e.unresolved_params, lang);
            let clean = problems.is_empty();
            match format {
                Format::Json => respond("explain", Some(&s), problems, e).map(|ok| ok && clean),
                _ => emit(&e.text).map(|_| clean),
            }
        }
        Command::Progress { input, format } => {
            let lang = Lang::from(input.lang);
            let s = compile(&input.file, lang)?;
            let (loaded, problems) = load(&s, &input, lang)?;
            let opts = options(&input, Detail::Summary)?;
            let p = protocol::ProgressBody::from(done(s.progress(&loaded, &opts), lang)?);
            let clean = problems.is_empty();
            match format {
                Format::Json => respond("progress", Some(&s), problems, p),
                _ => emit(&show::progress_table(&p, lang)).map(|_| clean),
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
            let (loaded, problems) = load(&s, &input, lang)?;
            let opts = options(&input, Detail::Summary)?;
            let plan = done(s.gap(&loaded, &unit, &to, &opts), lang)?;
            let clean = problems.is_empty();
            match format {
                Format::Json => respond("gap", Some(&s), problems, plan),
                _ => emit(&show::gap_text(&plan, lang)).map(|_| clean),
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
            let (a, mut problems) = load_facts(&s, &before, lang)?;
            let (b, more) = load_facts(&s, &after, lang)?;
            problems.extend(more);
            let opts = param_options(&params, lang, Detail::Summary)?;
            let d = done(s.diff(&a, &b, &opts), lang)?;
            let clean = problems.is_empty();
            match format {
                Format::Json => respond("diff", Some(&s), problems, d),
                _ => emit(&show::diff_text(&d, lang)).map(|_| clean),
            }
        }
        Command::Live { input } => {
            let lang = Lang::from(input.lang);
            let s = compile(&input.file, lang)?;
            let (loaded, problems) = load(&s, &input, lang)?;
            let opts = options(&input, Detail::Summary)?;
            let live = done(s.live(loaded, &opts), lang)?;
            warn_unresolved(live.unresolved_params(), lang);
            live_loop(live, lang, problems.is_empty())
        }
        Command::Template { file, kind } => {
            let s = compile(&file, Lang::Zh)?;
            let t = s.template(&kind).map_err(|p| {
                for x in p.iter() {
                    eprintln!("error: {}", x.message.en);
                    eprintln!("错误：{}", x.message.zh);
                }
                Failed
            })?;
            let text = serde_json::to_string_pretty(&t).map_err(|_| Failed)?;
            emit(&(text + "\n"))?;
            Ok(true)
        }
        Command::Doc { file, out } => {
            let s = compile(&file, Lang::Zh)?;
            let page = duibiao::traceability::page(&s);
            let path = out.unwrap_or_else(|| {
                PathBuf::from("docs/standards").join(format!("{}.md", s.slug()))
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
            spec.check(&s).map_err(shape_error)?;
            let written = match &out {
                Some(path) => std::fs::File::create(path).and_then(|f| {
                    let mut w = std::io::BufWriter::with_capacity(1 << 20, f);
                    duibiao::generate::write_forest(&s, units, seed, &spec, &mut w)
                }),
                None => {
                    let mut w =
                        std::io::BufWriter::with_capacity(1 << 20, std::io::stdout().lock());
                    duibiao::generate::write_forest(&s, units, seed, &spec, &mut w)
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

/// A problem about the unit the command asked for (`F0015`), located in the facts file.
fn in_facts(p: Problem, facts: &Path) -> Problem {
    match &p.location {
        Some(duibiao::Location::Data { unit, key, .. }) if p.code == "F0015" => {
            let at = duibiao::Location::data(
                Some(&facts.display().to_string()),
                unit.as_deref(),
                key.as_deref(),
            );
            p.at(at)
        }
        _ => p,
    }
}

/// `live`: reads `UNIT.KEY=VALUE` lines from standard input and after each prints the change
/// and the units whose score or tier it changed.
fn live_loop(mut live: duibiao::Live, lang: Lang, mut clean: bool) -> Result<bool, Failed> {
    // Each unit's score and tier as last shown; only re-evaluated units are looked at again.
    let mut shown: std::collections::HashMap<String, (Option<String>, Option<String>)> = (0..live
        .len())
        .filter_map(|i| live.summary_at(i))
        .map(|u| (u.id, (u.score, u.tier)))
        .collect();
    let show = |v: &Option<String>| v.clone().unwrap_or_else(|| "—".into());
    for line in std::io::stdin().lines() {
        let Ok(line) = line else { break };
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        match live.assign(&Assignment::Text(line.to_string())) {
            Ok(a) => {
                let c = &a.change;
                let mut out = format!(
                    "{}.{}: {} → {}  ({})\n",
                    c.unit, c.key, c.from, c.to, a.evaluated
                );
                for u in &a.units {
                    let now = (u.score.clone(), u.tier.clone());
                    let was = shown.insert(u.id.clone(), now.clone()).unwrap_or_default();
                    if was != now {
                        out.push_str(&format!(
                            "  {} {}: {} {} → {} {}\n",
                            u.kind,
                            u.id,
                            show(&was.0),
                            show(&was.1),
                            show(&now.0),
                            show(&now.1)
                        ));
                    }
                }
                emit(&out)?;
            }
            Err(p) => {
                for x in p.iter() {
                    eprintln!("{line}: {} {}", x.code, x.message.get(lang));
                }
                clean = false;
            }
        }
    }
    Ok(clean)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) | Err(Failed) => ExitCode::from(1),
    }
}
