//! `duibiao test`: runs the cases of standards, prints pass or fail per case with the
//! differences, the coverage when asked, and rewrites failing expectations with `--update`.
//! Exit codes: 0 every case passes, 1 a case fails, 2 a path, a standard or a case cannot be
//! read or run.

use crate::args::{Format, TestArgs};
use crate::io::{compile, emit, limits, report, write_failed, Failed};
use duibiao::cases::{self, report as rep, CaseReport, Coverage, Tally};
use duibiao::Lang;
use serde_json::{json, Value};
use std::io::Write as _;

/// One standard's cases as run, with their coverage.
struct Ran {
    file: String,
    cases: Vec<CaseReport>,
    coverage: Option<Coverage>,
}

/// Runs `duibiao test`; returns the exit code.
pub(crate) fn test(args: TestArgs) -> u8 {
    let lang = Lang::from(args.lang);
    // Relative to the current directory, as the paths are shown.
    let dir = std::path::PathBuf::new();
    let suites = match cases::discover(&args.paths, &dir) {
        Ok(s) => s,
        Err(problems) => {
            report(&problems, None, lang);
            return 2;
        }
    };
    let with_coverage = args.coverage || args.html.is_some();
    let text = args.format != Format::Json;
    let mut broken = false;
    let mut counts = rep::Counts::default();
    let mut ran = Vec::new();
    for suite in &suites {
        let file = suite.standard.display().to_string();
        let Ok(standard) = compile(&suite.standard, lang) else {
            broken = true;
            continue;
        };
        let reports: Vec<CaseReport> = suite
            .cases
            .iter()
            .map(|c| cases::run_case(&standard, c, &limits()))
            .collect();
        report(&rep::problems(&reports), None, lang);
        let counted = rep::Counts::of(&reports);
        let coverage = with_coverage.then(|| {
            let mut tally = Tally::new(&standard);
            for r in reports.iter().filter_map(|c| c.result.as_ref().ok()) {
                tally.count(r);
            }
            tally.finish()
        });
        if text && emit(&rep::results_text(&file, &reports, lang)).is_err() {
            return 2;
        }
        if args.update && update(&reports, lang, text).is_err() {
            return 2;
        }
        counts = counts.plus(if args.update {
            counted.updating()
        } else {
            counted
        });
        if let (true, Some(c)) = (text && args.coverage, &coverage) {
            if emit(&rep::coverage_text(c, lang)).is_err() {
                return 2;
            }
        }
        ran.push(Ran {
            file,
            cases: reports,
            coverage,
        });
    }
    let written = if text {
        emit(&counts.text(lang))
    } else {
        let standards: Vec<Value> = ran
            .iter()
            .map(|r| rep::results_json(&r.file, &r.cases, r.coverage.as_ref()))
            .collect();
        let v = json!({"standards": standards, "summary": counts});
        emit(&(serde_json::to_string_pretty(&v).unwrap_or_default() + "\n"))
    };
    if written.is_err() {
        return 2;
    }
    if let Some(path) = &args.html {
        let coverages: Vec<Coverage> = ran.iter().filter_map(|r| r.coverage.clone()).collect();
        if let Err(e) = std::fs::write(path, rep::coverage_html(&coverages, lang)) {
            crate::io::report_usage(
                &format!("无法写入 `{}`：{e}", path.display()),
                &format!("cannot write `{}`: {e}", path.display()),
                lang,
            );
            return 2;
        }
    }
    match (broken || counts.broken > 0, counts.failed > 0) {
        (true, _) => 2,
        (false, true) => 1,
        (false, false) => 0,
    }
}

/// Rewrites the expected file of every failing case with the actual values of the fields it
/// states, saying which (the differences were printed with the case).
fn update(reports: &[CaseReport], lang: Lang, text: bool) -> Result<(), Failed> {
    for c in reports {
        let Ok(run) = &c.result else { continue };
        if run.passed() {
            continue;
        }
        let path = &c.files.expected;
        if let Err(e) = std::fs::write(path, cases::expected_text(&run.actual)) {
            eprintln!("错误：无法写入 `{}`：{e}", path.display());
            eprintln!("error: cannot write `{}`: {e}", path.display());
            return Err(Failed);
        }
        let n = run.mismatches.len();
        let line = match lang {
            Lang::Zh => format!("  已更新 {}（{n} 处）\n", path.display()),
            Lang::En => format!("  updated {} ({n} change(s))\n", path.display()),
        };
        if text {
            emit(&line)?;
        } else {
            std::io::stderr()
                .write_all(line.as_bytes())
                .map_err(write_failed)?;
        }
    }
    Ok(())
}
