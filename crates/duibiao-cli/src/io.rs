//! What every command does the same way: read files, compile, load facts, build options, report
//! problems, and write to standard output.

use crate::args::Input;
use duibiao::protocol::{self, Response, Style};
use duibiao::{Assignment, Detail, Lang, Limits, Options, Problem, Standard};
use std::io::{Read as _, Write as _};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

/// A failure already explained to the user.
pub(crate) struct Failed;

/// The limits of `--limit` (the defaults until they are set).
static LIMITS: OnceLock<Limits> = OnceLock::new();

/// Sets the limits every standard is compiled and every facts file read within.
pub(crate) fn set_limits(limits: Limits) {
    // Set once, by `main`, before any file is read.
    let _ = LIMITS.set(limits);
}

/// The limits of `--limit`.
pub(crate) fn limits() -> Limits {
    LIMITS.get().copied().unwrap_or_default()
}

/// Reads a `.std` file, or reports why it cannot be read (or is larger than its limit).
pub(crate) fn read(path: &Path, lang: Lang) -> Result<String, Failed> {
    limits().read_source(path).map_err(|p| {
        report(&p.0, None, lang);
        Failed
    })
}

/// The most problems a command prints (`--max-problems`; 0: no limit), and how many it has
/// printed and left out.
static LIMIT: AtomicUsize = AtomicUsize::new(0);
static SHOWN: AtomicUsize = AtomicUsize::new(0);
static HIDDEN: AtomicUsize = AtomicUsize::new(0);

/// Sets the most problems printed (0: no limit).
pub(crate) fn limit_problems(n: usize) {
    LIMIT.store(n, Ordering::Relaxed);
}

/// Says how many problems were left out, if any.
pub(crate) fn report_hidden(lang: Lang) {
    let hidden = HIDDEN.load(Ordering::Relaxed);
    if hidden > 0 {
        match lang {
            Lang::Zh => eprintln!("另有 {hidden} 个问题没有显示（用 `--max-problems N` 显示更多）"),
            Lang::En => eprintln!(
                "{hidden} more problem(s) not shown (use `--max-problems N` to show more)"
            ),
        }
    }
}

/// Prints problems to standard error, `.std` ones with their source line, up to the limit
/// (the rest counted); what-if assignments are named by their option, `--set`.
pub(crate) fn report(problems: &[Problem], source: Option<&str>, lang: Lang) {
    let limit = LIMIT.load(Ordering::Relaxed);
    let room = match limit {
        0 => problems.len(),
        n => n.saturating_sub(SHOWN.load(Ordering::Relaxed)),
    };
    let (problems, rest) = problems.split_at(room.min(problems.len()));
    SHOWN.fetch_add(problems.len(), Ordering::Relaxed);
    HIDDEN.fetch_add(rest.len(), Ordering::Relaxed);
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
pub(crate) fn compile_text(name: &str, source: &str, lang: Lang) -> Result<Standard, Failed> {
    match Standard::compile_with(name, source, &limits()) {
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

pub(crate) fn compile(path: &Path, lang: Lang) -> Result<Standard, Failed> {
    compile_text(&path.display().to_string(), &read(path, lang)?, lang)
}

/// Reads and loads a facts file, JSON or a workbook, reporting every problem; returns the facts
/// and their problems.
pub(crate) fn load_facts(
    standard: &Standard,
    facts: &Path,
    lang: Lang,
) -> Result<(duibiao::Facts, Vec<Problem>), Failed> {
    let name = facts.display().to_string();
    if let Some((loaded, problems)) = stream_facts(standard, facts, &name) {
        return checked(problems, lang).map(|problems| (loaded, problems));
    }
    let (loaded, problems) = match read_facts(facts, lang)? {
        // On rayon's pool, which the evaluation uses too: a large file is read in parallel.
        FactsFile::Json(text) => rayon::scope(|_| standard.load_facts_named(Some(&name), &text)),
        FactsFile::Workbook(bytes) => duibiao_xlsx::load_facts(standard, Some(&name), &bytes),
    };
    checked(problems, lang).map(|problems| (loaded, problems))
}

/// A JSON facts file loaded as it is read, a chunk at a time on rayon's pool (its text never held
/// whole); `None` when it is a workbook (by its name or its first bytes), cannot be opened, or the
/// load gives way (see [`Standard::load_facts_reader`]): it is then read whole, and every problem
/// reported.
fn stream_facts(
    standard: &Standard,
    path: &Path,
    name: &str,
) -> Option<(duibiao::Facts, Vec<Problem>)> {
    if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"))
    {
        return None;
    }
    let mut file = std::fs::File::open(path).ok()?;
    let size = usize::try_from(file.metadata().ok()?.len()).ok()?;
    // A workbook under another name is known by its first bytes, before any chunk is read.
    let mut head = Vec::with_capacity(4);
    (&mut file).take(4).read_to_end(&mut head).ok()?;
    if duibiao_xlsx::is_workbook(&head) {
        return None;
    }
    let mut text = head.as_slice().chain(file);
    rayon::scope(|_| standard.load_facts_reader(Some(name), &mut text, size))
}

/// A facts file as read: JSON text, or a workbook's bytes.
pub(crate) enum FactsFile {
    /// JSON text.
    Json(String),
    /// A workbook (xlsx).
    Workbook(Vec<u8>),
}

/// Reads a facts file within the size limit, reporting a file too large or unreadable: a
/// workbook when its name ends in `.xlsx` or its bytes are a ZIP archive's, JSON text otherwise.
pub(crate) fn read_facts(facts: &Path, lang: Lang) -> Result<FactsFile, Failed> {
    let fail = |p: duibiao::Problems| {
        report(&p.0, None, lang);
        Failed
    };
    let bytes = limits().read_facts_bytes(facts).map_err(fail)?;
    let xlsx = facts
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
    if xlsx || duibiao_xlsx::is_workbook(&bytes) {
        return Ok(FactsFile::Workbook(bytes));
    }
    Limits::facts_text(facts, bytes)
        .map(FactsFile::Json)
        .map_err(fail)
}

/// Reports the problems of loading facts; fails when nothing could be read (no JSON, no
/// workbook, or a workbook beyond the unpacking limit).
pub(crate) fn checked(problems: Vec<Problem>, lang: Lang) -> Result<Vec<Problem>, Failed> {
    report(&problems, None, lang);
    if problems
        .iter()
        .any(|p| ["F0001", "F0021", "F0028"].contains(&p.code.as_str()))
    {
        // Nothing could be read: there are no results to show.
        return Err(Failed);
    }
    Ok(problems)
}

/// Reads and loads the facts of `input` and applies its `--set` assignments; an assignment
/// that cannot be applied is reported and left out, and the rest goes on.
pub(crate) fn load(
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
pub(crate) fn options(input: &Input, detail: Detail) -> Result<Options, Failed> {
    let mut opts = param_options(&input.params, Lang::from(input.lang), detail)?;
    if let Some(d) = input.as_of {
        opts = opts.as_of(d);
    }
    Ok(opts)
}

/// The options of `--param` values.
pub(crate) fn param_options(
    params: &[String],
    lang: Lang,
    detail: Detail,
) -> Result<Options, Failed> {
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
pub(crate) fn done<T>(r: Result<T, duibiao::Problems>, lang: Lang) -> Result<T, Failed> {
    r.map_err(|p| {
        report(&p.0, None, lang);
        Failed
    })
}

pub(crate) fn warn_unresolved(missing: &[duibiao::MissingParam], lang: Lang) {
    for m in missing {
        match lang {
            Lang::Zh => eprintln!("警告：{}；读取它的规则结果为未知", m.message_zh()),
            Lang::En => eprintln!("warning: {m}; rules reading it are unknown"),
        }
    }
}

pub(crate) fn emit(text: &str) -> Result<(), Failed> {
    let mut out = std::io::stdout().lock();
    let written = out.write_all(text.as_bytes()).and_then(|_| out.flush());
    written.map_err(write_failed)
}

/// Reports a mistake in how the command was called, in `lang` with the other language beneath.
pub(crate) fn report_usage(zh: &str, en: &str, lang: Lang) {
    match lang {
        Lang::Zh => eprintln!("错误：{zh}\nerror: {en}"),
        Lang::En => eprintln!("error: {en}\n错误：{zh}"),
    }
}

/// Reports that standard output cannot be written (a full disk, a closed pipe).
pub(crate) fn write_failed(e: std::io::Error) -> Failed {
    eprintln!("错误：无法写入标准输出：{e}");
    eprintln!("error: cannot write to standard output: {e}");
    Failed
}

/// Prints a response as indented JSON; returns whether it is `ok`.
pub(crate) fn respond<B: serde::Serialize>(
    call: &str,
    s: Option<&Standard>,
    problems: Vec<Problem>,
    body: B,
) -> Result<bool, Failed> {
    let r = Response::new(Some(call), s, problems, Some(body));
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    protocol::write_response(&mut out, &r, Style::Pretty)
        .and_then(|_| out.flush())
        .map_err(write_failed)?;
    Ok(r.ok)
}
