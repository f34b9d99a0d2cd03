//! How explanations word the conditions rating rules put on tiers: a reason not to rate, a cap
//! on the tier, and a limit on how many units reach it or a floor below it (with the numbers
//! behind them).

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
            let word = word(c.actual.as_deref(), zh);
            if zh {
                format!("（不定级：{word}）")
            } else {
                format!(" (not rated: {word})")
            }
        }
        "cap" => {
            // What the cap read: `上年星级 四星，市级表彰 否`.
            let reads = c
                .reads
                .iter()
                .map(|(key, v)| {
                    let v = word(v.as_deref(), zh);
                    if zh {
                        format!("{key} {v}")
                    } else {
                        format!("{key} = {v}")
                    }
                })
                .collect::<Vec<_>>()
                .join(if zh { "，" } else { ", " });
            // The rule as written, then what it read (when it read anything).
            let rule = match (reads.is_empty(), zh) {
                (true, _) => c.expr.clone(),
                (false, true) => format!("{}；{reads}", c.expr),
                (false, false) => format!("{}; {reads}", c.expr),
            };
            match (c.threshold.as_deref(), c.applies, zh) {
                // A cap that does not apply limits nothing: when its level is unknown too (last
                // year's star not given), `至多 未知` would read as a limit still in doubt, so only
                // the rule and what it read are shown before `（不适用）`.
                (None, Some(Verdict::Fail), _) if reads.is_empty() => {
                    format!("{}{}", if zh { "：" } else { ": " }, c.expr)
                }
                (None, Some(Verdict::Fail), true) => format!("：{}（{reads}）", c.expr),
                (None, Some(Verdict::Fail), false) => format!(": {} ({reads})", c.expr),
                (most, _, true) => format!("：至多 {}（{rule}）", most.unwrap_or(unknown)),
                (most, _, false) => format!(": at most {} ({rule})", most.unwrap_or(unknown)),
            }
        }
        "limit" | "floor" => numbers(c, zh)?,
        _ => return None,
    })
}

/// What follows a limit's or a floor's title: the unit's place and the numbers behind the places
/// (a floor's counted from the last, among the units above its level).
fn numbers(c: &ConditionOutcome, zh: bool) -> Option<String> {
    let d = c.limit.as_ref()?;
    let unknown = if zh { "未知" } else { "unknown" };
    let or = |x: &Option<String>| x.clone().unwrap_or_else(|| unknown.to_string());
    let (value, places, peers) = (or(&d.value), or(&d.places), or(&d.peers));
    // A place left open by peers' missing data: the places it can still take, and whose data
    // decides it.
    let rank = match (&d.rank, &d.rank_range) {
        (None, Some(b)) if b.least != b.most => match zh {
            true => format!("{} 至 {}", b.least, b.most),
            false => format!("{} to {}", b.least, b.most),
        },
        (None, Some(b)) => b.least.clone(),
        (rank, _) => or(rank),
    };
    let open = match (d.open.is_empty(), zh) {
        (true, _) => String::new(),
        (false, true) => format!("（取决于 {} 缺失的数据）", d.open.join("、")),
        (false, false) => format!("; depends on the missing data of {}", d.open.join(", ")),
    };
    let product = or(&d.product);
    let rounding = match (&*d.rounding, zh) {
        ("up", true) => "向上取整",
        ("nearest", true) => "四舍五入",
        (_, true) => "向下取整",
        ("up", false) => "rounded up",
        ("nearest", false) => "rounded to the nearest",
        (_, false) => "rounded down",
    };
    let (share, by) = (&d.share, &c.expr);
    Some(match (&d.floor, zh) {
        (None, true) => {
            let cutoff = d.cutoff.as_ref().map(|x| format!("，第 {places} 名 {x}"));
            format!(
                "：按 {by} {value} 排第 {rank} 名{open}，名额 {places} 名（{share} × {peers} = {product}，{rounding}）{}",
                cutoff.unwrap_or_default()
            )
        }
        (None, false) => {
            let cutoff = d
                .cutoff
                .as_ref()
                .map(|x| format!("; place {places} has {x}"));
            format!(
                ": place {rank} by {by} ({value}{open}), {places} places ({share} × {peers} = {product}, {rounding}){}",
                cutoff.unwrap_or_default()
            )
        }
        (Some(f), true) => {
            let (level, moved, below) = (&f.level, or(&f.moved), or(&f.below));
            let cutoff = d
                .cutoff
                .as_ref()
                .map(|x| format!("，倒数第 {moved} 名 {x}"));
            format!(
                "：高于 {level} 的单位中按 {by} {value} 排倒数第 {rank} 名{open}，降 {moved} 名（{level} 及以下至少 {places} 名：{share} × {peers} = {product}，{rounding}；已有 {below} 名）{}",
                cutoff.unwrap_or_default()
            )
        }
        (Some(f), false) => {
            let (level, moved, below) = (&f.level, or(&f.moved), or(&f.below));
            let cutoff = d
                .cutoff
                .as_ref()
                .map(|x| format!("; place {moved} from the last has {x}"));
            format!(
                ": place {rank} from the last by {by} above {level} ({value}{open}), {moved} put down (at least {places} at {level} or below: {share} × {peers} = {product}, {rounding}; {below} there already){}",
                cutoff.unwrap_or_default()
            )
        }
    })
}

/// A value as explanations word it: yes/no in the reader's language, other values as they are,
/// an unreported one 未知 (unknown).
fn word(v: Option<&str>, zh: bool) -> &str {
    match (v, zh) {
        (Some("true"), true) => "是",
        (Some("false"), true) => "否",
        (Some("true"), false) => "yes",
        (Some("false"), false) => "no",
        (Some(x), _) => x,
        (None, true) => "未知",
        (None, false) => "unknown",
    }
}
