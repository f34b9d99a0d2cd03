//! The results of cases and their coverage, written for people (text in Chinese or English, one
//! self-contained HTML page) and for programs (JSON). Deterministic: the order is the files' and
//! the standard's, and counts are whole numbers.

use super::coverage::{Coverage, RuleCoverage};
use super::run::{Decided, Mismatch};
use super::CaseReport;
use crate::{Lang, Problem};
use serde_json::{json, Value};
use std::fmt::Write as _;

/// How many cases passed, failed, and could not run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct Counts {
    /// Cases whose outcome is what they expect.
    pub passed: usize,
    /// Cases whose outcome differs.
    pub failed: usize,
    /// Cases that could not run (a file unreadable or malformed, facts not evaluable).
    pub broken: usize,
    /// Failed cases whose expected files were rewritten (`--update`).
    pub updated: usize,
}

impl Counts {
    /// The counts of `cases`.
    pub fn of(cases: &[CaseReport]) -> Counts {
        let mut n = Counts::default();
        for c in cases {
            match &c.result {
                Ok(r) if r.passed() => n.passed += 1,
                Ok(_) => n.failed += 1,
                Err(_) => n.broken += 1,
            }
        }
        n
    }

    /// These counts and `other`'s.
    pub fn plus(self, other: Counts) -> Counts {
        Counts {
            passed: self.passed + other.passed,
            failed: self.failed + other.failed,
            broken: self.broken + other.broken,
            updated: self.updated + other.updated,
        }
    }

    /// The same counts once the failed cases' expected files were rewritten: they are updated.
    pub fn updating(self) -> Counts {
        Counts {
            failed: 0,
            updated: self.updated + self.failed,
            ..self
        }
    }

    /// The summary line: `共 22 个用例：21 个通过，1 个失败`.
    pub fn text(&self, lang: Lang) -> String {
        let total = self.passed + self.failed + self.broken + self.updated;
        let (p, f) = (self.passed, self.failed);
        let more = |n: usize, zh: &str, en: &str| match (lang, n) {
            (_, 0) => String::new(),
            (Lang::Zh, n) => format!("，{n} 个{zh}"),
            (Lang::En, n) => format!(", {n} {en}"),
        };
        let rest = more(self.updated, "已更新", "updated")
            + &more(self.broken, "无法运行", "could not run");
        match lang {
            Lang::Zh => format!("共 {total} 个用例：{p} 个通过，{f} 个失败{rest}\n"),
            Lang::En => format!("{total} case(s): {p} passed, {f} failed{rest}\n"),
        }
    }
}

/// A value as a reader sees it: text without quotes, other JSON compact; `absent` when none.
fn shown(v: Option<&Value>, absent: &str) -> String {
    match v {
        None => absent.to_string(),
        Some(Value::String(s)) => s.clone(),
        Some(v) => v.to_string(),
    }
}

fn decided_text(d: &Decided, lang: Lang) -> String {
    let word = crate::verdict_word(d.verdict, lang);
    let head = match (&d.rating, lang) {
        (Some(r), Lang::Zh) => r.zh.clone(),
        (Some(r), Lang::En) => r.en.clone(),
        (None, Lang::Zh) => format!("{} {word}", d.rule),
        (None, Lang::En) => format!("{}: {word}", d.rule),
    };
    match (&d.clause, lang) {
        (Some(c), Lang::Zh) => format!("{head}〔{c}〕"),
        (Some(c), Lang::En) => format!("{head} [{c}]"),
        (None, _) => head,
    }
}

/// One mismatch, indented: where, expected and actual, and the rules that decided it.
pub fn mismatch_text(m: &Mismatch, lang: Lang) -> String {
    let mut out = String::new();
    let about = m.subject.as_deref().map_or(String::new(), |s| match lang {
        Lang::Zh => format!("（{s}）"),
        Lang::En => format!(" ({s})"),
    });
    let _ = writeln!(out, "      {}{about}", m.path);
    let (not_stated, absent) = match lang {
        Lang::Zh => ("（未写）", "（没有）"),
        Lang::En => ("(not stated)", "(absent)"),
    };
    let (e, a) = (
        shown(m.expected.as_ref(), not_stated),
        shown(m.actual.as_ref(), absent),
    );
    match lang {
        Lang::Zh => {
            let _ = writeln!(out, "        期望：{e}\n        实际：{a}");
        }
        Lang::En => {
            let _ = writeln!(out, "        expected: {e}\n        actual:   {a}");
        }
    }
    for d in &m.decided_by {
        let label = match lang {
            Lang::Zh => "依据：",
            Lang::En => "decided by: ",
        };
        let _ = writeln!(out, "        {label}{}", decided_text(d, lang));
    }
    out
}

/// The results of one standard's cases: a line per case (`通过` / `失败` / `无法运行`) and,
/// under a failed case, its mismatches.
pub fn results_text(file: &str, cases: &[CaseReport], lang: Lang) -> String {
    let mut out = format!("{file}\n");
    for c in cases {
        let (word, detail) = match (&c.result, lang) {
            (Ok(r), Lang::Zh) if r.passed() => ("通过", String::new()),
            (Ok(r), Lang::En) if r.passed() => ("ok  ", String::new()),
            (Ok(r), _) => (
                match lang {
                    Lang::Zh => "失败",
                    Lang::En => "FAIL",
                },
                r.mismatches
                    .iter()
                    .map(|m| mismatch_text(m, lang))
                    .collect(),
            ),
            (Err(p), _) => {
                let codes: Vec<&str> = p.iter().map(|p| p.code.as_str()).collect();
                let word = match lang {
                    Lang::Zh => "无法运行",
                    Lang::En => "ERROR",
                };
                (word, format!("      {}\n", codes.join(", ")))
            }
        };
        let _ = write!(out, "  {word}  {}\n{detail}", c.files.name);
    }
    out
}

/// The problems that kept cases from running, in order.
pub fn problems(cases: &[CaseReport]) -> Vec<Problem> {
    cases
        .iter()
        .filter_map(|c| c.result.as_ref().err())
        .flatten()
        .cloned()
        .collect()
}

/// The results of one standard's cases as JSON.
pub fn results_json(file: &str, cases: &[CaseReport], coverage: Option<&Coverage>) -> Value {
    let cases: Vec<Value> = cases
        .iter()
        .map(|c| match &c.result {
            Ok(r) => json!({
                "name": c.files.name,
                "status": if r.passed() { "pass" } else { "fail" },
                "mismatches": r.mismatches,
            }),
            Err(p) => json!({"name": c.files.name, "status": "error", "problems": p}),
        })
        .collect();
    let mut v = json!({"standard": file, "cases": cases});
    if let Some(c) = coverage {
        v["coverage"] = json!(c);
    }
    v
}

fn marks(r: &RuleCoverage) -> String {
    [r.pass, r.fail, r.unknown]
        .iter()
        .map(|n| if *n > 0 { "✓" } else { "·" })
        .collect::<Vec<_>>()
        .join(" ")
}

fn rule_text(r: &RuleCoverage, lang: Lang) -> String {
    let kind = match lang {
        Lang::Zh => r.kind.zh(),
        Lang::En => r.kind.en(),
    };
    let unit = r
        .unit_kind
        .as_deref()
        .map_or(String::new(), |k| format!("{k} "));
    let clause = r.clause.as_deref().map_or(String::new(), |c| match lang {
        Lang::Zh => format!("〔{c}〕"),
        Lang::En => format!(" [{c}]"),
    });
    format!("{unit}{kind} {}{clause}", r.name)
}

/// The coverage of one standard as text: the counts, the rules the cases did not see both pass
/// and fail (those that did are counted, not listed), and the clauses no case exercises.
pub fn coverage_text(c: &Coverage, lang: Lang) -> String {
    let mut out = String::new();
    let decided = c.rules.iter().filter(|r| r.decided()).count();
    let both = |r: &&RuleCoverage| r.pass > 0 && r.fail > 0;
    let open: Vec<&RuleCoverage> = c.rules.iter().filter(|r| !both(r)).collect();
    let (rules, cases, clauses, none) = (c.rules.len(), c.cases, c.clauses, c.unexercised.len());
    let full = rules - open.len();
    match lang {
        Lang::Zh => {
            let _ = writeln!(out, "覆盖 {}（{cases} 个用例）：规则 {rules} 条，判定过 {decided} 条，既见过达到又见过未达到 {full} 条；引用条款 {clauses} 条，无用例覆盖 {none} 条", c.file);
            if !open.is_empty() {
                let _ = writeln!(out, "  未同时见过达到和未达到的规则（三列依次为 达到 未达到 未知；✓ 见过，· 未见过）：");
            }
        }
        Lang::En => {
            let _ = writeln!(out, "coverage {} ({cases} case(s)): {rules} rules, {decided} decided, {full} seen both passing and failing; {clauses} clauses cited, {none} exercised by no case", c.file);
            if !open.is_empty() {
                let _ = writeln!(out, "  rules not seen both passing and failing (columns: pass fail unknown; ✓ seen, · not seen):");
            }
        }
    }
    for r in open {
        let _ = writeln!(out, "    {}  {}", marks(r), rule_text(r, lang));
    }
    if !c.unexercised.is_empty() {
        let _ = writeln!(
            out,
            "  {}",
            match lang {
                Lang::Zh => "无用例覆盖的条款：",
                Lang::En => "clauses no case exercises:",
            }
        );
        for clause in &c.unexercised {
            let _ = writeln!(out, "    {clause}");
        }
    }
    out
}

/// Text escaped for HTML.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The coverage of standards as one self-contained HTML page (no scripts, no external assets):
/// per standard, every rule with its counts, and the clauses no case exercises.
pub fn coverage_html(coverages: &[Coverage], lang: Lang) -> String {
    let (title, heads, none_title, none) = match lang {
        Lang::Zh => (
            "用例覆盖",
            ["单位类型", "种类", "规则", "条款", "达到", "未达到", "未知"],
            "无用例覆盖的条款",
            "（无）",
        ),
        Lang::En => (
            "Case coverage",
            [
                "unit kind",
                "kind",
                "rule",
                "clause",
                "pass",
                "fail",
                "unknown",
            ],
            "Clauses no case exercises",
            "(none)",
        ),
    };
    let lang_attr = match lang {
        Lang::Zh => "zh",
        Lang::En => "en",
    };
    let mut out = format!(
        "<!DOCTYPE html>\n<html lang=\"{lang_attr}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n<style>\nbody{{font-family:sans-serif;margin:2em}}table{{border-collapse:collapse}}td,th{{border:1px solid #ccc;padding:2px 6px;text-align:left}}td.n{{text-align:right}}tr.none td{{background:#fdd}}tr.half td{{background:#ffe}}td.zero{{color:#b00}}\n</style>\n</head>\n<body>\n<h1>{title}</h1>\n"
    );
    for c in coverages {
        let _ = writeln!(out, "<h2>{}</h2>", esc(&c.file));
        let text = coverage_text(c, lang);
        let _ = writeln!(out, "<p>{}</p>", esc(text.lines().next().unwrap_or("")));
        let _ = writeln!(
            out,
            "<table>\n<tr>{}</tr>",
            heads.map(|h| format!("<th>{h}</th>")).concat()
        );
        for r in &c.rules {
            let class = match (r.decided(), r.pass > 0 && r.fail > 0) {
                (false, _) => " class=\"none\"",
                (true, false) => " class=\"half\"",
                (true, true) => "",
            };
            let kind = match lang {
                Lang::Zh => r.kind.zh(),
                Lang::En => r.kind.en(),
            };
            let n = |x: u32| {
                let zero = if x == 0 { " zero" } else { "" };
                format!("<td class=\"n{zero}\">{x}</td>")
            };
            let _ = writeln!(
                out,
                "<tr{class}><td>{}</td><td>{kind}</td><td>{}</td><td>{}</td>{}{}{}</tr>",
                esc(r.unit_kind.as_deref().unwrap_or("")),
                esc(&r.name),
                esc(r.clause.as_deref().unwrap_or("")),
                n(r.pass),
                n(r.fail),
                n(r.unknown),
            );
        }
        let _ = writeln!(out, "</table>\n<h3>{none_title}</h3>\n<ul>");
        for clause in &c.unexercised {
            let _ = writeln!(out, "<li>{}</li>", esc(clause));
        }
        if c.unexercised.is_empty() {
            let _ = writeln!(out, "<li>{none}</li>");
        }
        let _ = writeln!(out, "</ul>");
    }
    out.push_str("</body>\n</html>\n");
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::cases::{run, Expected};
    use crate::Standard;

    /// A star rating with a reason not to rate and a limit: a new branch is not rated, and one
    /// place at 五星 among two.
    const RATING: &str = r#"
standard demo { title "示例" }
kind 支部
facts 支部 { 新成立: bool }
scorecard 支部 total 100 { item 1 "整体" max 100 }
tiers 支部 { 三星 { score >= 60 } 五星 requires 三星 { score >= 90 } }
unrated 支部 当年新成立: 新成立 "当年新成立的不定级" cite "三"
limit 支部 五星: 50% among all by (score) ties by_id round down "五星不超过50%" cite "四"
"#;

    #[test]
    fn rating_rules_are_worded_as_explain_words_them() {
        let facts = r#"{"units": [
            {"id": "A", "kind": "支部", "scores": {"1": 95}, "facts": {"新成立": false}},
            {"id": "B", "kind": "支部", "scores": {"1": 92}, "facts": {"新成立": false}},
            {"id": "N", "kind": "支部", "scores": {"1": 99}, "facts": {"新成立": true}}
        ]}"#;
        let std = Standard::compile("demo.std", RATING).unwrap();
        let expected = r#"{"units": {"B": {"tier": "五星"}, "N": {"tier": "五星"}}}"#;
        let e = Expected::parse("demo.expected.json", expected).unwrap();
        let r = run(&std, "demo", None, facts, &e).unwrap();
        let text: String = r
            .mismatches
            .iter()
            .map(|m| mismatch_text(m, Lang::Zh))
            .collect();
        // Not rated says so, without a verdict word that reads as the reason holding or not.
        assert!(
            text.contains("依据：当年新成立的不定级（不定级：是）〔三〕"),
            "{text}"
        );
        assert!(!text.contains("当年新成立 未达到"), "{text}");
        // A limit gives its place and the places, not the tier's own name.
        assert!(
            text.contains("依据：五星不超过50% 未达到：按 score 92分 排第 2 名，名额 1 名（50% × 2 = 1，向下取整），第 1 名 95分〔四〕"),
            "{text}"
        );
        let en: String = r
            .mismatches
            .iter()
            .map(|m| mismatch_text(m, Lang::En))
            .collect();
        assert!(
            en.contains("decided by: 当年新成立的不定级 (not rated: yes) [三]"),
            "{en}"
        );
    }

    #[test]
    fn html_is_escaped() {
        assert_eq!(
            esc("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }
}
