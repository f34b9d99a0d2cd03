//! The engine (`Standard::compile` + `load_facts` + `evaluate`) against the hand-written
//! reference, unit by unit: score, the verdicts of 标准型 and 示范型, and the tier reached.

#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{compare, engine, file, merged, reference, standard, unit, Row};
use duibiao_reference::haiyan::Kind::{self, *};
use duibiao_tests::generate::{forest, Rng};
use proptest::prelude::*;
use serde_json::{json, Value};

// ---------------------------------------------------------------- random forests

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// The shared generator's forests (one street and its sub-units, plus a stand-alone 小区),
    /// with 0–25% of the scores and facts missing.
    #[test]
    fn generated_forests(seed in any::<u64>(), missing in 0u64..=25) {
        compare(&format!("forest({seed}, {missing})"), &forest(standard(), seed, missing));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Several generated streets in one file.
    #[test]
    fn merged_forests(parts in proptest::collection::vec((any::<u64>(), 0u64..=20), 1..5)) {
        let forests: Vec<Value> = parts.iter().map(|&(s, m)| forest(standard(), s, m)).collect();
        compare(&format!("merged {parts:?}"), &merged(&forests));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Forests built around the thresholds: scores of exactly 75 and 90 and just under, many
    /// 小区 per 社区 (so that shares land on and around 30%), unknown scores and facts (so that
    /// counts and shares are decided by their bounds or not), vetoes, and other parameter values.
    #[test]
    fn threshold_forests(seed in any::<u64>()) {
        compare(&format!("threshold_forest({seed})"), &threshold_forest(seed));
    }
}

/// A forest whose units score exactly on, just above or just under the thresholds.
fn threshold_forest(seed: u64) -> Value {
    const TOTALS: [&str; 8] = ["100", "95", "90", "89.5", "80", "75", "74.5", "50"];
    let mut rng = Rng(seed);
    let unknown = rng.below(25); // percent of unknown scores and facts in this forest
    let mut units = Vec::new();
    let mut add = |rng: &mut Rng, id: String, kind: Kind, parent: Option<&str>| {
        let total = (!rng.chance(unknown / 2)).then(|| TOTALS[rng.below(8) as usize]);
        let fact = |rng: &mut Rng, yes: u64| (!rng.chance(unknown)).then(|| rng.chance(yes));
        let mut facts = json!({"一票否决": fact(rng, 15)});
        if kind == Shequ {
            facts["社会组织有效融入"] = json!(fact(rng, 85));
            facts["社会组织充分融入"] = json!(fact(rng, 70));
        }
        units.push(unit(&id, kind, parent, total, facts));
        id
    };
    for s in 0..1 + rng.below(2) {
        let jd = add(&mut rng, format!("JD{s}"), Jiedao, None);
        for c in 0..rng.below(5) {
            let sq = add(&mut rng, format!("SQ{s}_{c}"), Shequ, Some(&jd));
            for x in 0..rng.below(11) {
                add(&mut rng, format!("XQ{s}_{c}_{x}"), Xiaoqu, Some(&sq));
            }
        }
        for (kind, prefix, n) in [
            (Louyu, "LY", 4),
            (Shangquan, "SC", 3),
            (Shehuizuzhi, "ZZ", 5),
        ] {
            for i in 0..rng.below(n) {
                add(&mut rng, format!("{prefix}{s}_{i}"), kind, Some(&jd));
            }
        }
    }
    // A 社区 on its own, with its 小区.
    if rng.chance(50) {
        let sq = add(&mut rng, "SQ_root".into(), Shequ, None);
        for x in 0..rng.below(8) {
            add(&mut rng, format!("XQ_root_{x}"), Xiaoqu, Some(&sq));
        }
    }
    let mut f = file(units);
    if rng.chance(30) {
        f["params"] = json!({
            "一定量标准型社会组织": rng.below(4),
            "一定量示范型社会组织": rng.below(4),
        });
    }
    f
}

// ---------------------------------------------------------------- the bundled data

/// The demo and every case file of haiyan-2021 (some with input errors on purpose).
#[test]
fn bundled_facts() {
    let dir = duibiao_tests::root().join("standards/haiyan-2021");
    let mut files = vec![dir.join("demo.json")];
    let mut cases: Vec<_> = std::fs::read_dir(dir.join("cases"))
        .expect("cases")
        .map(|e| e.expect("entry").path())
        .filter(|p| {
            let n = p.to_string_lossy();
            n.ends_with(".json") && !n.ends_with(".expected.json")
        })
        .collect();
    cases.sort();
    assert!(
        cases.len() >= 10,
        "expected the case files, found {cases:?}"
    );
    files.extend(cases);
    for path in files {
        let text = std::fs::read_to_string(&path).expect("read");
        let name = path.display().to_string();
        common::assert_same(&name, &engine(&text), &reference(&text), &text);
        let value: Value = serde_json::from_str(&text).expect("json");
        common::assert_same(
            &name,
            &engine(&text),
            &common::reference_value(&value),
            &text,
        );
    }
}

// ---------------------------------------------------------------- edge cases by hand

/// Asserts that both the engine and the reference give `expected` (id, score, 标准型, 示范型,
/// tier) for the units listed.
/// A unit's expected id, score, 标准型, 示范型 and tier.
type Expect<'a> = (&'a str, Option<&'a str>, &'a str, &'a str, Option<&'a str>);

fn check(what: &str, facts: &Value, expected: &[Expect<'_>]) {
    compare(what, facts);
    let rows = reference(&facts.to_string());
    for &(id, score, std, demo, tier) in expected {
        let r: &Row = rows
            .iter()
            .find(|r| r.id == id)
            .unwrap_or_else(|| panic!("{what}: no unit {id}"));
        let want = (
            score.map(|s| s.parse().expect("score")),
            std,
            demo,
            tier.map(str::to_string),
        );
        let got = (r.score, r.standard, r.demonstration, r.tier.clone());
        assert_eq!(got, want, "{what}: unit {id}");
    }
}

const OK: fn() -> Value = || json!({"一票否决": false});
const SQ_OK: fn() -> Value =
    || json!({"一票否决": false, "社会组织有效融入": true, "社会组织充分融入": true});

/// A 社区 scoring 95 with every fact in its favour and 小区 of the given totals (`None`: score
/// unknown) and vetoes (`None`: not reported).
fn shequ_with(xiaoqu: &[(Option<&str>, Option<bool>)]) -> Value {
    let mut units = vec![unit("SQ", Shequ, None, Some("95"), SQ_OK())];
    for (i, (total, veto)) in xiaoqu.iter().enumerate() {
        units.push(unit(
            &format!("XQ{i}"),
            Xiaoqu,
            Some("SQ"),
            *total,
            json!({"一票否决": veto}),
        ));
    }
    file(units)
}

#[test]
fn share_exactly_thirty_percent() {
    // 3 of 10 小区 示范型: 30% >= 30%.
    let mut xq = vec![(Some("95"), Some(false)); 3];
    xq.extend(vec![(Some("80"), Some(false)); 7]);
    check(
        "3/10",
        &shequ_with(&xq),
        &[("SQ", Some("95"), "pass", "pass", Some("示范型"))],
    );
    // 2 of 7: 28.6% < 30%.
    let mut xq = vec![(Some("90"), Some(false)); 2];
    xq.extend(vec![(Some("89.5"), Some(false)); 5]);
    check(
        "2/7",
        &shequ_with(&xq),
        &[("SQ", Some("95"), "pass", "fail", Some("标准型"))],
    );
}

#[test]
fn no_sub_units() {
    // A 社区 without 小区: all over none is true, share over none is unknown.
    check(
        "社区 alone",
        &shequ_with(&[]),
        &[("SQ", Some("95"), "pass", "unknown", Some("标准型"))],
    );
    // A 街道 without sub-units: no 社会组织, so fewer than 一定量 (1).
    check(
        "街道 alone",
        &file(vec![unit("JD", Jiedao, None, Some("100"), OK())]),
        &[("JD", Some("100"), "fail", "fail", None)],
    );
    // A 街道 with only a 示范型 社会组织: all over no 社区/小区/楼宇/商圈 is true; the share
    // over none is unknown.
    check(
        "街道 with one 社会组织",
        &file(vec![
            unit("JD", Jiedao, None, Some("100"), OK()),
            unit("ZZ", Shehuizuzhi, Some("JD"), Some("95"), OK()),
        ]),
        &[("JD", Some("100"), "pass", "unknown", Some("标准型"))],
    );
    // With the count parameters at 0, no 社会组织 is enough for 标准型.
    let mut f = file(vec![unit("JD", Jiedao, None, Some("100"), OK())]);
    f["params"] = json!({"一定量标准型社会组织": 0, "一定量示范型社会组织": 0});
    check(
        "街道 alone, 一定量 0",
        &f,
        &[("JD", Some("100"), "pass", "unknown", Some("标准型"))],
    );
}

#[test]
fn unknown_members_decided_by_bounds() {
    // 小区 scoring 95 with the veto not reported: 标准型, 示范型 unknown.
    let open = (Some("95"), None);
    let no = (Some("80"), Some(false));
    let yes = (Some("95"), Some(false));
    // 0 of 3 known + 1 unknown out of 4: at most 25% < 30%: fail.
    check(
        "0+1?/4",
        &shequ_with(&[no, no, no, open]),
        &[
            ("SQ", Some("95"), "pass", "fail", Some("标准型")),
            ("XQ3", Some("95"), "pass", "unknown", Some("标准型")),
        ],
    );
    // 2 known of 4 + 2 unknown: at least 50% >= 30%: pass.
    check(
        "2+2?/4",
        &shequ_with(&[yes, yes, open, open]),
        &[("SQ", Some("95"), "pass", "pass", Some("示范型"))],
    );
    // 1 known of 4 + 1 unknown: 25% to 50%: unknown.
    check(
        "1+1?/4",
        &shequ_with(&[yes, no, no, open]),
        &[("SQ", Some("95"), "pass", "unknown", Some("标准型"))],
    );
    // A 小区 whose score is unknown: 标准型 unknown, so `all 小区 at 标准型` is unknown.
    check(
        "score unknown",
        &shequ_with(&[yes, yes, (None, Some(false))]),
        &[
            ("SQ", Some("95"), "unknown", "unknown", None),
            ("XQ2", None, "unknown", "unknown", None),
        ],
    );
    // ... unless another 小区 fails 标准型: all is false.
    check(
        "score unknown, another fails",
        &shequ_with(&[yes, (Some("74.5"), Some(false)), (None, Some(false))]),
        &[("SQ", Some("95"), "fail", "fail", None)],
    );
}

#[test]
fn street_counts_and_pooled_share() {
    let jd = |orgs: &[(Option<&str>, Option<bool>)],
              built: &[(Kind, Option<&str>, Option<bool>)]| {
        let mut units = vec![unit("JD", Jiedao, None, Some("95"), OK())];
        for (i, (total, veto)) in orgs.iter().enumerate() {
            units.push(unit(
                &format!("ZZ{i}"),
                Shehuizuzhi,
                Some("JD"),
                *total,
                json!({"一票否决": veto}),
            ));
        }
        let mut sq = None;
        for (i, (kind, total, veto)) in built.iter().enumerate() {
            let id = format!("U{i}");
            let (parent, mut facts) = match kind {
                Xiaoqu => (sq.clone(), json!({"一票否决": veto})),
                _ => (Some("JD".to_string()), json!({"一票否决": veto})),
            };
            if *kind == Shequ {
                facts["社会组织有效融入"] = json!(true);
                facts["社会组织充分融入"] = json!(true);
                sq = Some(id.clone());
            }
            units.push(unit(&id, *kind, parent.as_deref(), *total, facts));
        }
        file(units)
    };
    // The only 社会组织's 标准型 is unknown (score missing): count in 0..=1 against 1.
    check(
        "count unknown",
        &jd(&[(None, Some(false))], &[]),
        &[("JD", Some("95"), "unknown", "unknown", None)],
    );
    // One known 标准型 社会组织 and one unknown: at least 1: 标准型 decided.
    check(
        "count decided",
        &jd(&[(Some("80"), Some(false)), (None, Some(false))], &[]),
        &[("JD", Some("95"), "pass", "unknown", Some("标准型"))],
    );
    // A 街道's 小区 are its 社区's: 社区 + 3 小区 (two 示范型) + 楼宇 + 商圈 = 6 units,
    // 2 示范型 = 33% >= 30% (without the 小区 it would be 0 of 3).
    let built = [
        (Shequ, Some("80"), Some(false)),
        (Xiaoqu, Some("95"), Some(false)),
        (Xiaoqu, Some("95"), Some(false)),
        (Xiaoqu, Some("80"), Some(false)),
        (Louyu, Some("80"), Some(false)),
        (Shangquan, Some("80"), Some(false)),
    ];
    check(
        "pooled 2/6",
        &jd(&[(Some("95"), Some(false))], &built),
        &[
            ("U0", Some("80"), "pass", "fail", Some("标准型")),
            ("JD", Some("95"), "pass", "pass", Some("示范型")),
        ],
    );
    // A veto on the 街道 blocks only 示范型.
    let mut f = jd(&[(Some("95"), Some(false))], &built);
    f["units"][0]["facts"]["一票否决"] = json!(true);
    check(
        "pooled 2/6, vetoed",
        &f,
        &[("JD", Some("95"), "pass", "fail", Some("标准型"))],
    );
}

// ---------------------------------------------------------------- loading like the engine

/// Facts files with problems: both leave out and keep the same units, with the same values.
#[test]
fn problem_facts() {
    let xq = |id: &str, parent: Value| {
        let mut u = unit(id, Xiaoqu, None, Some("95"), OK());
        u["parent"] = parent;
        u
    };
    let sq = |id: &str, parent: Value| {
        let mut u = unit(id, Shequ, None, Some("95"), SQ_OK());
        u["parent"] = parent;
        u
    };
    let mut kind_last = xq("XQ_kind_last", json!("SQ"));
    let k = kind_last.as_object_mut().unwrap().remove("kind").unwrap();
    kind_last["kind"] = k;
    let files = [
        (
            "duplicate id",
            file(vec![
                xq("A", Value::Null),
                sq("A", Value::Null),
                xq("B", json!("A")),
            ]),
        ),
        (
            "unknown kind",
            file(vec![json!({"id": "A", "kind": "村"}), xq("A", Value::Null)]),
        ),
        (
            "no id or kind",
            file(vec![
                json!({"kind": "小区"}),
                json!({"id": 3, "kind": "小区"}),
                json!({"id": "X"}),
                json!(7),
                json!(null),
            ]),
        ),
        (
            "missing parent",
            file(vec![sq("SQ", json!("nowhere")), xq("X", json!("SQ"))]),
        ),
        (
            "not containable",
            file(vec![
                unit("JD", Jiedao, None, Some("95"), OK()),
                xq("X", json!("JD")),
                sq("SQ", json!("X")),
            ]),
        ),
        (
            "parent of wrong type",
            file(vec![sq("SQ", json!(1)), xq("X", json!(["SQ"]))]),
        ),
        (
            "cycle",
            file(vec![
                sq("SQ", json!("JD")),
                {
                    let mut j = unit("JD", Jiedao, None, Some("95"), OK());
                    j["parent"] = json!("SQ");
                    j
                },
                xq("X", json!("SQ")),
            ]),
        ),
        (
            "self parent",
            file(vec![sq("SQ", json!("SQ")), xq("X", json!("SQ"))]),
        ),
        (
            "kind after scores",
            file(vec![sq("SQ", Value::Null), kind_last]),
        ),
        (
            "bad points",
            file(vec![
                json!({"id": "A", "kind": "小区", "scores": {"11.1": 10.5, "11.2": 10, "12.1": 10, "12.2": 10, "13.1": 5, "13.2": 5, "13.3": 10, "14": 20, "15.1": 10, "15.2": 10}}),
                json!({"id": "B", "kind": "小区", "scores": {"11.1": -1, "11.2": 10, "12.1": 10, "12.2": 10, "13.1": 5, "13.2": 5, "13.3": 10, "14": 20, "15.1": 10, "15.2": 10}}),
                json!({"id": "C", "kind": "小区", "scores": {"11.1": "10", "11.2": 10, "12.1": 10, "12.2": 10, "13.1": 5, "13.2": 5, "13.3": 10, "14": 20, "15.1": 10, "15.2": 10}}),
                json!({"id": "D", "kind": "小区", "scores": {"11.1": 10, "11.2": 10, "12.1": 10, "12.2": 10, "13.1": 5, "13.2": 5, "13.3": 10, "14": 20, "15.1": 10, "15.2": 10, "1.1": 10, "6.1": 3}, "facts": {"一票否决": "no", "社会组织有效融入": true}}),
                json!({"id": "E", "kind": "小区", "scores": {"11.1": 10.0, "11.2": 9.75, "12.1": 1e1, "12.2": 10, "13.1": 5, "13.2": 5, "13.3": 10, "14": 20, "15.1": 10, "15.2": 10}, "facts": {"一票否决": false}}),
                json!({"id": "F", "kind": "小区", "scores": [1, 2], "facts": 3}),
                json!({"id": "G", "kind": "小区", "scores": {"11.1": {"x": 1}, "11.2": null}}),
            ]),
        ),
        (
            "params",
            json!({"units": [unit("JD", Jiedao, None, Some("95"), OK())], "params": {"一定量标准型社会组织": 0, "一定量示范型社会组织": "0", "其他": 3}}),
        ),
        (
            "params as text",
            json!({"units": [unit("JD", Jiedao, None, Some("95"), OK()), unit("ZZ", Shehuizuzhi, Some("JD"), Some("95"), OK())], "params": {"一定量标准型社会组织": "2个", "一定量示范型社会组织": " 1 "}}),
        ),
        (
            "bad params",
            json!({"units": [unit("JD", Jiedao, None, Some("95"), OK())], "params": {"一定量标准型社会组织": -1, "一定量示范型社会组织": 0.5}}),
        ),
        ("not a facts file", json!([1, 2])),
        ("units not a list", json!({"units": {"A": 1}})),
    ];
    for (what, f) in files {
        compare(what, &f);
    }
}

/// Points written with more digits than the engine's generator writes, as text.
#[test]
fn points_as_written() {
    let text = r#"{"units": [{"id": "A", "kind": "商圈", "facts": {"一票否决": false}, "scores": {
        "21.1": 5.00, "21.2": 10, "21.3": 4.5, "22.1": 10, "22.2": 5, "22.3": 10, "23.1": 10,
        "23.2": 10, "24": 15, "25.1": 10.000000000000000000000000001, "25.2": 0.5}}]}"#;
    common::assert_same("digits", &engine(text), &reference(text), text);
}

/// Many more random forests than the property tests run; for a soak after changes to the engine:
/// `cargo test --release -p duibiao-reference --test differential -- --ignored`.
#[test]
#[ignore = "soak: many forests, run in release"]
fn soak() {
    for seed in 0..20_000u64 {
        compare(
            &format!("forest({seed})"),
            &forest(standard(), seed, seed % 26),
        );
        compare(
            &format!("threshold_forest({seed})"),
            &threshold_forest(seed),
        );
    }
}
