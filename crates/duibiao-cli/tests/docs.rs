//! The documentation's examples are real: every fenced block in `README.md` and `docs/*.md` whose
//! first line starts with `$ duibiao ` is run with the built binary from the repository root, and
//! its output (standard error, then standard output) must be the block's remaining lines.
//!
//! In the expected lines, a line `…` on its own matches any number of lines (none included), and
//! a fingerprint `sha256:` followed by 64 hex digits matches any fingerprint, so that the pages do
//! not go stale whenever a standard changes. Trailing white space and trailing blank lines are
//! ignored. Blocks that do not start with `$ duibiao ` are not checked.
//!
//! A fenced block right after a line `<!-- file: PATH -->` must be the exact text of the file
//! `PATH` (repository-relative), so that a listing of an example file cannot drift from it.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::Command;

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");

/// One fenced block of a page.
struct Block {
    /// The page, relative to the repository root.
    page: String,
    /// 1-based line of the opening fence.
    line: usize,
    /// The lines between the fences.
    body: Vec<String>,
    /// The file named by a `<!-- file: PATH -->` line just before the fence.
    file: Option<String>,
}

/// The pages checked: `README.md` and every `docs/*.md`.
fn pages() -> Vec<PathBuf> {
    let root = Path::new(ROOT);
    let mut pages = vec![root.join("README.md")];
    let mut docs: Vec<PathBuf> = std::fs::read_dir(root.join("docs"))
        .expect("docs/ exists")
        .map(|e| e.expect("readable docs/ entry").path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "md"))
        .collect();
    docs.sort();
    pages.extend(docs);
    pages
}

/// The fenced blocks of a page (```` ``` ```` fences, with or without a language).
fn blocks(page: &str, text: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut lines = text.lines().enumerate();
    let mut previous: Option<&str> = None;
    while let Some((i, line)) = lines.next() {
        let trimmed = line.trim_start();
        if !trimmed.starts_with("```") {
            if !line.trim().is_empty() {
                previous = Some(line.trim());
            }
            continue;
        }
        let indent = line.len() - trimmed.len();
        let file = previous
            .and_then(|p| p.strip_prefix("<!-- file:"))
            .and_then(|p| p.strip_suffix("-->"))
            .map(|p| p.trim().to_string());
        let mut body = Vec::new();
        for (_, l) in lines.by_ref() {
            if l.trim_start().starts_with("```") {
                break;
            }
            // A block indented under a list item: drop that indentation.
            let cut = l.len() - l.trim_start().len();
            body.push(l[cut.min(indent)..].to_string());
        }
        out.push(Block {
            page: page.to_string(),
            line: i + 1,
            body,
            file,
        });
        previous = None;
    }
    out
}

/// Splits a command line into words; `"…"` and `'…'` quote words with spaces.
fn words(command: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut quote: Option<char> = None;
    for c in command.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => word.push(c),
            (None, '"' | '\'') => {
                quote = Some(c);
                in_word = true;
            }
            (None, c) if c.is_whitespace() => {
                if in_word {
                    out.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            (None, c) => {
                word.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        out.push(word);
    }
    out
}

/// Every `sha256:` followed by 64 hex digits, replaced by `sha256:…`.
fn mask_fingerprints(line: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(i) = rest.find("sha256:") {
        let after = &rest[i + "sha256:".len()..];
        let hex = after.bytes().take_while(|b| b.is_ascii_hexdigit()).count();
        out.push_str(&rest[..i]);
        if hex == 64 {
            out.push_str("sha256:…");
        } else {
            out.push_str("sha256:");
            out.push_str(&after[..hex]);
        }
        rest = &after[hex..];
    }
    out.push_str(rest);
    out
}

/// Lines ready to compare: fingerprints masked, trailing white space and blank lines dropped.
fn normalize<S: AsRef<str>>(lines: &[S]) -> Vec<String> {
    let mut out: Vec<String> = lines
        .iter()
        .map(|l| mask_fingerprints(l.as_ref().trim_end()))
        .collect();
    while out.last().is_some_and(|l| l.is_empty()) {
        out.pop();
    }
    out
}

fn is_ellipsis(line: &str) -> bool {
    line.trim() == "…"
}

/// Whether `actual` matches `expected`, where an expected `…` line matches any lines.
fn matches(expected: &[String], actual: &[String]) -> bool {
    // can[i][j]: expected[i..] matches actual[j..].
    let (n, m) = (expected.len(), actual.len());
    let mut can = vec![vec![false; m + 1]; n + 1];
    can[n][m] = true;
    for i in (0..n).rev() {
        for j in (0..=m).rev() {
            can[i][j] = if is_ellipsis(&expected[i]) {
                can[i + 1][j] || (j < m && can[i][j + 1])
            } else {
                j < m && expected[i] == actual[j] && can[i + 1][j + 1]
            };
        }
    }
    can[0][0]
}

/// A line diff (longest common subsequence): ` ` both, `-` expected only, `+` actual only.
fn diff(expected: &[String], actual: &[String]) -> String {
    let (n, m) = (expected.len(), actual.len());
    let mut lcs = vec![vec![0usize; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if expected[i] == actual[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut out = String::new();
    while i < n || j < m {
        if i < n && j < m && expected[i] == actual[j] {
            out.push_str(&format!("  {}\n", expected[i]));
            i += 1;
            j += 1;
        } else if j < m && (i == n || lcs[i][j + 1] >= lcs[i + 1][j]) {
            out.push_str(&format!("+ {}\n", actual[j]));
            j += 1;
        } else {
            out.push_str(&format!("- {}\n", expected[i]));
            i += 1;
        }
    }
    out
}

/// Runs one command block; `Err` describes the difference.
fn check_command(block: &Block) -> Result<(), String> {
    let command = block.body[0].trim_start_matches('$').trim();
    let args = words(command);
    let output = Command::new(env!("CARGO_BIN_EXE_duibiao"))
        .args(&args[1..])
        .current_dir(ROOT)
        .env_remove("RUST_BACKTRACE")
        .output()
        .map_err(|e| format!("cannot run `{command}`: {e}"))?;
    let text = String::from_utf8_lossy(&output.stderr).into_owned()
        + &String::from_utf8_lossy(&output.stdout);
    let actual = normalize(&text.lines().collect::<Vec<_>>());
    let expected = normalize(&block.body[1..]);
    if matches(&expected, &actual) {
        return Ok(());
    }
    Err(format!(
        "{}:{}: `{command}` (exit code {}) does not print what the page shows \
         (- page, + actual; `…` matches any lines):\n{}",
        block.page,
        block.line,
        output.status.code().unwrap_or(-1),
        diff(&expected, &actual)
    ))
}

/// Compares a listing with the file it shows.
fn check_listing(block: &Block, file: &str) -> Result<(), String> {
    let text = std::fs::read_to_string(Path::new(ROOT).join(file))
        .map_err(|e| format!("{}:{}: cannot read `{file}`: {e}", block.page, block.line))?;
    let actual = normalize(&text.lines().collect::<Vec<_>>());
    let expected = normalize(&block.body);
    if expected == actual {
        return Ok(());
    }
    Err(format!(
        "{}:{}: the listing differs from `{file}` (- page, + file):\n{}",
        block.page,
        block.line,
        diff(&expected, &actual)
    ))
}

#[test]
fn documented_commands_print_what_the_docs_show() {
    let mut failures = Vec::new();
    let mut commands = 0;
    for path in pages() {
        let page = path
            .strip_prefix(ROOT)
            .unwrap_or(&path)
            .display()
            .to_string();
        let text = std::fs::read_to_string(&path).expect("a readable page");
        for block in blocks(&page, &text) {
            if let Some(file) = &block.file {
                if let Err(e) = check_listing(&block, file) {
                    failures.push(e);
                }
            }
            if block
                .body
                .first()
                .is_some_and(|l| l.starts_with("$ duibiao "))
            {
                commands += 1;
                if let Err(e) = check_command(&block) {
                    failures.push(e);
                }
            }
        }
    }
    assert!(commands > 0, "no `$ duibiao` blocks found");
    assert!(
        failures.is_empty(),
        "{} of {commands} documented example(s) are out of date:\n\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn ellipsis_and_fingerprints() {
    let lines = |s: &str| normalize(&s.lines().collect::<Vec<_>>());
    assert!(matches(&lines("a\n…\nd"), &lines("a\nb\nc\nd")));
    assert!(matches(&lines("a\n…\nd"), &lines("a\nd")));
    assert!(!matches(&lines("a\n…\nd"), &lines("a\nb")));
    assert!(matches(&lines("…"), &lines("")));
    let fp = |c: char| format!("指纹 sha256:{}", c.to_string().repeat(64));
    assert!(matches(&lines(&fp('a')), &lines(&fp('b'))));
    assert!(!matches(&lines("指纹 sha256:ab"), &lines("指纹 sha256:cd")));
    assert_eq!(
        words(r#"duibiao eval "a b.std" c.json"#),
        ["duibiao", "eval", "a b.std", "c.json"]
    );
}

/// The stable codes a source file gives out: every `=> "X0000"` (its `code()` match arms).
fn codes_in(source: &str) -> Vec<String> {
    let text = std::fs::read_to_string(Path::new(ROOT).join(source)).expect("a readable source");
    let mut codes: Vec<String> = text
        .split("=> \"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .filter(|c| {
            c.len() == 5
                && c.starts_with(['E', 'W', 'F'])
                && c[1..].bytes().all(|b| b.is_ascii_digit())
        })
        .map(str::to_string)
        .collect();
    codes.sort();
    codes.dedup();
    codes
}

#[test]
fn every_code_has_a_row_in_its_table() {
    let mut missing = Vec::new();
    for (source, page) in [
        (
            "crates/duibiao-compiler/src/diagnostic/messages.rs",
            "docs/language.md",
        ),
        (
            "crates/duibiao-engine/src/facts/error.rs",
            "docs/facts-format.md",
        ),
    ] {
        let codes = codes_in(source);
        assert!(!codes.is_empty(), "no codes found in {source}");
        let text = std::fs::read_to_string(Path::new(ROOT).join(page)).expect("a readable page");
        for code in codes {
            if !text
                .lines()
                .any(|l| l.starts_with(&format!("| `{code}` |")))
            {
                missing.push(format!(
                    "{code} (from {source}) has no row in the table of {page}"
                ));
            }
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}
