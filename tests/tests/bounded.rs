//! A result is unknown only when the answer depends on the missing value (docs/language.md §24),
//! for sums and formulas too: two cases from the standards, where a missing part's points or a
//! missing truth value cannot change the verdict.

use duibiao::{Options, Standard, Verdict};
use serde_json::{json, Value};

fn evaluate(s: &Standard, facts: &Value) -> duibiao::Outcome {
    let (loaded, errors) = s.load_facts(&facts.to_string());
    assert!(errors.is_empty(), "{errors:?}");
    s.evaluate(&loaded, &Options::new())
        .unwrap_or_else(|e| panic!("{e:?}"))
}

/// haiyan-2021: a 小区 with 50 points known and item 14 (20 points) not scored has at most 70
/// points, so it cannot reach 标准型 (75) nor 示范型; its 社区, which needs every 小区 at 标准型,
/// cannot either. With 60 points known it may still reach 75 (but not 90): 标准型 stays open.
#[test]
fn a_score_with_a_missing_part_is_decided_when_its_points_cannot_reach() {
    let s = duibiao_tests::standard("haiyan-2021");
    let xq = |id: &str, known: u32| {
        json!({"id": id, "kind": "小区", "parent": "SQ", "facts": {"一票否决": false}, "scores": {
            "11.1": 10, "11.2": 10, "12.1": 10, "12.2": 10, "13.1": 5, "13.2": 5,
            "13.3": known - 50, "15.1": 0, "15.2": 0}})
    };
    let facts = json!({"units": [
        {"id": "SQ", "kind": "社区"},
        xq("XQ50", 50),
        xq("XQ60", 60),
    ]});
    let o = evaluate(&s, &facts);
    let unit = |id: &str| o.units.iter().find(|u| u.id == id).unwrap();
    let low = unit("XQ50");
    assert_eq!(low.score, None);
    assert_eq!(low.tiers["标准型"], Verdict::Fail);
    assert_eq!(low.tiers["示范型"], Verdict::Fail);
    assert_eq!(low.missing, ["14"]);
    let higher = unit("XQ60");
    assert_eq!(higher.tiers["标准型"], Verdict::Unknown);
    assert_eq!(higher.tiers["示范型"], Verdict::Fail);
    assert_eq!(unit("SQ").tiers["标准型"], Verdict::Fail);

    // The explanation says what decided it, and still which input is not reported.
    let (loaded, _) = s.load_facts(&facts.to_string());
    let explain = |id: &str, lang: duibiao::Lang| {
        let e = s.explain(&loaded, id, &Options::new()).unwrap();
        duibiao::explain_text(&e.unit, lang)
    };
    let text = explain("XQ50", duibiao::Lang::Zh);
    assert!(text.contains("实际 至多 70分，要求不少于 75分"), "{text}");
    assert!(text.contains("未填报：评分 14"), "{text}");
    let text = explain("XQ60", duibiao::Lang::En);
    assert!(text.contains("actual unknown, required >= 75分"), "{text}");
    assert!(
        text.contains("actual at most 80分, required >= 90分"),
        "{text}"
    );
}

/// zhuji-2018: the centre's required area is the greatest of 35 m² per hundred households, 350
/// m², and 900 m² for a new community. When 新建社区 is not reported, it is still known when the
/// households alone call for more than 900 m²; otherwise it lies between the other two and 900
/// m², which decides the requirement for a centre of 1000 m² (met) or 300 m² (not met), but not
/// for one of 500 m².
#[test]
fn a_formula_on_a_missing_truth_value_is_known_when_both_values_agree() {
    let s = duibiao_tests::standard("zhuji-2018");
    let run = |households: u32, area: u32| {
        let facts = json!({"units": [{"id": "SQ", "kind": "社区",
            "facts": {"户数": households, "党群服务中心面积": area}}]});
        let o = evaluate(&s, &facts);
        let sq = &o.units[0];
        let met = sq
            .requirements
            .iter()
            .flat_map(|g| &g.requirements)
            .find(|r| r.label.as_deref() == Some("中心面积达标"))
            .map(|r| r.verdict);
        (sq.derived["中心应建面积"].clone(), met)
    };
    assert_eq!(
        run(3000, 1000),
        (Some("1050平方米".into()), Some(Verdict::Fail))
    );
    assert_eq!(
        run(3000, 1100),
        (Some("1050平方米".into()), Some(Verdict::Pass))
    );
    assert_eq!(run(1000, 1000), (None, Some(Verdict::Pass)));
    assert_eq!(run(1000, 300), (None, Some(Verdict::Fail)));
    assert_eq!(run(1000, 500), (None, Some(Verdict::Unknown)));
}
