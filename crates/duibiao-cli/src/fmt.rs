//! `duibiao fmt`: formats standards in place, or with `--check` shows which are not formatted.

use crate::io::{emit, limits, read, report, Failed};
use duibiao::Lang;
use std::io::Read as _;
use std::path::{Path, PathBuf};

/// At most this many lines of each side of a difference are shown by `--check`.
const SHOWN_LINES: usize = 6;

/// Formats `files` (none, or `-`: standard input to standard output). Returns whether every
/// file was formatted already (with `check`; without, whether they could all be formatted);
/// fails when a file cannot be read, parsed or written, after going through the others.
pub(crate) fn run(files: &[PathBuf], check: bool, lang: Lang) -> Result<bool, Failed> {
    let stdin = [PathBuf::from("-")];
    let files = if files.is_empty() { &stdin[..] } else { files };
    let (mut unformatted, mut failed) = (0usize, false);
    for path in files {
        match format_one(path, check, lang) {
            Ok(true) => {}
            Ok(false) => unformatted += 1,
            Err(Failed) => failed = true,
        }
    }
    if check && unformatted > 0 {
        emit(&match lang {
            Lang::Zh => format!("{unformatted} 个文件的格式需要统一（运行 `duibiao fmt` 改写）\n"),
            Lang::En => {
                format!("{unformatted} file(s) not formatted (run `duibiao fmt` to rewrite them)\n")
            }
        })?;
    }
    if failed {
        return Err(Failed);
    }
    Ok(!check || unformatted == 0)
}

/// Formats one file (`-`: standard input); returns whether it was formatted already.
fn format_one(path: &Path, check: bool, lang: Lang) -> Result<bool, Failed> {
    let from_stdin = path.as_os_str() == "-";
    let (name, source) = if from_stdin {
        let name = match lang {
            Lang::Zh => "<标准输入>",
            Lang::En => "<stdin>",
        };
        let mut source = String::new();
        std::io::stdin().read_to_string(&mut source).map_err(|e| {
            eprintln!("错误：无法读取标准输入：{e}");
            eprintln!("error: cannot read standard input: {e}");
            Failed
        })?;
        (name.to_string(), source)
    } else {
        (path.display().to_string(), read(path, lang)?)
    };
    let formatted = duibiao::format_standard(&name, &source, &limits()).map_err(|p| {
        report(&p.0, Some(&source), lang);
        Failed
    })?;
    let same = formatted == source;
    match (check, from_stdin) {
        (true, _) if !same => emit(&difference(&name, &source, &formatted, lang))?,
        (true, _) => {}
        (false, true) => emit(&formatted)?,
        (false, false) if same => {}
        (false, false) => {
            std::fs::write(path, &formatted).map_err(|e| {
                eprintln!("错误：无法写入 `{name}`：{e}");
                eprintln!("error: cannot write `{name}`: {e}");
                Failed
            })?;
            emit(&match lang {
                Lang::Zh => format!("已格式化 {name}\n"),
                Lang::En => format!("formatted {name}\n"),
            })?;
        }
    }
    Ok(same)
}

/// What `--check` shows of a file that is not formatted: its name, then the lines from the first
/// to the last that differ as one hunk of a unified diff (at most [`SHOWN_LINES`] of each side).
fn difference(name: &str, before: &str, after: &str, lang: Lang) -> String {
    let old: Vec<&str> = before.lines().collect();
    let new: Vec<&str> = after.lines().collect();
    let common = old.iter().zip(&new).take_while(|(a, b)| a == b).count();
    let tail = old[common..]
        .iter()
        .rev()
        .zip(new[common..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let (removed, added) = (
        &old[common..old.len() - tail],
        &new[common..new.len() - tail],
    );
    let mut text = match lang {
        Lang::Zh => format!("{name}：格式需要统一\n"),
        Lang::En => format!("{name}: not formatted\n"),
    };
    text += &format!("--- {name}\n+++ {name} (duibiao fmt)\n");
    text += &format!(
        "@@ -{},{} +{},{} @@\n",
        common + 1,
        removed.len(),
        common + 1,
        added.len()
    );
    for (sign, lines) in [('-', removed), ('+', added)] {
        for line in lines.iter().take(SHOWN_LINES) {
            text += &format!("{sign}{line}\n");
        }
        if lines.len() > SHOWN_LINES {
            text += &match lang {
                Lang::Zh => format!("{sign}……（另有 {} 行）\n", lines.len() - SHOWN_LINES),
                Lang::En => format!("{sign}… ({} more line(s))\n", lines.len() - SHOWN_LINES),
            };
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_difference_is_the_hunk_between_the_common_lines() {
        let d = difference("a.std", "x\ny  \nz\n", "x\ny\nz\n", Lang::En);
        assert_eq!(
            d,
            "a.std: not formatted\n--- a.std\n+++ a.std (duibiao fmt)\n@@ -2,1 +2,1 @@\n-y  \n+y\n"
        );
        let d = difference("a.std", "a\n\n\nb\n", "a\n\nb\n", Lang::Zh);
        assert!(d.starts_with("a.std：格式需要统一\n"), "{d}");
        assert!(d.ends_with("@@ -3,1 +3,0 @@\n-\n"), "{d}");
    }

    #[test]
    fn a_long_difference_is_cut_short() {
        let before = "x\n".repeat(SHOWN_LINES + 3);
        let d = difference("a.std", &before, "", Lang::En);
        assert!(d.contains("-… (3 more line(s))\n"), "{d}");
    }
}
