//! Explanations a policy writer can read without knowing the language: why a unit has its tier,
//! every condition of every tier with its value, its threshold, its verdict and its clause.

mod rating;

pub use rating::suffix as rating_suffix;

use crate::outcome::{Bounds, ConditionOutcome, UnitOutcome, Verdict};
use duibiao_compiler::Lang;
use std::fmt::Write as _;

fn mark(v: Verdict) -> &'static str {
    match v {
        Verdict::Pass => "✓",
        Verdict::Fail => "✗",
        Verdict::Unknown => "?",
    }
}

/// A comparison as the documents write it: `不少于` for `>=` in Chinese, the symbol in English.
pub fn op_words(op: &str, lang: Lang) -> &str {
    match (op, lang) {
        (">=", Lang::Zh) => "不少于",
        (">", Lang::Zh) => "超过",
        ("<=", Lang::Zh) => "不超过",
        ("<", Lang::Zh) => "低于",
        ("==", Lang::Zh) => "等于",
        ("!=", Lang::Zh) => "不等于",
        (o, _) => o,
    }
}

/// What decided a comparison whose value is unknown, in words: the bound of its range that meets
/// the requirement or misses it (`至多 70分` for a failed `>=`), or the whole range for `==` and
/// `!=`.
fn bound_words(b: &Bounds, op: &str, verdict: Verdict, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    let (least, most) = if zh {
        ("至少", "至多")
    } else {
        ("at least", "at most")
    };
    let pass = verdict == Verdict::Pass;
    match op {
        ">=" | ">" if pass => format!("{least} {}", b.least),
        ">=" | ">" => format!("{most} {}", b.most),
        "<=" | "<" if pass => format!("{most} {}", b.most),
        "<=" | "<" => format!("{least} {}", b.least),
        _ if zh => format!("{} 至 {} 之间", b.least, b.most),
        _ => format!("between {} and {}", b.least, b.most),
    }
}

/// Names an input as an assessor knows it: facts by name, scored parts as `评分 6.1`.
fn input_name(u: &UnitOutcome, key: &str, lang: Lang) -> String {
    let scored = u.items.iter().flat_map(|i| &i.parts).any(|p| p.key == key);
    match (scored, lang) {
        (true, Lang::Zh) => format!("评分 {key}"),
        (true, Lang::En) => format!("score {key}"),
        (false, _) => key.to_string(),
    }
}

/// One line (and its continuation lines) for a condition.
fn condition_line(out: &mut String, u: &UnitOutcome, c: &ConditionOutcome, lang: Lang) {
    let zh = lang == Lang::Zh;
    let title = match &*c.kind {
        "prerequisite" => {
            if zh {
                format!("已达到{}", c.expr)
            } else {
                format!("has reached {}", c.expr)
            }
        }
        _ => c
            .text
            .clone()
            .or_else(|| c.label.clone())
            .unwrap_or_else(|| c.expr.clone()),
    };
    let mut line = format!("  {} {}", mark(c.verdict), title);
    if let Some(rest) = rating::suffix(c, lang) {
        line.push_str(&rest);
        return finish(out, u, c, line, lang);
    }
    match &*c.kind {
        "prerequisite" => {
            let _ = write!(
                line,
                "{}",
                if zh {
                    "（基础等级）"
                } else {
                    " (prerequisite)"
                }
            );
        }
        "veto" => {
            let fired = match c.actual.as_deref() {
                Some("true") => {
                    if zh {
                        "已触发"
                    } else {
                        "fired"
                    }
                }
                Some("false") => {
                    if zh {
                        "未触发"
                    } else {
                        "not fired"
                    }
                }
                _ => {
                    if zh {
                        "未知"
                    } else {
                        "unknown"
                    }
                }
            };
            let _ = write!(
                line,
                "{}",
                if zh {
                    format!("（一票否决：{fired}）")
                } else {
                    format!(" (veto: {fired})")
                }
            );
        }
        _ => {
            let unknown = if zh { "未知" } else { "unknown" };
            let bound = match (&c.bounds, c.op.as_deref()) {
                (Some(b), Some(op)) => Some(bound_words(b, op, c.verdict, lang)),
                _ => None,
            };
            let actual = c.actual.as_deref().or(bound.as_deref()).unwrap_or(unknown);
            if let Some(m) = &c.members {
                let share = if m.op == "share" && m.total > 0 && m.unknown == 0 {
                    format!(" = {}", crate::outcome::percent(m.matched, m.total))
                } else {
                    String::new()
                };
                let _ = write!(
                    line,
                    "{}",
                    match (&*m.op, zh) {
                        ("sum", true) => {
                            format!("：实际 {actual}（计入 {}/{}）", m.matched, m.total)
                        }
                        ("sum", false) => {
                            format!(": actual {actual} (counting {} of {})", m.matched, m.total)
                        }
                        ("count", true) => format!("：符合 {} 个（共 {} 个）", m.matched, m.total),
                        ("count", false) => format!(": {} match (of {})", m.matched, m.total),
                        (_, true) => format!("：符合 {}/{}{share}", m.matched, m.total),
                        (_, false) => format!(": {} of {} match{share}", m.matched, m.total),
                    }
                );
                if m.total == 0 {
                    let _ = write!(
                        line,
                        "{}",
                        if zh {
                            "（无下级单位）"
                        } else {
                            " (no sub-units)"
                        }
                    );
                }
                if m.unknown > 0 {
                    let _ = write!(
                        line,
                        "{}",
                        if zh {
                            format!("，{} 个未知", m.unknown)
                        } else {
                            format!(", {} unknown", m.unknown)
                        }
                    );
                }
            }
            if let (Some(op), Some(th), None) = (c.op.as_deref(), &c.threshold, &c.members) {
                let _ = write!(
                    line,
                    "{}",
                    if zh {
                        format!("：实际 {actual}，要求{} {th}", op_words(op, lang))
                    } else {
                        format!(": actual {actual}, required {op} {th}")
                    }
                );
            }
            if let (Some(op), Some(th), Some(_)) = (c.op.as_deref(), &c.threshold, &c.members) {
                let _ = write!(
                    line,
                    "{}",
                    if zh {
                        format!("，要求{} {th}", op_words(op, lang))
                    } else {
                        format!(", required {op} {th}")
                    }
                );
            }
        }
    }
    finish(out, u, c, line, lang);
}

/// Ends a condition's line: whether it applies, its clause, and the lines after it (missing
/// inputs, sub-units counted).
fn finish(out: &mut String, u: &UnitOutcome, c: &ConditionOutcome, mut line: String, lang: Lang) {
    let zh = lang == Lang::Zh;
    if c.applies == Some(Verdict::Fail) {
        let _ = write!(
            line,
            "{}",
            if zh {
                "（不适用）"
            } else {
                " (does not apply)"
            }
        );
    }
    if let Some(clause) = &c.clause {
        let _ = write!(line, "〔{clause}〕");
    }
    out.push_str(&line);
    out.push('\n');
    if !c.missing.is_empty() {
        let names: Vec<String> = c.missing.iter().map(|k| input_name(u, k, lang)).collect();
        let _ = writeln!(
            out,
            "      {}{}",
            if zh { "缺少数据：" } else { "missing: " },
            names.join(if zh { "、" } else { ", " })
        );
    }
    if let Some(m) = &c.members {
        for (ids, zh_word, en_word) in [
            (&m.matched_ids, "符合", "matching"),
            (&m.unmatched_ids, "不符合", "not matching"),
            (&m.unknown_ids, "未知", "unknown"),
        ] {
            if ids.is_empty() {
                continue;
            }
            // Records one a line, by their fields; units by their ids, on one line.
            if ids.iter().any(|id| m.records.contains_key(id)) {
                let _ = writeln!(out, "      {}", if zh { zh_word } else { en_word });
                for id in ids {
                    let _ = writeln!(out, "        {}", record_line(m, id, lang));
                }
                continue;
            }
            let _ = writeln!(
                out,
                "      {}",
                if zh {
                    format!("{zh_word}：{}", ids.join("、"))
                } else {
                    format!("{en_word}: {}", ids.join(", "))
                }
            );
        }
    }
}

/// A sub-unit counted by an aggregate: a record by its kind, id and fields, a unit by its id.
fn record_line(m: &crate::outcome::Members, id: &str, lang: Lang) -> String {
    match m.records.get(id) {
        Some(r) => record_text(r, id, lang),
        None => id.to_string(),
    }
}

/// A record by its kind, id and fields: `积分记录 A#3（2026-03-01，+2分，参加志愿服务）`.
fn record_text(r: &crate::outcome::RecordFields, id: &str, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    let fields: Vec<String> = r
        .fields
        .iter()
        .map(|(key, v)| match (v, zh) {
            (Some(v), _) => v.clone(),
            (None, true) => format!("{key}未填"),
            (None, false) => format!("{key} not given"),
        })
        .collect();
    if zh {
        format!("{} {id}（{}）", r.kind, fields.join("，"))
    } else {
        format!("{} {id} ({})", r.kind, fields.join(", "))
    }
}

/// A unit's tier as tables and explanations head it: the tier reached (`—` for none), then the
/// tiers still unknown: `标准型（示范型 未知）`, `—（标准型、示范型 未知）`; `不定级` for a unit
/// assessed but not rated (`rated` is its verdict, for kinds with reasons not to rate).
pub fn tier_text(
    tier: Option<&str>,
    tiers: &indexmap::IndexMap<String, Verdict>,
    rated: Option<Verdict>,
    lang: Lang,
) -> String {
    let mut text = String::new();
    let tiers = tiers.iter().map(|(t, v)| (t.as_str(), *v));
    // Writing to a `String` cannot fail.
    let _ = write_tier_text(&mut text, tier, tiers, rated, lang);
    text
}

/// Writes [`tier_text`] of a tier reached and each tier's verdict (lowest first) to `out`.
pub fn write_tier_text<'t>(
    out: &mut impl std::fmt::Write,
    tier: Option<&str>,
    tiers: impl Iterator<Item = (&'t str, Verdict)> + Clone,
    rated: Option<Verdict>,
    lang: Lang,
) -> std::fmt::Result {
    // Assessed but not rated: no tier, and none unknown.
    if rated == Some(Verdict::Fail) {
        return out.write_str(match lang {
            Lang::Zh => "不定级",
            Lang::En => "not rated",
        });
    }
    out.write_str(tier.unwrap_or("—"))?;
    let mut unknown = tiers
        .filter(|(_, v)| *v == Verdict::Unknown)
        .map(|(t, _)| t);
    let Some(first) = unknown.next() else {
        return Ok(());
    };
    let (open, sep, close) = match lang {
        Lang::Zh => ("（", "、", " 未知）"),
        Lang::En => (" (", ", ", " unknown)"),
    };
    out.write_str(open)?;
    out.write_str(first)?;
    for t in unknown {
        out.write_str(sep)?;
        out.write_str(t)?;
    }
    out.write_str(close)
}

/// Explains one unit's outcome as text: its score, the tier it reached, and for every tier each
/// condition with its value, threshold, verdict and clause.
pub fn explain_text(u: &UnitOutcome, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    let mut out = String::new();
    let name = u
        .name
        .as_deref()
        .map(|n| format!(" {n}"))
        .unwrap_or_default();
    // A record is explained by its fields and its owner; it has no score nor tiers.
    if let Some(r) = &u.record {
        let owner = u.parent.as_deref().unwrap_or("—");
        let _ = writeln!(out, "{}", record_text(r, &u.id, lang));
        let _ = writeln!(
            out,
            "{}",
            if zh {
                format!("所有者 {owner}：记录由所有者的汇总读取，本身没有得分和等级")
            } else {
                format!("owner {owner}: records are read by their owner's aggregates and have no score or tier of their own")
            }
        );
        return out;
    }
    let _ = writeln!(out, "{} {}{}", u.kind, u.id, name);
    let score_word = if zh { "得分" } else { "score" };
    match (&u.score_total, &u.score) {
        (Some(total), score) => {
            let score = score.clone().unwrap_or_else(|| {
                if zh {
                    "未知".into()
                } else {
                    "unknown".into()
                }
            });
            let _ = writeln!(out, "{score_word} {score} / {total}");
        }
        // A score by a formula has no declared total.
        (None, Some(score)) => {
            let _ = writeln!(out, "{score_word} {score}");
        }
        (None, None) if u.formula => {
            let _ = writeln!(out, "{score_word} {}", if zh { "未知" } else { "unknown" });
        }
        (None, None) => {}
    }
    let reached = tier_text(u.tier.as_deref(), &u.tiers, u.rated, lang);
    let _ = writeln!(out, "{} {reached}", if zh { "等级" } else { "tier" });
    for (tier, verdict) in &u.tiers {
        let colon = if zh { "：" } else { ": " };
        let _ = writeln!(
            out,
            "\n{} {tier}{colon}{}",
            mark(*verdict),
            verdict.word(lang)
        );
        if let Some(conds) = u.conditions.get(tier) {
            for c in conds {
                condition_line(&mut out, u, c, lang);
            }
        }
    }
    let colon = if zh { "：" } else { ": " };
    for g in &u.requirements {
        let title = if zh { "要求" } else { "requirements" };
        let _ = writeln!(
            out,
            "\n{} {title} {}{colon}{}",
            mark(g.verdict),
            g.name,
            g.verdict.word(lang)
        );
        // A group that is met is one line; otherwise each of its requirements not met.
        for c in g
            .requirements
            .iter()
            .filter(|c| g.verdict != Verdict::Pass && c.verdict != Verdict::Pass)
        {
            condition_line(&mut out, u, c, lang);
        }
    }
    for c in &u.consequences {
        let title = if zh { "兑现" } else { "consequence" };
        let clause = c
            .clause
            .as_ref()
            .map(|x| format!("〔{x}〕"))
            .unwrap_or_default();
        let detail = match &c.amount {
            Some(a) => {
                let split: Vec<String> = c
                    .split
                    .iter()
                    .map(|(who, part)| format!("{who} {}", part.clone().unwrap_or_default()))
                    .collect();
                if split.is_empty() {
                    a.clone()
                } else if zh {
                    format!("{a}（{}）", split.join("，"))
                } else {
                    format!("{a} ({})", split.join(", "))
                }
            }
            None => c.applies.word(lang).to_string(),
        };
        let _ = writeln!(
            out,
            "\n{} {title} {}{colon}{detail}{clause}",
            mark(c.applies),
            c.name
        );
    }
    if !u.missing.is_empty() {
        let names: Vec<String> = u.missing.iter().map(|k| input_name(u, k, lang)).collect();
        let _ = writeln!(
            out,
            "\n{}{}",
            if zh { "未填报：" } else { "not reported: " },
            names.join(if zh { "、" } else { ", " })
        );
    }
    out
}
