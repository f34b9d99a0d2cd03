//! The impact of a revision (`duibiao impact`): the rules that changed, clause by clause, and
//! the units whose outcome changes — checked against the two versions evaluated apart.

use duibiao::impact::{impact, rule_changes, RuleChange};
use duibiao::{Options, Standard};
use duibiao_tests::read;
use std::collections::BTreeMap;

const FILE: &str = "standards/haiyan-2021.std";
const DEMO: &str = "standards/haiyan-2021/demo.json";

/// The haiyan standard revised by `edit` (a function of its text).
fn revised(edit: impl Fn(&str) -> String) -> Standard {
    let text = edit(&read(FILE));
    Standard::compile("revised.std", &text)
        .unwrap_or_else(|e| panic!("{}", e.render(duibiao::Lang::En)))
}

/// Each unit's tier under `std` on the demo.
fn tiers(std: &Standard) -> BTreeMap<String, Option<String>> {
    let (facts, _) = std.load_facts(&read(DEMO));
    let outcome = std.evaluate(&facts, &Options::new()).unwrap();
    outcome.units.into_iter().map(|u| (u.id, u.tier)).collect()
}

fn places(changes: &[RuleChange]) -> Vec<(String, String)> {
    changes
        .iter()
        .map(|c| match c {
            RuleChange::Added { rule } => ("added".into(), rule.place.clone()),
            RuleChange::Removed { rule } => ("removed".into(), rule.place.clone()),
            RuleChange::Changed { after, .. } => ("changed".into(), after.place.clone()),
            other => panic!("{other:?}"),
        })
        .collect()
}

#[test]
fn raising_the_75_line_of_a_xiaoqu_lists_exactly_the_units_whose_tier_changes() {
    let old = duibiao_tests::standard("haiyan-2021");
    // The 小区's 标准型 line: the third `score >= 75` of the file.
    let new = revised(|t| {
        let at = t.match_indices("score >= 75").nth(2).unwrap().0;
        format!("{}score >= 80{}", &t[..at], &t[at + "score >= 75".len()..])
    });
    let (i, problems) = impact(&old, &new, (None, &read(DEMO)), &Options::new()).unwrap();
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(
        places(&i.rules),
        [("changed".into(), "小区 · 等级 标准型 · 得分75以上".into())]
    );
    let RuleChange::Changed { before, after } = &i.rules[0] else {
        unreachable!()
    };
    assert!(before.text.contains("score >= 75") && after.text.contains("score >= 80"));
    assert_eq!(
        before.clause.as_deref(),
        Some("三、建设要求 小区层面做优服务创建特色")
    );

    // Exactly the units whose tier differs when the two versions are evaluated apart.
    let (a, b) = (tiers(&old), tiers(&new));
    let moved: Vec<&String> = a.keys().filter(|id| a[*id] != b[*id]).collect();
    let listed: Vec<&String> = i
        .units
        .changed
        .iter()
        .filter(|u| u.tier.is_some())
        .map(|u| &u.id)
        .collect();
    assert!(!moved.is_empty());
    assert_eq!(listed, moved);
    // And why: each 小区 that moved shows the condition that flipped.
    for u in i.units.changed.iter().filter(|u| u.kind == "小区") {
        assert!(u.conditions.contains_key("标准型 / 得分75以上"), "{u:?}");
    }
}

#[test]
fn an_unrevised_standard_changes_nothing() {
    let old = duibiao_tests::standard("haiyan-2021");
    // Laid out differently, with a comment more: the same rules.
    let same = revised(|t| t.replace("\n\n", "\n\n# 修订稿\n\n"));
    let (i, _) = impact(&old, &same, (None, &read(DEMO)), &Options::new()).unwrap();
    assert!(i.rules.is_empty(), "{:?}", i.rules);
    assert!(i.units.changed.is_empty() && i.units.targets.is_empty());
}

#[test]
fn a_veto_that_now_blocks_another_tier_and_a_condition_added_and_removed() {
    let old = duibiao_tests::standard("haiyan-2021");
    let new = revised(|t| {
        t.replace("一票否决 blocks 示范型", "一票否决 blocks 标准型, 示范型")
            // The first 标准型 tier written with its 75 line last gains a condition.
            .replacen(
                "    得分75以上: score >= 75 \"得分75分以上\"\n  }",
                "    得分75以上: score >= 75 \"得分75分以上\"\n    得分不低于60: score >= 60\n  }",
                1,
            )
    });
    let changes = rule_changes(&old, &new);
    let got = places(&changes);
    let veto = "一票否决 一票否决事项";
    assert!(
        got.contains(&("changed".into(), format!("小区 · {veto}"))),
        "{got:?}"
    );
    assert!(
        got.contains(&("added".into(), "小区 · 等级 标准型 · 一票否决事项".into())),
        "{got:?}"
    );
    assert!(
        got.iter()
            .any(|(c, p)| c == "added" && p.ends_with("· 等级 标准型 · 得分不低于60")),
        "{got:?}"
    );
    // Reverse the revision: what was added is removed.
    let back = places(&rule_changes(&new, &old));
    assert!(
        back.contains(&("removed".into(), "小区 · 等级 标准型 · 一票否决事项".into())),
        "{back:?}"
    );
}

#[test]
fn facts_of_the_version_in_force_are_not_a_problem_for_a_renamed_revision() {
    let old = duibiao_tests::standard("haiyan-2021");
    let new = revised(|t| t.replacen("standard haiyan-2021", "standard haiyan-2022", 1));
    assert_eq!(new.slug(), "haiyan-2022");
    let (i, problems) = impact(&old, &new, (None, &read(DEMO)), &Options::new()).unwrap();
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(
        (i.before.standard.as_str(), i.after.standard.as_str()),
        ("haiyan-2021", "haiyan-2022")
    );
    // Under the revision alone the same facts say they are another standard's.
    let (_, alone) = new.load_facts(&read(DEMO));
    assert_eq!(
        alone.iter().map(|p| p.code.as_str()).collect::<Vec<_>>(),
        ["F0003"]
    );
}
