//! The commands' spreadsheets (docs/spreadsheets.md): the workbook `template` writes, the results
//! `eval --format xlsx` writes, `convert` between JSON and workbooks, and workbooks read where a
//! command needs the facts as JSON text (`impact`).

use crate::args::FactsForm;
use crate::io::*;
use duibiao::{Detail, Lang, Options, Problem, Standard};
use std::path::{Path, PathBuf};

/// Writes `bytes` to `path`, or says why it cannot.
pub(crate) fn write_file(path: &Path, bytes: &[u8]) -> Result<(), Failed> {
    let written = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .map_or(Ok(()), std::fs::create_dir_all)
        .and_then(|_| std::fs::write(path, bytes));
    written.map_err(|e| {
        eprintln!("错误：无法写入 `{}`：{e}", path.display());
        eprintln!("error: cannot write `{}`: {e}", path.display());
        Failed
    })
}

/// The path a workbook is written to: `--out`, which a workbook needs (it is no text for a
/// terminal).
fn workbook_path(out: Option<&PathBuf>, lang: Lang) -> Result<&Path, Failed> {
    match out {
        Some(p) if p.as_os_str() != "-" => Ok(p),
        _ => {
            report_usage(
                "工作簿要写到文件：加上 `--out 文件名.xlsx`",
                "a workbook is written to a file: add `--out NAME.xlsx`",
                lang,
            );
            Err(Failed)
        }
    }
}

/// Writes text to `out`, or to standard output when there is none (or it is `-`).
fn write_text(out: Option<&PathBuf>, text: &str) -> Result<(), Failed> {
    match out {
        Some(p) if p.as_os_str() != "-" => write_file(p, text.as_bytes()),
        _ => emit(text),
    }
}

/// `template --format xlsx`: the workbook to fill in.
pub(crate) fn template_workbook(
    s: &Standard,
    kind: Option<&str>,
    out: Option<&PathBuf>,
) -> Result<bool, Failed> {
    let path = workbook_path(out, Lang::Zh)?;
    let bytes = done(duibiao_xlsx::template(s, kind), Lang::Zh)?;
    write_file(path, &bytes)?;
    Ok(true)
}

/// `template` as JSON: one unit's skeleton, of the kind it needs.
pub(crate) fn template_json(
    s: &Standard,
    kind: Option<&str>,
    out: Option<&PathBuf>,
) -> Result<bool, Failed> {
    let Some(kind) = kind else {
        report_usage(
            &format!(
                "JSON 模板要给出单位类型（{}）；要全部类型的模板，用 `--format xlsx`",
                s.kinds().join("、")
            ),
            &format!(
                "a JSON template needs a kind ({}); for every kind, use `--format xlsx`",
                s.kinds().join(", ")
            ),
            Lang::Zh,
        );
        return Err(Failed);
    };
    let t = done(s.template(kind), Lang::Zh)?;
    let text = serde_json::to_string_pretty(&t).map_err(|e| write_failed(e.into()))?;
    write_text(out, &(text + "\n"))?;
    Ok(true)
}

/// `eval --format xlsx`: the results workbook, with the progress of the targets when there is
/// an evaluation date.
pub(crate) fn eval_workbook(
    s: &Standard,
    facts: &duibiao::Facts,
    opts: Options,
    out: Option<&PathBuf>,
    lang: Lang,
) -> Result<(), Failed> {
    let path = workbook_path(out, lang)?;
    let opts = opts.detail(Detail::Conditions);
    let outcome = done(s.evaluate(facts, &opts), lang)?;
    warn_unresolved(&outcome.unresolved_params, lang);
    let dated = opts.as_of.or(facts.as_of()).is_some();
    let progress = match dated {
        true => Some(done(s.progress(facts, &opts), lang)?),
        false => None,
    };
    let bytes = done(
        duibiao_xlsx::results_workbook(&outcome, progress.as_ref(), lang),
        lang,
    )?;
    write_file(path, &bytes)
}

/// `convert`: a facts file in the other form. Fails (writing nothing) when the facts have
/// problems: a workbook is written only of facts that load cleanly, and JSON of a workbook is
/// written with its problems reported.
pub(crate) fn convert(
    facts: &Path,
    into: FactsForm,
    standard: Option<&PathBuf>,
    out: Option<&PathBuf>,
    lang: Lang,
) -> Result<bool, Failed> {
    let file = read_facts(facts, lang)?;
    let name = facts.display().to_string();
    let slug = match &file {
        FactsFile::Json(text) => serde_json::from_str::<serde_json::Value>(text)
            .ok()
            .and_then(|v| v.get("standard")?.as_str().map(str::to_string)),
        FactsFile::Workbook(bytes) => duibiao_xlsx::workbook_slug(bytes),
    };
    let s = compile(&standard_path(standard, slug.as_deref(), lang)?, lang)?;
    match (file, into) {
        (FactsFile::Json(text), FactsForm::Xlsx) => {
            let path = workbook_path(out, lang)?;
            let bytes = done(
                duibiao_xlsx::facts_to_workbook(&s, Some(&name), &text),
                lang,
            )?;
            write_file(path, &bytes)?;
            Ok(true)
        }
        (FactsFile::Workbook(bytes), FactsForm::Json) => {
            let (text, problems) = duibiao_xlsx::workbook_to_json(&s, Some(&name), &bytes);
            let problems = checked(problems, lang)?;
            write_text(out, &text)?;
            Ok(problems.is_empty())
        }
        (FactsFile::Json(_), FactsForm::Json) | (FactsFile::Workbook(_), FactsForm::Xlsx) => {
            report_usage(
                &format!("`{name}` 已经是这种格式"),
                &format!("`{name}` is in that form already"),
                lang,
            );
            Err(Failed)
        }
    }
}

/// The standard to convert with: `--standard`, else `standards/<slug>.std` of the slug the facts
/// name.
fn standard_path(
    given: Option<&PathBuf>,
    slug: Option<&str>,
    lang: Lang,
) -> Result<PathBuf, Failed> {
    if let Some(p) = given {
        return Ok(p.clone());
    }
    let found = slug.map(|s| PathBuf::from("standards").join(format!("{s}.std")));
    match found {
        Some(p) if p.is_file() => Ok(p),
        _ => {
            let (zh, en) = match slug {
                Some(s) => (
                    format!("找不到数据所属标准 `{s}` 的文件 `standards/{s}.std`：用 `--standard 文件.std` 给出"),
                    format!("the file `standards/{s}.std` of the facts' standard `{s}` is not there: give it with `--standard FILE.std`"),
                ),
                None => (
                    "数据没有写明所属标准（`standard`）：用 `--standard 文件.std` 给出".to_string(),
                    "the facts do not name their standard (`standard`): give it with `--standard FILE.std`".to_string(),
                ),
            };
            report_usage(&zh, &en, lang);
            Err(Failed)
        }
    }
}

/// A facts file as JSON text for `standard` (a workbook read as its document), the problems of
/// the workbook itself, and a way to move the loader's problems to the workbook's cells.
pub(crate) fn facts_json(
    standard: &Standard,
    facts: &Path,
    lang: Lang,
) -> Result<(String, Vec<Problem>, Option<duibiao_xlsx::CellMap>), Failed> {
    match read_facts(facts, lang)? {
        FactsFile::Json(text) => Ok((text, Vec::new(), None)),
        FactsFile::Workbook(bytes) => {
            let name = facts.display().to_string();
            let c = duibiao_xlsx::read_workbook(standard, Some(&name), &bytes);
            let text = serde_json::Value::Object(c.doc).to_string();
            Ok((text, c.problems, Some(c.cells)))
        }
    }
}
