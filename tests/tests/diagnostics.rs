//! The diagnostics corpus: every file under `tests/diagnostics/` is a small, realistic `.std` file
//! with a mistake in it, named after the code it must produce (`104_e0104_unknown_name.std` must
//! report `E0104`). Each file's rendered diagnostics (Chinese and English) and JSON reports are
//! pinned with insta snapshots. Inputs too large to commit (E0007) are built here.
//!
//! The facade reports each diagnostic as a [`Problem`]; the renderings for a terminal and the JSON
//! reports pinned here are the compiler's own, and every problem must say what its report says.

use duibiao::{Lang, Location, Problem, Severity, Standard};
use duibiao_compiler::DiagnosticReport;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Every code of `DiagnosticKind::code()`. The corpus must produce each of them at least once.
const ALL_CODES: &[&str] = &[
    "E0001", "E0002", "E0003", "E0004", "E0005", "E0006", "E0007", "E0008", "E0009",
    "E0010", //
    "E0101", "E0102", "E0103", "E0104", "E0105", "E0106", "E0107", "E0108", "E0109", "E0110",
    "E0111", "E0112", "E0113", "E0114", "E0115", "E0116", "E0117", "E0118", "E0119", "E0120",
    "E0121", "E0122", "E0123", "E0124", "E0125", //
    "W0001", "W0002", "W0003", "W0004", "W0005",
];

/// What compiling one file gave.
struct Outcome {
    /// Whether it compiled (warnings only).
    compiled: bool,
    /// Rendered for a terminal, in Chinese.
    zh: String,
    /// Rendered for a terminal, in English.
    en: String,
    /// The JSON reports.
    reports: Vec<DiagnosticReport>,
    /// The problems the facade reported: its warnings when it compiled, else every diagnostic.
    problems: Vec<Problem>,
}

impl Outcome {
    fn codes(&self) -> BTreeSet<&'static str> {
        self.reports.iter().map(|r| r.code).collect()
    }

    /// The text pinned for a file: both renderings, one after the other.
    fn rendered(&self) -> String {
        format!(
            "compiled: {}\n\n──────── 中文 ────────\n{}\n──────── English ────────\n{}",
            self.compiled, self.zh, self.en
        )
    }
}

fn compile(name: &str, source: &str) -> Outcome {
    let (compiled, problems) = match Standard::compile(name, source) {
        Ok(s) => (true, s.warnings().to_vec()),
        Err(e) => (false, e.0),
    };
    let diagnostics = duibiao_compiler::compile(source).diagnostics;
    let render = |lang: Lang| {
        diagnostics
            .iter()
            .map(|d| duibiao_compiler::render(d, name, source, lang.into()))
            .collect::<Vec<_>>()
            .join("\n")
    };
    Outcome {
        compiled,
        zh: render(Lang::Zh),
        en: render(Lang::En),
        reports: diagnostics
            .iter()
            .map(|d| DiagnosticReport::new(d, name, source))
            .collect(),
        problems,
    }
}

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("diagnostics")
}

/// The corpus files, sorted by name.
fn corpus_files() -> Vec<PathBuf> {
    let dir = corpus_dir();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "std"))
        .collect();
    files.sort();
    files
}

/// The codes a file's name says it shows: every `e0104`/`w0005`-like word of its name.
fn intended_codes(file_name: &str) -> Vec<String> {
    file_name
        .trim_end_matches(".std")
        .split('_')
        .filter(|w| {
            w.len() == 5
                && matches!(w.as_bytes()[0], b'e' | b'w')
                && w[1..].bytes().all(|b| b.is_ascii_digit())
        })
        .map(|w| w.to_ascii_uppercase())
        .collect()
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The file name shown in diagnostics: relative to the repository, so snapshots hold no
/// absolute paths.
fn shown_name(path: &Path) -> String {
    format!("tests/diagnostics/{}", file_name(path))
}

/// Checks that hold for every outcome, whatever the input.
fn check_consistency(what: &str, out: &Outcome) {
    for r in &out.reports {
        let location = format!("{}:{}:{} {}", r.file, r.line, r.column, r.code);
        assert!(
            out.zh.contains(&location),
            "{what}: Chinese rendering lacks `{location}`"
        );
        assert!(
            out.en.contains(&location),
            "{what}: English rendering lacks `{location}`"
        );
        assert!(
            !r.message_zh.is_empty() && !r.message_en.is_empty(),
            "{what}: empty message for {}",
            r.code
        );
        assert!(
            out.zh.contains(&r.message_zh),
            "{what}: Chinese rendering lacks `{}`",
            r.message_zh
        );
        assert!(
            out.en.contains(&r.message_en),
            "{what}: English rendering lacks `{}`",
            r.message_en
        );
        assert!(
            r.line >= 1 && r.column >= 1,
            "{what}: {} at {}:{}",
            r.code,
            r.line,
            r.column
        );
        assert!(
            r.span.0 <= r.span.1,
            "{what}: {} has span {:?}",
            r.code,
            r.span
        );
        assert_eq!(
            r.help_zh.is_some(),
            r.help_en.is_some(),
            "{what}: help in one language only for {}",
            r.code
        );
    }
    // The facade's problems are the diagnostics, each saying what its report says.
    assert_eq!(
        out.problems.len(),
        out.reports.len(),
        "{what}: {} problems for {} diagnostics",
        out.problems.len(),
        out.reports.len()
    );
    for (p, r) in out.problems.iter().zip(&out.reports) {
        assert_eq!(p.code, r.code, "{what}");
        let severity = match r.severity {
            duibiao_compiler::Severity::Error => Severity::Error,
            duibiao_compiler::Severity::Warning => Severity::Warning,
        };
        assert_eq!(p.severity, severity, "{what}: {}", r.code);
        assert_eq!(
            (p.message.zh.as_str(), p.message.en.as_str()),
            (r.message_zh.as_str(), r.message_en.as_str()),
            "{what}: {}",
            r.code
        );
        assert_eq!(
            p.help.as_ref().map(|h| (h.zh.as_str(), h.en.as_str())),
            r.help_zh.as_deref().zip(r.help_en.as_deref()),
            "{what}: {}",
            r.code
        );
        let at = Location::Source {
            file: r.file.clone(),
            line: r.line,
            column: r.column,
            start: r.span.0,
            end: r.span.1,
        };
        assert_eq!(p.location.as_ref(), Some(&at), "{what}: {}", r.code);
    }
    let has_error = out.reports.iter().any(|r| r.code.starts_with('E'));
    assert_eq!(
        out.compiled, !has_error,
        "{what}: compiled = {}, but errors = {has_error}",
        out.compiled
    );
}

#[test]
fn corpus_snapshots() {
    insta::glob!("../diagnostics", "*.std", |path| {
        let name = file_name(path);
        let source = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{name}: {e}"));
        let out = compile(&shown_name(path), &source);
        check_consistency(&name, &out);

        // The file name says what it is about: the snapshot cannot silently pin another error.
        let intended = intended_codes(&name);
        assert!(
            !intended.is_empty(),
            "{name}: the file name names no code (such as `e0104`)"
        );
        let codes = out.codes();
        for code in &intended {
            assert!(
                codes.contains(code.as_str()),
                "{name}: expected {code}, found {codes:?}"
            );
        }
        // A file about warnings only must still compile; a file about an error must not.
        let only_warnings = intended.iter().all(|c| c.starts_with('W'));
        assert_eq!(
            out.compiled, only_warnings,
            "{name}: compiled = {}",
            out.compiled
        );

        let rendered = out.rendered();
        assert!(
            !rendered.contains(env!("CARGO_MANIFEST_DIR")),
            "{name}: absolute path in the output"
        );
        insta::assert_snapshot!("rendered", rendered);
        insta::assert_json_snapshot!("reports", out.reports);
    });
}

/// A file over the 4 MiB limit: a valid standard followed by comment lines.
fn too_large_source() -> String {
    let mut s = String::from(
        "# 某区《文明小区创建评价办法》：附带了整份原文作为注释，文件超过大小上限\n\
         standard wenming-xiaoqu-2023 {\n  title \"文明小区创建评价办法\"\n}\n\nkind 小区\n",
    );
    let line =
        "# 第一条 为深入推进文明小区创建工作，提升居民群众的获得感、幸福感、安全感，制定本办法。\n";
    while s.len() <= 4 * 1024 * 1024 {
        s.push_str(line);
    }
    s
}

/// 100 nested parentheses around a condition.
fn too_deep_source() -> String {
    format!(
        "standard wenming-xiaoqu-2023 {{\n  title \"文明小区创建评价办法\"\n}}\n\nkind 小区\n\n\
         facts 小区 {{\n  绿化面积: area\n}}\n\ntiers 小区 {{\n  达标 {{ {}绿化面积 >= 300平方米{} }}\n}}\n",
        "(".repeat(100),
        ")".repeat(100)
    )
}

/// 300 `如果` values in one `derive` block (each one simple): over the limit of 256 per declaration.
fn too_many_ifs_source() -> String {
    let values: String = (0..300)
        .map(|i| format!("  值{i} = 如果 人数 > {i} 则 1 否则 0\n"))
        .collect();
    format!(
        "standard wenming-xiaoqu-2023 {{\n  title \"文明小区创建评价办法\"\n}}\n\nkind 小区\n\n\
         facts 小区 {{\n  人数: int\n}}\n\nderive 小区 {{\n{values}}}\n"
    )
}

/// A sum of 1100 terms: over the limit of 1024 terms in one expression.
fn too_long_source() -> String {
    format!(
        "standard wenming-xiaoqu-2023 {{\n  title \"文明小区创建评价办法\"\n}}\n\nkind 小区\n\n\
         facts 小区 {{\n  人数: int\n}}\n\nderive 小区 {{\n  合计人数 = 人数{}\n}}\n",
        " + 人数".repeat(1100)
    )
}

#[test]
fn too_many_ifs_and_too_long() {
    for (name, source, code) in [
        ("generated_too_many_ifs.std", too_many_ifs_source(), "E0008"),
        ("generated_too_long.std", too_long_source(), "E0009"),
    ] {
        let out = compile(&format!("tests/diagnostics/{name}"), &source);
        check_consistency(name, &out);
        assert!(!out.compiled);
        assert_eq!(out.codes(), BTreeSet::from([code]), "{name}");
        insta::assert_json_snapshot!(name, out.reports);
    }
}

#[test]
fn too_large() {
    let source = too_large_source();
    assert!(source.len() > 4 * 1024 * 1024);
    let out = compile("tests/diagnostics/generated_too_large.std", &source);
    check_consistency("too large", &out);
    assert!(!out.compiled);
    assert_eq!(out.codes(), BTreeSet::from(["E0007"]));
    insta::assert_json_snapshot!("too_large_reports", out.reports);
    insta::assert_snapshot!("too_large_rendered", out.rendered());
}

#[test]
fn too_deep() {
    let out = compile(
        "tests/diagnostics/generated_too_deep.std",
        &too_deep_source(),
    );
    check_consistency("too deep", &out);
    assert!(!out.compiled);
    assert_eq!(out.codes(), BTreeSet::from(["E0006"]));
    insta::assert_json_snapshot!("too_deep_reports", out.reports);
}

/// Every code is produced by at least one corpus file (or by an input built above).
#[test]
fn corpus_covers_every_code() {
    let mut covered: BTreeSet<&'static str> = BTreeSet::new();
    let mut mislabelled = Vec::new();
    for path in corpus_files() {
        let name = file_name(&path);
        let source = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
        let codes = compile(&shown_name(&path), &source).codes();
        for code in intended_codes(&name) {
            if !codes.contains(code.as_str()) {
                mislabelled.push(format!("{name}: no {code}"));
            }
        }
        covered.extend(codes);
    }
    covered.extend(compile("too_large.std", &too_large_source()).codes());
    covered.extend(compile("too_deep.std", &too_deep_source()).codes());
    covered.extend(compile("too_many_ifs.std", &too_many_ifs_source()).codes());
    covered.extend(compile("too_long.std", &too_long_source()).codes());

    assert!(mislabelled.is_empty(), "{mislabelled:#?}");
    let missing: Vec<&str> = ALL_CODES
        .iter()
        .copied()
        .filter(|c| !covered.contains(c))
        .collect();
    assert!(missing.is_empty(), "no corpus file produces {missing:?}");
    let unknown: Vec<&str> = covered
        .iter()
        .copied()
        .filter(|c| !ALL_CODES.contains(c))
        .collect();
    assert!(
        unknown.is_empty(),
        "codes not in ALL_CODES (add them to the list and the corpus): {unknown:?}"
    );
}

/// Several semantic errors in one file are all reported, each at its own place.
#[test]
fn several_errors_reported_at_once() {
    let path = corpus_dir().join("301_multiple_e0104_e0106_e0110_e0114.std");
    let source =
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let out = compile(&shown_name(&path), &source);
    let errors: Vec<(&str, usize, usize)> = out
        .reports
        .iter()
        .filter(|r| r.code.starts_with('E'))
        .map(|r| (r.code, r.line, r.column))
        .collect();
    assert_eq!(
        errors,
        vec![
            ("E0110", 20, 18),
            ("E0106", 24, 21),
            ("E0114", 25, 39),
            ("E0104", 25, 48)
        ]
    );
}

/// Syntax errors in several declarations are all reported: parsing resumes at the next one.
#[test]
fn several_syntax_errors_reported_at_once() {
    let path = corpus_dir().join("014_e0001_several_syntax_errors.std");
    let source =
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let out = compile(&shown_name(&path), &source);
    let errors: Vec<(&str, usize, usize)> = out
        .reports
        .iter()
        .map(|r| (r.code, r.line, r.column))
        .collect();
    assert_eq!(
        errors,
        vec![("E0001", 9, 8), ("E0001", 14, 17), ("E0001", 22, 20)]
    );
}

/// Compiling the same text twice gives the same diagnostics, byte for byte.
#[test]
fn deterministic() {
    for path in corpus_files() {
        let source =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let a = compile(&shown_name(&path), &source);
        let b = compile(&shown_name(&path), &source);
        assert_eq!(a.rendered(), b.rendered(), "{}", path.display());
        assert_eq!(a.reports, b.reports, "{}", path.display());
    }
}

#[test]
fn intended_codes_from_names() {
    assert_eq!(intended_codes("104_e0104_unknown_name.std"), vec!["E0104"]);
    assert_eq!(
        intended_codes("205_w0005_threshold_above_total.std"),
        vec!["W0005"]
    );
    assert_eq!(
        intended_codes("301_multiple_e0104_e0106_e0110_e0114.std"),
        vec!["E0104", "E0106", "E0110", "E0114"]
    );
    assert!(intended_codes("001_missing_brace.std").is_empty());
}
