//! duibiao's spreadsheets (xlsx): the workbook an assessor fills in, workbooks read as facts,
//! facts files turned into workbooks and back, and results written out as a workbook.
//!
//! A facts workbook has a sheet per kind of unit (named for the kind; a row per unit: `编号`,
//! `名称`, `上级编号`, then a column per scored part and fact, each header starting with the
//! part's number or the fact's name), a sheet per kind of record (a row per record, keyed by
//! `所有者编号`), and the sheet `参数` (the standard's slug, the evaluation date and the
//! parameters). It is read into the facts document a JSON facts file holds, and loaded by the
//! same loader: every check of a JSON file applies, and each problem is moved to the cell its
//! value came from (`社区!F7`). How cells become values is written in `docs/spreadsheets.md`. Every workbook written is the same byte for byte for the same input.
//!
//! ```
//! let source = r#"
//! standard demo { title "示例" }
//! kind 小区
//! facts 小区 { 一票否决: bool }
//! scorecard 小区 total 10 { item 1 "整体" max 10 }
//! tiers 小区 { 标准型 { score >= 6 } }
//! "#;
//! let standard = duibiao::Standard::compile("demo.std", source)?;
//! let json = r#"{"units": [{"id": "A", "kind": "小区", "scores": {"1": 9.5}, "facts": {"一票否决": false}}]}"#;
//! let workbook = duibiao_xlsx::facts_to_workbook(&standard, Some("demo.json"), json)?;
//! assert!(duibiao_xlsx::is_workbook(&workbook));
//! let (facts, problems) = duibiao_xlsx::load_facts(&standard, Some("demo.xlsx"), &workbook);
//! assert!(problems.is_empty());
//! assert!(facts.contains("A"));
//! # Ok::<(), duibiao::Problems>(())
//! ```

mod book;
mod cells;
mod layout;
mod locate;
mod problems;
mod read;
mod results;
mod styles;
mod unpack;
mod write;

pub use layout::{GUIDE_SHEET, PARAMS_SHEET};
pub use locate::{Cell, CellMap};
pub use read::Converted;
pub use results::results_workbook;
pub use unpack::{check_unpacked, unpacked_limit, MAX_ENTRIES, MAX_UNPACKED, UNPACKED_FACTOR};

use duibiao::{Facts, Problem, Problems, Standard};

/// The template an assessor fills in: the sheets of every kind of unit (or of `kind` only, with
/// the records its units keep), the parameters sheet and the notes on filling in; no units yet.
/// An unknown kind, or a kind of record, is the same `A0007` as [`Standard::template`]'s.
pub fn template(standard: &Standard, kind: Option<&str>) -> Result<Vec<u8>, Problems> {
    if let Some(k) = kind {
        standard.template(k)?;
    }
    let form = standard.form();
    let sheets = layout::sheets(&form, kind);
    write::facts_workbook(&form, &sheets, None)
}

/// The workbook of a JSON facts file (`input` names it in problems): its units on their kinds'
/// sheets, its records on theirs, its evaluation date and parameters on the parameters sheet.
/// The facts must load without a problem (every problem is returned otherwise), so that the
/// workbook reads back as the same facts.
pub fn facts_to_workbook(
    standard: &Standard,
    input: Option<&str>,
    json: &str,
) -> Result<Vec<u8>, Problems> {
    let (_, problems) = standard.load_facts_named(input, json);
    if !problems.is_empty() {
        return Err(Problems(problems));
    }
    let doc: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(json.trim_start_matches('\u{feff}'))
            .map_err(|e| Problems::one(problems::unwritable(format!("{e}"))))?;
    let form = standard.form();
    let sheets = layout::sheets(&form, None);
    write::facts_workbook(&form, &sheets, Some(&doc))
}

/// Reads a workbook (`input` names it in problems) as a facts document, keeping where each
/// value came from. Its problems are those of the workbook itself; the values are checked when
/// the document is loaded ([`load_facts`]). A workbook that would unpack to more than
/// [`UNPACKED_FACTOR`] times the standard's limit on facts (`facts_bytes`), or than
/// [`MAX_UNPACKED`], is not read (`F0028`, [`check_unpacked`]).
pub fn read_workbook(standard: &Standard, input: Option<&str>, bytes: &[u8]) -> Converted {
    let max = unpacked_limit(standard.limits().facts_bytes);
    read_workbook_within(standard, input, bytes, max)
}

/// [`read_workbook`] with a limit of its own on the bytes the workbook may unpack to (a
/// service's, derived from its limit on request bodies with [`unpacked_limit`]).
pub fn read_workbook_within(
    standard: &Standard,
    input: Option<&str>,
    bytes: &[u8],
    max_unpacked: u64,
) -> Converted {
    read::convert(&standard.form(), input, bytes, max_unpacked)
}

/// Reads and loads a workbook as facts, as [`Standard::load_facts_named`] loads a JSON file:
/// what could be loaded, and every problem — the workbook's own, then the loader's, each at
/// its sheet and cell.
pub fn load_facts(standard: &Standard, input: Option<&str>, bytes: &[u8]) -> (Facts, Vec<Problem>) {
    load_converted(standard, input, &read_workbook(standard, input, bytes))
}

/// Loads a workbook already read: the facts, and the workbook's problems and the loader's (at
/// their cells).
pub fn load_converted(
    standard: &Standard,
    input: Option<&str>,
    converted: &Converted,
) -> (Facts, Vec<Problem>) {
    let json = serde_json::Value::Object(converted.doc.clone()).to_string();
    let (facts, loaded) = standard.load_facts_named(input, &json);
    let mut problems = converted.problems.clone();
    problems.extend(converted.cells.locate(input, loaded));
    (facts, problems)
}

/// The facts document of a workbook as JSON text (indented, ending in a new line), for
/// `duibiao convert F.xlsx --to json`; with the problems of [`load_facts`].
pub fn workbook_to_json(
    standard: &Standard,
    input: Option<&str>,
    bytes: &[u8],
) -> (String, Vec<Problem>) {
    let converted = read_workbook(standard, input, bytes);
    let (_, problems) = load_converted(standard, input, &converted);
    let doc = serde_json::Value::Object(converted.doc);
    let text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    (text + "\n", problems)
}

/// The standard's slug a workbook names on its parameters sheet (`标准代号`), to find the
/// standard it is for; `None` when it names none (or is no workbook, or would unpack to more
/// the default [`unpacked_limit`]).
pub fn workbook_slug(bytes: &[u8]) -> Option<String> {
    read::slug(
        bytes,
        unpacked_limit(duibiao::Limits::default().facts_bytes),
    )
}

/// Whether `bytes` are a workbook (xlsx, a ZIP archive) rather than a JSON text: they start as
/// every ZIP archive does.
pub fn is_workbook(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04")
}
