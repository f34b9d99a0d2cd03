//! The traceability page of a standard (`duibiao doc`): every encoded clause with its text, the
//! rule that encodes it and its citation, and the clauses deliberately not encoded with the
//! reason. A policy writer reads it side by side with the document.

use crate::Standard;
use duibiao_compiler::graph::{
    Cite, Condition, ConditionKind, KindGraph, ParamValue, Source, TargetScope,
};
use std::fmt::Write as _;

/// Escapes text for a Markdown table cell.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

fn clause(c: &Option<Cite>) -> String {
    c.as_ref().map_or(String::new(), |c| cell(&c.clause))
}

fn words(s: &Source) -> String {
    let text = s
        .cite
        .as_ref()
        .and_then(|c| c.text.clone())
        .or_else(|| s.doc.clone())
        .unwrap_or_default();
    cell(&text)
}

/// The rule as written in the `.std` file, from its source span.
fn rule(std: &Standard, s: &Source) -> String {
    let one_line = crate::impact::written(std, s);
    format!("`{}`", cell(&one_line).replace('`', "'"))
}

fn conditions(out: &mut String, std: &Standard, conds: &[Condition]) {
    for c in conds {
        let what = match c.kind {
            ConditionKind::Prerequisite(_) => format!("基础等级 prerequisite `{}`", cell(&c.expr)),
            ConditionKind::Veto(_) => format!(
                "一票否决 veto `{}`",
                cell(&c.label.clone().unwrap_or_default())
            ),
            ConditionKind::Unrated(_) => format!(
                "不定级 unrated `{}`",
                cell(&c.label.clone().unwrap_or_default())
            ),
            ConditionKind::Cap(_) => format!(
                "封顶 cap `{}`: `{}`",
                cell(&c.label.clone().unwrap_or_default()),
                cell(&c.expr)
            ),
            ConditionKind::Rule | ConditionKind::Limit(_) | ConditionKind::Floor(_) => {
                rule(std, &c.source)
            }
        };
        let _ = writeln!(
            out,
            "| {} | {} | {what} |",
            clause(&c.source.cite),
            words(&c.source)
        );
    }
}

/// A section listing rules with their clause, their words and the rule as written.
fn rules<'s>(
    out: &mut String,
    std: &Standard,
    heading: &str,
    sources: impl IntoIterator<Item = &'s Source>,
) {
    let mut sources = sources.into_iter().peekable();
    if sources.peek().is_none() {
        return;
    }
    let _ = writeln!(
        out,
        "\n### {heading}\n\n| 条款 clause | 原文 text | 规则 rule |\n|---|---|---|"
    );
    for s in sources {
        let _ = writeln!(
            out,
            "| {} | {} | {} |",
            clause(&s.cite),
            words(s),
            rule(std, s)
        );
    }
}

fn kind_section(out: &mut String, std: &Standard, k: &KindGraph) {
    match &k.record {
        // A kind of record: who keeps it, and its declaration's clause.
        Some(r) => {
            let owners: Vec<&str> = r
                .owners
                .iter()
                .filter_map(|&o| std.graph().kinds.get(o as usize))
                .map(|o| o.name.as_str())
                .collect();
            let _ = writeln!(
                out,
                "\n## {}（记录 records · {}）\n\n| 条款 clause | 原文 text | 规则 rule |\n|---|---|---|\n| {} | {} | 记录 records |",
                k.name,
                owners.join("、"),
                clause(&k.source.cite),
                words(&k.source)
            );
        }
        None => {
            let _ = writeln!(out, "\n## {}", k.name);
        }
    }
    // Facts and text facts, in the order they are declared.
    let mut facts: Vec<&Source> = k
        .inputs
        .iter()
        .filter(|i| matches!(i.origin, duibiao_compiler::graph::InputOrigin::Fact))
        .map(|i| &i.source)
        .chain(k.texts.iter().map(|t| &t.source))
        .collect();
    facts.sort_by_key(|s| s.span);
    rules(out, std, "填报项 Facts", facts);
    rules(
        out,
        std,
        "计算值 Derived values",
        k.derived.iter().map(|d| &d.source),
    );
    rules(
        out,
        std,
        "得分公式 Score formula",
        k.score.iter().map(|s| &s.source),
    );
    if let Some(card) = &k.scorecard {
        let _ = writeln!(
            out,
            "\n### 评分表 Scorecard (总分 total {})\n\n| 条款 clause | 键 key | 参考内容 text | 分值 points |\n|---|---|---|---|",
            card.total
        );
        for item in &card.items {
            for p in &item.parts {
                let _ = writeln!(
                    out,
                    "| {} | `{}` | {}：{} | {} |",
                    clause(&p.source.cite),
                    p.key,
                    cell(&item.title),
                    cell(&p.text),
                    p.points
                );
            }
        }
    }
    for g in &k.groups {
        let _ = writeln!(
            out,
            "\n### 要求 Requirements: {}\n\n| 条款 clause | 原文 text | 规则 rule |\n|---|---|---|",
            g.name
        );
        conditions(out, std, &g.requirements);
    }
    for t in &k.tiers {
        let _ = writeln!(
            out,
            "\n### 等级 Tier: {}\n\n{}\n\n| 条款 clause | 原文 text | 规则 rule |\n|---|---|---|",
            t.name,
            words(&t.source)
        );
        conditions(out, std, &t.conditions);
    }
    rules(
        out,
        std,
        "一票否决 Vetoes",
        k.vetoes.iter().map(|v| &v.source),
    );
    rules(
        out,
        std,
        "兑现 Consequences",
        k.consequences.iter().map(|c| &c.source),
    );
    rules(
        out,
        std,
        "指导比例 Guide distributions",
        k.guides.iter().map(|g| &g.source),
    );
}

/// The traceability page of `std`, as Markdown.
pub fn page(std: &Standard) -> String {
    let g = std.graph();
    let info = &g.info;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# {}\n",
        info.title.clone().unwrap_or_else(|| info.slug.clone())
    );
    let _ = writeln!(
        out,
        "<!-- generated by `duibiao doc {}`; do not edit by hand -->\n",
        std.file()
    );
    let _ = writeln!(out, "| | |\n|---|---|");
    let _ = writeln!(out, "| 标识 slug | `{}` |", info.slug);
    for (label, v) in [
        ("发文机关 issuer", &info.issuer),
        ("文号 number", &info.number),
        ("来源 source", &info.source),
    ] {
        if let Some(v) = v {
            let _ = writeln!(out, "| {label} | {} |", cell(v));
        }
    }
    if let Some((a, b)) = info.effective {
        let _ = writeln!(out, "| 有效期 effective | {a} .. {b} |");
    }
    let _ = writeln!(out, "| 指纹 fingerprint | `{}` |", std.fingerprint());
    let _ = writeln!(out, "| 文件 file | `{}` |", std.file());
    if !g.params.is_empty() {
        let _ = writeln!(out, "\n## 参数 Parameters\n\n| 条款 clause | 原文 text | 规则 rule | 值 value |\n|---|---|---|---|");
        for p in &g.params {
            let value = match &p.value {
                ParamValue::Required => "须由使用者提供 must be supplied".to_string(),
                ParamValue::Fixed(_) | ParamValue::Dated(_) => "见规则 see rule".to_string(),
            };
            let _ = writeln!(
                out,
                "| {} | {} | {} | {value} |",
                clause(&p.source.cite),
                words(&p.source),
                rule(std, &p.source)
            );
        }
    }
    for k in &g.kinds {
        kind_section(&mut out, std, k);
    }
    if !g.quotas.is_empty() {
        let _ = writeln!(out, "\n## 指标表 Quota tables\n");
        for q in &g.quotas {
            let _ = writeln!(out, "### {}（{}）\n", q.name, clause(&q.source.cite));
            let dates: Vec<String> = q.columns.iter().map(|d| d.to_string()).collect();
            let _ = writeln!(
                out,
                "| 单位 unit | {} |\n|---|{}",
                dates.join(" | "),
                "---|".repeat(dates.len())
            );
            for (unit, values) in &q.rows {
                let vals: Vec<String> = values
                    .iter()
                    .map(|v| match v {
                        duibiao_compiler::Value::Num(n) => n.normalize().to_string(),
                        other => format!("{other:?}"),
                    })
                    .collect();
                let _ = writeln!(out, "| {} | {} |", cell(unit), vals.join(" | "));
            }
            out.push('\n');
        }
    }
    if !g.targets.is_empty() {
        let _ = writeln!(out, "\n## 目标 Targets\n\n| 条款 clause | 原文 text | 截至 due | 范围 scope | 规则 rule |\n|---|---|---|---|---|");
        for t in &g.targets {
            let due: Vec<String> = t.due.iter().map(|d| d.to_string()).collect();
            let scope = match &t.scope {
                TargetScope::Overall(_) => "全域 overall".to_string(),
                TargetScope::Kinds(ks) => ks
                    .iter()
                    .filter_map(|(k, _)| g.kinds.get(*k as usize).map(|x| x.name.clone()))
                    .collect::<Vec<_>>()
                    .join("、"),
            };
            let soft = if t.soft { "（力争 soft）" } else { "" };
            let _ = writeln!(
                out,
                "| {} | {}{soft} | {} | {scope} | {} |",
                clause(&t.source.cite),
                words(&t.source),
                due.join(", "),
                rule(std, &t.source)
            );
        }
    }
    let _ = writeln!(out, "\n## 未编码的条款 Clauses not encoded\n");
    if g.omitted.is_empty() {
        let _ = writeln!(out, "（无 none）");
    } else {
        let _ = writeln!(out, "| 条款 clause | 原因 reason |\n|---|---|");
        for o in &g.omitted {
            let _ = writeln!(out, "| {} | {} |", cell(&o.clause), cell(&o.reason));
        }
    }
    out
}
