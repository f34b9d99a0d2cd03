//! Cases: a standard's examples with the outcome its document says they must have, run and
//! compared (`duibiao test`), and the clauses they exercise (coverage).
//!
//! A case is a facts file `standards/<slug>/cases/NAME.json` with its expected outcome
//! `NAME.expected.json` beside it, written from the document's text independently of the `.std`
//! file (its fields: [`expected`]). [`discover`] finds them, [`run_case`] runs one,
//! [`coverage::Tally`] counts the rules a standard's cases decided, and [`report`] writes the
//! results for people (text in Chinese or English, HTML) and programs (JSON).

pub mod coverage;
pub mod expected;
pub mod report;
mod run;

pub use coverage::{Coverage, RuleCoverage, RuleKind, Tally};
pub use expected::Expected;
pub use run::{expected_text, run, CaseRun, Decided, Mismatch};

use crate::codes::Code;
use crate::limits::Limits;
use crate::problem::{Location, Problem};
use crate::Standard;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The cases of one standard that a command asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Suite {
    /// The `.std` file.
    pub standard: PathBuf,
    /// Its cases, by name.
    pub cases: Vec<CaseFiles>,
}

/// The two files of a case.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CaseFiles {
    /// The case's name: the facts file's name without `.json`.
    pub name: String,
    /// The facts file.
    pub facts: PathBuf,
    /// The expected file (`NAME.expected.json`).
    pub expected: PathBuf,
}

/// A case as run: its files, and its run or the problems that kept it from running (a file
/// that cannot be read, an expected file that is not JSON or has the wrong shape, facts the
/// standard cannot evaluate).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct CaseReport {
    /// Its files.
    pub files: CaseFiles,
    /// The expected file as read.
    pub expected: Option<Expected>,
    /// The run, or why it could not run.
    pub result: Result<CaseRun, Vec<Problem>>,
}

/// The cases folder of the standard `file`: `<dir>/<slug>/cases/` for `<dir>/<slug>.std`.
pub fn cases_dir(file: &Path) -> PathBuf {
    let slug = file.file_stem().unwrap_or_default();
    file.with_file_name(slug).join("cases")
}

/// The standard of a cases folder `<dir>/<slug>/cases/`: `<dir>/<slug>.std`.
fn standard_of(cases: &Path) -> Option<PathBuf> {
    let slug_dir = cases.parent()?;
    let slug = slug_dir.file_name()?.to_str()?;
    Some(slug_dir.with_file_name(format!("{slug}.std")))
}

fn is_case(name: &str) -> bool {
    name.ends_with(".json") && !name.ends_with(".expected.json")
}

fn names_in(dir: &Path, keep: impl Fn(&str) -> bool) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok())
        .filter_map(|e| e.file_name().to_str().map(String::from))
        .filter(|n| keep(n))
        .collect();
    names.sort();
    names
}

fn no_cases(path: &Path) -> Problem {
    let p = path.display();
    Problem::error(
        Code::T0003,
        format!("`{p}` 不是标准文件、用例文件夹或用例文件"),
        format!("`{p}` is not a standard, a cases folder or a case file"),
    )
    .with_help(
        "写 `standards/<slug>.std`、`standards/<slug>/cases/` 或其中的 `NAME.json`；不写路径则运行当前目录下 `standards/*.std` 的全部用例",
        "give `standards/<slug>.std`, `standards/<slug>/cases/` or a `NAME.json` in it; without a path, every case of `standards/*.std` under the current directory runs",
    )
    .at(Location::data(Some(&p.to_string()), None, None))
}

fn no_cases_beside(std: &Path) -> Problem {
    let (p, dir) = (std.display(), cases_dir(std).display().to_string());
    Problem::error(
        Code::T0003,
        format!("标准 `{p}` 没有用例：找不到文件夹 `{dir}`"),
        format!("the standard `{p}` has no cases: there is no folder `{dir}`"),
    )
    .with_help(
        "用例写在标准旁边的 `<slug>/cases/` 文件夹中，见 docs/authoring.md",
        "cases go in the `<slug>/cases/` folder beside the standard; see docs/authoring.md",
    )
    .at(Location::data(Some(&p.to_string()), None, None))
}

/// The cases `paths` name, grouped by standard (sorted by file, cases by name): a `.std` file
/// (its `<slug>/cases/` folder beside it), a folder of `.std` files, a standard's `<slug>/` folder,
/// a cases folder (one with `.expected.json` files), or a case's
/// facts or expected file. No path: every `standards/*.std` under `dir` that has cases. A path
/// that names none of these, or a standard without a cases folder, is `T0003`.
pub fn discover(paths: &[PathBuf], dir: &Path) -> Result<Vec<Suite>, Vec<Problem>> {
    // Per standard: the cases asked for (none: all of them).
    let mut wanted: BTreeMap<PathBuf, Option<Vec<String>>> = BTreeMap::new();
    let mut problems = Vec::new();
    let all = |wanted: &mut BTreeMap<PathBuf, Option<Vec<String>>>, std: PathBuf| {
        wanted.insert(std, None);
    };
    if paths.is_empty() {
        let standards = dir.join("standards");
        for n in names_in(&standards, |n| n.ends_with(".std")) {
            let std = standards.join(n);
            if cases_dir(&std).is_dir() {
                all(&mut wanted, std);
            }
        }
    }
    for path in paths {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if path.is_file() && name.ends_with(".std") {
            if cases_dir(path).is_dir() {
                all(&mut wanted, path.clone());
            } else {
                problems.push(no_cases_beside(path));
            }
        } else if path.is_dir() && !names_in(path, |n| n.ends_with(".std")).is_empty() {
            let standards = names_in(path, |n| n.ends_with(".std")).into_iter();
            let with_cases: Vec<PathBuf> = standards
                .map(|n| path.join(n))
                .filter(|std| cases_dir(std).is_dir())
                .collect();
            if with_cases.is_empty() {
                problems.push(no_cases(path));
            }
            for std in with_cases {
                all(&mut wanted, std);
            }
        } else if path.join("cases").is_dir() {
            // A standard's folder `<dir>/<slug>/`, beside `<dir>/<slug>.std`.
            match standard_of(&path.join("cases")) {
                Some(std) => all(&mut wanted, std),
                None => problems.push(no_cases(path)),
            }
        } else if path.is_dir() && !names_in(path, |n| n.ends_with(".expected.json")).is_empty() {
            match standard_of(path) {
                Some(std) => all(&mut wanted, std),
                None => problems.push(no_cases(path)),
            }
        } else if path.is_file() && name.ends_with(".json") {
            let case = name
                .strip_suffix(".expected.json")
                .or_else(|| name.strip_suffix(".json"))
                .unwrap_or(name)
                .to_string();
            match path.parent().and_then(standard_of) {
                Some(std) => {
                    if let Some(cases) = wanted.entry(std).or_insert(Some(Vec::new())) {
                        cases.push(case);
                    }
                }
                None => problems.push(no_cases(path)),
            }
        } else {
            problems.push(no_cases(path));
        }
    }
    if paths.is_empty() && wanted.is_empty() {
        problems.push(no_cases(&dir.join("standards")));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(wanted
        .into_iter()
        .map(|(std, only)| {
            let folder = cases_dir(&std);
            let names = only.unwrap_or_else(|| {
                let facts = names_in(&folder, is_case);
                facts
                    .iter()
                    .map(|n| n.trim_end_matches(".json").to_string())
                    .collect()
            });
            let mut cases: Vec<CaseFiles> = names
                .into_iter()
                .map(|name| CaseFiles {
                    facts: folder.join(format!("{name}.json")),
                    expected: folder.join(format!("{name}.expected.json")),
                    name,
                })
                .collect();
            cases.sort_by(|a, b| a.name.cmp(&b.name));
            cases.dedup();
            Suite {
                standard: std,
                cases,
            }
        })
        .collect())
}

/// Reads a case's files within `limits` and runs it against `standard`.
pub fn run_case(standard: &Standard, files: &CaseFiles, limits: &Limits) -> CaseReport {
    let name = files.expected.display().to_string();
    let expected = limits
        .read_facts(&files.expected)
        .map_err(|p| p.0)
        .and_then(|text| Expected::parse(&name, &text).map_err(|p| p.0));
    let facts = limits.read_facts(&files.facts).map_err(|p| p.0);
    let (expected, result) = match (expected, facts) {
        (Ok(e), Ok(facts)) => {
            let facts_name = files.facts.display().to_string();
            let result = run(standard, &files.name, Some(&facts_name), &facts, &e);
            (Some(e), result.map_err(|p| p.0))
        }
        (Ok(e), Err(p)) => (Some(e), Err(p)),
        (Err(p), Ok(_)) => (None, Err(p)),
        (Err(mut p), Err(q)) => {
            p.extend(q);
            (None, Err(p))
        }
    };
    CaseReport {
        files: files.clone(),
        expected,
        result,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(paths: &[&str]) -> Result<Vec<(String, usize)>, Vec<String>> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let paths: Vec<PathBuf> = paths.iter().map(|p| root.join(p)).collect();
        let rel = |p: &Path| p.strip_prefix(&root).unwrap_or(p).display().to_string();
        match discover(&paths, &root) {
            Ok(suites) => Ok(suites
                .iter()
                .map(|s| (rel(&s.standard), s.cases.len()))
                .collect()),
            Err(p) => Err(p.into_iter().map(|p| p.code).collect()),
        }
    }

    #[test]
    fn a_path_names_a_standard_its_folders_or_one_case() {
        let all = found(&[]).unwrap_or_default();
        assert_eq!(all.len(), 6, "{all:?}");
        assert!(all.iter().all(|(_, n)| *n >= 10), "{all:?}");
        let haiyan = ("standards/haiyan-2021.std".to_string(), 21);
        for p in [
            "standards/haiyan-2021.std",
            "standards/haiyan-2021",
            "standards/haiyan-2021/cases",
        ] {
            assert_eq!(found(&[p]), Ok(vec![haiyan.clone()]), "{p}");
        }
        let one = ("standards/haiyan-2021.std".to_string(), 1);
        for p in [
            "standards/haiyan-2021/cases/xiaoqu_veto.json",
            "standards/haiyan-2021/cases/xiaoqu_veto.expected.json",
        ] {
            assert_eq!(found(&[p, p]), Ok(vec![one.clone()]), "{p}");
        }
        // A case and its whole standard: the whole standard.
        let both = [
            "standards/haiyan-2021/cases/xiaoqu_veto.json",
            "standards/haiyan-2021.std",
        ];
        assert_eq!(found(&both), Ok(vec![haiyan]));
        assert_eq!(found(&["standards"]).map(|s| s.len()), Ok(6));
        assert_eq!(found(&["docs"]), Err(vec!["T0003".to_string()]));
        assert_eq!(found(&["no/such/file.std"]), Err(vec!["T0003".to_string()]));
        assert_eq!(
            found(&["docs/tutorial/mulin-2024.std"]),
            Err(vec!["T0003".to_string()])
        );
        assert_eq!(found(&["docs/tutorial"]), Err(vec!["T0003".to_string()]));
    }
}
