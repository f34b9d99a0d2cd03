//! A guide's numbers as the `eval` table's section after its rows says them, one line per group
//! of peers: `指导比例 支部 五星 约 10%：参评 20 个，约 2 个；实际 3 个（15%），差 +1 个`.

use super::{GuideGroup, GuideReport};
use crate::outcome::Bounds;
use duibiao_compiler::Lang;

/// The lines of guide `r` (one per group of peers, each ending with a line break), in `lang`.
pub fn guide_text(r: &GuideReport, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    let below = match (r.or_below, zh) {
        (false, _) => "",
        (true, true) => " 及以下",
        (true, false) => " or_below",
    };
    let head = if zh {
        format!("指导比例 {} {}{below} 约 {}", r.kind, r.tier, r.share)
    } else {
        format!("guide {} {}{below} about {}", r.kind, r.tier, r.share)
    };
    if r.groups.is_empty() {
        return if zh {
            format!("{head}：没有 {}\n", r.kind)
        } else {
            format!("{head}: no {}\n", r.kind)
        };
    }
    let mut out = String::new();
    for g in &r.groups {
        let within = match (&g.within, r.among == "all") {
            (_, true) => String::new(),
            (Some(id), false) => {
                let name = g.within_name.as_deref().unwrap_or(id);
                if zh {
                    format!("（{name}）")
                } else {
                    format!(" ({name})")
                }
            }
            (None, false) => (if zh { "（—）" } else { " (—)" }).to_string(),
        };
        out.push_str(&head);
        out.push_str(&within);
        out.push_str(&numbers(g, lang));
        out.push('\n');
    }
    out
}

/// `：参评 20 个，约 2 个；实际 3 个（15%），差 +1 个`, or in English.
fn numbers(g: &GuideGroup, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    let to = if zh { " 至 " } else { " to " };
    let range = |least: usize, more: usize| {
        if more == 0 {
            least.to_string()
        } else {
            format!("{least}{to}{}", least + more)
        }
    };
    let either = |v: &Option<String>, b: &Option<Bounds>, f: fn(&str) -> String| match (v, b) {
        (Some(v), _) => f(v),
        (None, Some(b)) => format!("{}{to}{}", f(&b.least), f(&b.most)),
        (None, None) => String::new(),
    };
    let plain = |s: &str| s.to_string();
    let peers = range(g.peers, g.peers_unknown);
    let expected = either(&g.expected, &g.expected_bounds, plain);
    let actual = range(g.actual, g.actual_unknown);
    let share = either(&g.actual_share, &g.actual_share_bounds, plain);
    let difference = either(&g.difference, &g.difference_bounds, signed);
    match (zh, share.is_empty()) {
        (true, false) => format!(
            "：参评 {peers} 个，约 {expected} 个；实际 {actual} 个（{share}），差 {difference} 个"
        ),
        (true, true) => {
            format!("：参评 {peers} 个，约 {expected} 个；实际 {actual} 个，差 {difference} 个")
        }
        (false, false) => format!(
            ": {peers} rated, about {expected}; actual {actual} ({share}), difference {difference}"
        ),
        (false, true) => {
            format!(": {peers} rated, about {expected}; actual {actual}, difference {difference}")
        }
    }
}

/// A difference with its sign: `+1`, `-0.5`, `0`.
fn signed(d: &str) -> String {
    if d.starts_with('-') || d == "0" {
        d.to_string()
    } else {
        format!("+{d}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn group(peers: (usize, usize), actual: (usize, usize)) -> GuideGroup {
        GuideGroup {
            within: Some("Z".into()),
            within_name: Some("城关镇".into()),
            peers: peers.0,
            peers_unknown: peers.1,
            expected: Some("2".into()),
            expected_bounds: None,
            actual: actual.0,
            actual_unknown: actual.1,
            actual_share: Some("15%".into()),
            actual_share_bounds: None,
            difference: Some("1".into()),
            difference_bounds: None,
        }
    }

    fn report(among: &str, groups: Vec<GuideGroup>) -> GuideReport {
        GuideReport {
            kind: "支部".into(),
            tier: "五星".into(),
            or_below: false,
            share: "10%".into(),
            among: among.into(),
            text: None,
            clause: None,
            groups,
        }
    }

    #[test]
    fn lines_say_the_numbers() {
        let r = report("all", vec![group((20, 0), (3, 0))]);
        assert_eq!(
            guide_text(&r, Lang::Zh),
            "指导比例 支部 五星 约 10%：参评 20 个，约 2 个；实际 3 个（15%），差 +1 个\n"
        );
        assert_eq!(
            guide_text(&r, Lang::En),
            "guide 支部 五星 about 10%: 20 rated, about 2; actual 3 (15%), difference +1\n"
        );
    }

    #[test]
    fn groups_ranges_and_or_below() {
        let mut g = group((4, 0), (1, 2));
        g.actual_share = None;
        g.actual_share_bounds = Some(Bounds {
            least: "25%".into(),
            most: "75%".into(),
        });
        g.difference = None;
        g.difference_bounds = Some(Bounds {
            least: "-0.2".into(),
            most: "1.8".into(),
        });
        let mut r = report("镇", vec![g]);
        r.or_below = true;
        assert_eq!(
            guide_text(&r, Lang::Zh),
            "指导比例 支部 五星 及以下 约 10%（城关镇）：参评 4 个，约 2 个；实际 1 至 3 个（25% 至 75%），差 -0.2 至 +1.8 个\n"
        );
        assert_eq!(
            guide_text(&report("all", Vec::new()), Lang::En),
            "guide 支部 五星 about 10%: no 支部\n"
        );
    }
}
