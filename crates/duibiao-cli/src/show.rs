//! What the command line prints as text: the `eval` table, the progress table, gap plans and
//! differences, in Chinese or English.

use crate::io::{write_failed, Failed};
use duibiao::{Lang, Verdict};
use std::io::Write as _;

/// The buffer of standard output for large outputs (the `eval` table and JSON).
pub(crate) const OUT_BUFFER: usize = 1 << 20;

/// Writes the `eval` table to standard output, streamed a block of rows at a time.
pub(crate) fn stream_table(live: &duibiao::Live, lang: Lang) -> Result<(), Failed> {
    let mut out = std::io::BufWriter::with_capacity(OUT_BUFFER, std::io::stdout().lock());
    duibiao::table::write_table(&mut out, live, lang)
        .and_then(|_| out.flush())
        .map_err(write_failed)
}

pub(crate) fn progress_table(p: &duibiao::protocol::ProgressBody, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    let mut out = String::new();
    let word = |v: Verdict| match (v, zh) {
        (Verdict::Pass, true) => "达成",
        (Verdict::Fail, true) => "未达成",
        (Verdict::Unknown, true) => "未知",
        (Verdict::Pass, false) => "met",
        (Verdict::Fail, false) => "missed",
        (Verdict::Unknown, false) => "unknown",
    };
    out.push_str(&if zh {
        format!("截至 {} 应完成的目标\n", p.as_of)
    } else {
        format!("targets due by {}\n", p.as_of)
    });
    for t in &p.targets {
        let soft = match (t.soft, zh) {
            (true, true) => "（力争，不计入硬性目标）",
            (true, false) => " (soft: never counted as missed)",
            _ => "",
        };
        let clause = t
            .clause
            .as_ref()
            .map(|c| format!("〔{c}〕"))
            .unwrap_or_default();
        out.push_str(&format!(
            "\n{} {}{soft}：{}{clause}\n",
            t.due,
            t.name,
            word(t.status)
        ));
        if let Some(text) = &t.text {
            out.push_str(&format!("  {text}\n"));
        }
        for r in &t.rows {
            let who = match (&r.unit, &r.name) {
                (Some(id), Some(n)) => format!("{id} {n}"),
                (Some(id), None) => id.clone(),
                _ => (if zh { "全域" } else { "overall" }).to_string(),
            };
            let numbers = match (&r.actual, r.op.as_deref(), &r.required) {
                (Some(a), Some(op), Some(req)) => {
                    if zh {
                        format!("  实际 {a}，要求{} {req}", duibiao::op_words(op, lang))
                    } else {
                        format!("  actual {a}, required {op} {req}")
                    }
                }
                // The value is unknown (some data is missing); the verdict may be decided all
                // the same (too few can still pass, or enough already have).
                (None, Some(op), Some(req)) => match (r.verdict, zh) {
                    (Verdict::Unknown, true) => {
                        format!("  实际 未知，要求{} {req}", duibiao::op_words(op, lang))
                    }
                    (Verdict::Unknown, false) => format!("  actual unknown, required {op} {req}"),
                    (_, true) => format!(
                        "  要求{} {req}；部分数据未知，但不论其值如何，结果已经确定",
                        duibiao::op_words(op, lang)
                    ),
                    (_, false) => format!(
                        "  required {op} {req}; some data is unknown, but whatever it is, the result is decided"
                    ),
                },
                _ => String::new(),
            };
            out.push_str(&format!("  {} {who}{numbers}\n", word(r.verdict)));
        }
    }
    let hard_due = p.targets.iter().any(|t| !t.soft);
    out.push_str(&format!(
        "\n{}\n",
        match (hard_due, p.all_hard_met, zh) {
            (false, _, true) => "截至该日没有到期的硬性目标",
            (false, _, false) => "no hard target is due by then",
            (true, true, true) => "全部硬性目标已达成",
            (true, false, true) => "有硬性目标未达成或未知",
            (true, true, false) => "every hard target is met",
            (true, false, false) => "some hard targets are missed or unknown",
        }
    ));
    out
}

fn verdict_word(v: Verdict, lang: Lang) -> &'static str {
    duibiao::verdict_word(v, lang)
}

pub(crate) fn gap_text(r: &duibiao::GapReport, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    let none = if zh { "无" } else { "none" };
    let mut out = if zh {
        format!(
            "{} {}：当前等级 {}，目标 {}\n",
            r.kind,
            r.unit,
            r.current.as_deref().unwrap_or("—"),
            r.target
        )
    } else {
        format!(
            "{} {}: tier {}, target {}\n",
            r.kind,
            r.unit,
            r.current.as_deref().unwrap_or("—"),
            r.target
        )
    };
    out.push_str(if zh { "\n问题清单\n" } else { "\nissues\n" });
    if r.issues.is_empty() {
        out.push_str(&format!("  {none}\n"));
    }
    for i in &r.issues {
        let c = &i.condition;
        let what = c
            .text
            .clone()
            .or_else(|| c.label.clone())
            .unwrap_or_else(|| c.expr.clone());
        let numbers = duibiao::rating_words(c, lang).unwrap_or_else(|| {
            match (&c.actual, c.op.as_deref(), &c.threshold) {
                (a, Some(op), Some(t)) => {
                    let a = a
                        .clone()
                        .unwrap_or_else(|| verdict_word(Verdict::Unknown, lang).to_string());
                    if zh {
                        format!("：实际 {a}，要求{} {t}", duibiao::op_words(op, lang))
                    } else {
                        format!(": actual {a}, required {op} {t}")
                    }
                }
                _ => String::new(),
            }
        });
        let clause = c
            .clause
            .as_ref()
            .map(|x| format!("〔{x}〕"))
            .unwrap_or_default();
        out.push_str(&format!(
            "  {} [{}] {what}{numbers}{clause}\n",
            verdict_word(c.verdict, lang),
            i.tier
        ));
    }
    out.push_str(if zh {
        "\n提升清单\n"
    } else {
        "\nchanges\n"
    });
    if r.changes.is_empty() {
        out.push_str(&format!("  {none}\n"));
    }
    for c in &r.changes {
        let what = c.text.as_deref().unwrap_or_default();
        let clause = c
            .clause
            .as_ref()
            .map(|x| format!("〔{x}〕"))
            .unwrap_or_default();
        out.push_str(
            format!(
                "  --set {}.{}={}    ({} → {})  {what}{clause}",
                c.unit, c.key, c.to, c.from, c.to
            )
            .trim_end(),
        );
        out.push('\n');
    }
    if r.reachable {
        out.push_str(if zh {
            "\n可以达到目标\n"
        } else {
            "\nthe target is reachable\n"
        });
    } else {
        out.push_str(if zh {
            "\n无法达到目标：\n"
        } else {
            "\nthe target cannot be reached:\n"
        });
        for reason in &r.reasons {
            out.push_str(&format!("  {}\n", if zh { &reason.zh } else { &reason.en }));
        }
    }
    out
}

pub(crate) fn diff_text(d: &duibiao::Diff, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    let mut out = String::new();
    let unknown = verdict_word(Verdict::Unknown, lang);
    let show = |v: &Option<String>| v.clone().unwrap_or_else(|| unknown.into());
    let line = |sign: char, kind: &str, id: &str, name: &Option<String>| {
        let name = name.as_deref().map(|n| format!(" {n}")).unwrap_or_default();
        format!("{sign} {kind} {id}{name}\n")
    };
    for u in &d.added {
        out.push_str(&line('+', &u.kind, &u.id, &u.name));
    }
    for u in &d.removed {
        out.push_str(&line('-', &u.kind, &u.id, &u.name));
    }
    for u in &d.changed {
        out.push_str(&line('~', &u.kind, &u.id, &u.name));
        if let Some((a, b)) = &u.score {
            out.push_str(&format!(
                "    {} {} → {}\n",
                if zh { "得分" } else { "score" },
                show(a),
                show(b)
            ));
        }
        if let Some((a, b)) = &u.tier {
            // No tier reached: unknown when a tier's verdict on that side is, else none.
            let side = |t: &Option<String>, before: bool| match t {
                Some(t) => t.clone(),
                None if u
                    .tiers
                    .values()
                    .any(|&(x, y)| (if before { x } else { y }) == Verdict::Unknown) =>
                {
                    unknown.to_string()
                }
                None => (if zh { "无" } else { "none" }).to_string(),
            };
            out.push_str(&format!(
                "    {} {} → {}\n",
                if zh { "等级" } else { "tier" },
                side(a, true),
                side(b, false)
            ));
        }
        for (c, (a, b)) in &u.conditions {
            out.push_str(&format!(
                "    {c}: {} → {}\n",
                verdict_word(*a, lang),
                verdict_word(*b, lang)
            ));
        }
    }
    for t in &d.targets {
        let w = |v: Option<Verdict>| match (v, zh) {
            (None, _) => "—",
            (Some(Verdict::Pass), true) => "达成",
            (Some(Verdict::Fail), true) => "未达成",
            (Some(v), _) => verdict_word(v, lang),
        };
        out.push_str(&format!(
            "  {} {}: {} → {}\n",
            t.due,
            t.name,
            w(t.before),
            w(t.after)
        ));
    }
    if out.is_empty() {
        out.push_str(if zh { "没有变化\n" } else { "no changes\n" });
    }
    out
}

/// The text of `impact`: the rules that changed, clause by clause, then the units whose
/// outcome changes (as `diff` shows them).
pub(crate) fn impact_text(i: &duibiao::impact::Impact, lang: Lang) -> String {
    use duibiao::impact::{Rule, RuleChange};
    let zh = lang == Lang::Zh;
    let (old, new) = if zh {
        ("原", "新")
    } else {
        ("before", "after")
    };
    let head = |sign: char, r: &Rule| {
        let clause = r
            .clause
            .as_deref()
            .map(|c| format!("〔{c}〕"))
            .unwrap_or_default();
        format!("{sign} {}{clause}\n", r.place)
    };
    let mut out = if i.rules.is_empty() {
        String::from(if zh {
            "规则没有变化\n"
        } else {
            "no rule changed\n"
        })
    } else if zh {
        format!("规则变化（{} 条）：\n", i.rules.len())
    } else {
        format!("rule changes ({}):\n", i.rules.len())
    };
    for c in &i.rules {
        match c {
            RuleChange::Added { rule } => {
                out.push_str(&head('+', rule));
                out.push_str(&format!("    {new}：{}\n", rule.text));
            }
            RuleChange::Removed { rule } => {
                out.push_str(&head('-', rule));
                out.push_str(&format!("    {old}：{}\n", rule.text));
            }
            RuleChange::Changed { before, after } => {
                out.push_str(&head('~', after));
                out.push_str(&format!(
                    "    {old}：{}\n    {new}：{}\n",
                    before.text, after.text
                ));
            }
            _ => {}
        }
    }
    let d = &i.units;
    out.push('\n');
    if d.changed.is_empty() && d.added.is_empty() && d.removed.is_empty() && d.targets.is_empty() {
        out.push_str(if zh {
            "没有单位的结果变化\n"
        } else {
            "no unit's outcome changes\n"
        });
    } else {
        out.push_str(&if zh {
            format!("结果变化的单位（{} 个）：\n", d.changed.len())
        } else {
            format!("units whose outcome changes ({}):\n", d.changed.len())
        });
        out.push_str(&diff_text(d, lang));
    }
    out
}
