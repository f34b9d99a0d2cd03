//! How explanations word the conditions rating rules put on tiers: a reason not to rate, a cap
//! on the tier, and a limit on how many units reach it (with the numbers behind it).

use crate::outcome::{ConditionOutcome, Verdict};
use duibiao_compiler::Lang;

/// What follows a rating condition's title (`（不定级：否）`, `：至多 四星（上年星级 + 1）`, `：按
/// score 94.6分 排第 2 名，名额 1 名（30% × 6 = 1.8，向下取整），第 1 名 95分`); `None` for other
/// conditions.
pub fn suffix(c: &ConditionOutcome, lang: Lang) -> Option<String> {
    let zh = lang == Lang::Zh;
    let unknown = if zh { "未知" } else { "unknown" };
    Some(match &*c.kind {
        "unrated" => {
            let word = match (c.actual.as_deref(), zh) {
                (Some("true"), true) => "是",
                (Some("false"), true) => "否",
                (Some("true"), false) => "yes",
                (Some("false"), false) => "no",
                (_, true) => "未知",
                (_, false) => "unknown",
            };
            if zh {
                format!("（不定级：{word}）")
            } else {
                format!(" (not rated: {word})")
            }
        }
        // A cap that does not apply limits nothing: when its level is unknown too (last year's
        // star not given), `至多 未知` would read as a limit still in doubt, so only the rule is
        // shown before `（不适用）`.
        "cap" if c.threshold.is_none() && c.applies == Some(Verdict::Fail) => {
            if zh {
                format!("：{}", c.expr)
            } else {
                format!(": {}", c.expr)
            }
        }
        "cap" => {
            let most = c.threshold.as_deref().unwrap_or(unknown);
            if zh {
                format!("：至多 {most}（{}）", c.expr)
            } else {
                format!(": at most {most} ({})", c.expr)
            }
        }
        "limit" => {
            let d = c.limit.as_ref()?;
            let or = |x: &Option<String>| x.clone().unwrap_or_else(|| unknown.to_string());
            let (value, rank, places, peers) =
                (or(&d.value), or(&d.rank), or(&d.places), or(&d.peers));
            let product = or(&d.product);
            let rounding = match (&*d.rounding, zh) {
                ("up", true) => "向上取整",
                ("nearest", true) => "四舍五入",
                (_, true) => "向下取整",
                ("up", false) => "rounded up",
                ("nearest", false) => "rounded to the nearest",
                (_, false) => "rounded down",
            };
            let share = &d.share;
            if zh {
                let cutoff = d
                    .cutoff
                    .as_ref()
                    .map(|x| format!("，第 {places} 名 {x}"))
                    .unwrap_or_default();
                format!(
                    "：按 {} {value} 排第 {rank} 名，名额 {places} 名（{share} × {peers} = {product}，{rounding}）{cutoff}",
                    c.expr
                )
            } else {
                let cutoff = d
                    .cutoff
                    .as_ref()
                    .map(|x| format!("; place {places} has {x}"))
                    .unwrap_or_default();
                format!(
                    ": place {rank} by {} ({value}), {places} places ({share} × {peers} = {product}, {rounding}){cutoff}",
                    c.expr
                )
            }
        }
        _ => return None,
    })
}
