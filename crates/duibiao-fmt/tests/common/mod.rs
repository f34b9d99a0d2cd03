//! What the formatter's tests share: the inputs, and what must not change when formatting.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};

/// The workspace root.
pub const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");

/// Every `.std` file directly in `dir` (relative to the root), sorted.
fn std_files(dir: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(Path::new(ROOT).join(dir))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "std"))
        .collect();
    files.sort();
    files
}

/// The bundled standards: (file name, text).
pub fn standards() -> Vec<(String, String)> {
    let files: Vec<(String, String)> = std_files("standards").iter().map(|p| named(p)).collect();
    assert!(files.len() >= 5, "{files:?}");
    files
}

/// The `.std` examples of the documentation that parse (some are broken on purpose).
pub fn doc_examples() -> Vec<(String, String)> {
    let mut files = std_files("docs/tutorial");
    files.extend(std_files("docs/fmt"));
    files
        .iter()
        .map(|p| named(p))
        .filter(|(_, text)| duibiao_syntax::parse(text).is_ok())
        .collect()
}

/// The text of a file, relative to the root.
pub fn read(path: &str) -> String {
    std::fs::read_to_string(Path::new(ROOT).join(path)).unwrap()
}

fn named(path: &Path) -> (String, String) {
    let text = std::fs::read_to_string(path).unwrap();
    (
        path.file_name().unwrap().to_string_lossy().into_owned(),
        text,
    )
}

/// Formats `text`, failing the test with the syntax errors if it does not parse.
pub fn fmt(name: &str, text: &str) -> String {
    duibiao_fmt::format(text).unwrap_or_else(|e| panic!("{name}: {e:?}"))
}

/// The fingerprint of the standard `text` says.
pub fn fingerprint(name: &str, text: &str) -> String {
    let file = duibiao_syntax::parse(text).unwrap_or_else(|e| panic!("{name}: {e:?}\n{text}"));
    duibiao_compiler::fingerprint::fingerprint(&file)
}

/// The comments of a source text, each without the white space at its end, in order: read line
/// by line outside strings (`"…"`, `“…”` with nested `“…”`), independently of the formatter.
pub fn comments(text: &str) -> Vec<&str> {
    text.lines().filter_map(comment_of_line).collect()
}

fn comment_of_line(line: &str) -> Option<&str> {
    let (mut ascii, mut cjk) = (false, 0usize);
    for (i, c) in line.char_indices() {
        match c {
            '"' if cjk == 0 => ascii = !ascii,
            '“' if !ascii => cjk += 1,
            '”' if !ascii => cjk = cjk.saturating_sub(1),
            '#' if !ascii && cjk == 0 => return Some(line[i..].trim_end()),
            _ => {}
        }
    }
    None
}

/// The strings of a source text, as written (the same reading as [`comments`]).
pub fn strings(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines() {
        let code = comment_of_line(line).map_or(line, |c| &line[..line.len() - c.len()]);
        let code = code.trim_end();
        let (mut current, mut ascii, mut cjk) = (String::new(), false, 0usize);
        for c in code.chars() {
            let inside = ascii || cjk > 0;
            match c {
                '"' if cjk == 0 => ascii = !ascii,
                '“' if !ascii => cjk += 1,
                '”' if !ascii => cjk = cjk.saturating_sub(1),
                _ => {}
            }
            if inside || ascii || cjk > 0 {
                current.push(c);
            }
            if inside && !ascii && cjk == 0 {
                out.push(std::mem::take(&mut current));
            }
        }
    }
    out
}
