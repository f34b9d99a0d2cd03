//! The zen-engine decision graph against the hand-written reference (`haiyan::evaluate_forest`):
//! both verdicts of every unit, on hand-written edge cases and on random forests with missing
//! scores and facts, vetoes, parameters, orphans and units without sub-units.

#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)] // Test helpers fail the test.

use duibiao_reference::haiyan::{evaluate_forest, Forest, Kind, Verdict};
use duibiao_zen_peer::{tiers, Peer};
use serde_json::{json, Map, Value};

/// Evaluates `facts` both ways and checks that every unit gets the same two verdicts.
fn same(peer: &Peer, facts: &Value) -> Vec<(Verdict, Verdict)> {
    let text = facts.to_string();
    let forest = Forest::from_json(&text).unwrap();
    let zen = peer.evaluate_forest(&forest).unwrap();
    let reference = evaluate_forest(&forest, &forest.params);
    assert_eq!(zen.len(), reference.len());
    for ((z, r), u) in zen.iter().zip(&reference).zip(&forest.units) {
        assert_eq!(
            *z,
            (r.standard, r.demonstration),
            "unit `{}` ({}): zen {:?}, reference {:?}",
            u.id,
            u.kind.name(),
            z,
            (r.standard, r.demonstration)
        );
    }
    zen
}

/// A small deterministic generator (SplitMix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

/// Full marks on every part of `kind`, as a `scores` object.
fn full_marks(kind: Kind) -> Value {
    Value::Object(
        kind.parts()
            .iter()
            .map(|(k, max)| (k.to_string(), json!(max)))
            .collect(),
    )
}

/// `halves / 2` points as JSON: an integer when whole, else a number with `.5`.
fn points(halves: u64) -> Value {
    if halves.is_multiple_of(2) {
        json!(halves / 2)
    } else {
        json!(halves as f64 / 2.0)
    }
}

/// A unit with scores drawn around a level chosen per unit (so that totals fall on both sides
/// of 75 and 90, in halves), some parts missing, and random facts.
fn random_unit(rng: &mut Rng, id: &str, kind: Kind, parent: Option<&str>) -> Value {
    let mut unit = Map::new();
    unit.insert("id".into(), json!(id));
    unit.insert("kind".into(), json!(kind.name()));
    if let Some(p) = parent {
        unit.insert("parent".into(), json!(p));
    }
    // How many halves each part may lose.
    let slack = [0, 1, 2, 3, 5, 8, 20][rng.below(7) as usize];
    let mut scores = Map::new();
    for (key, max) in kind.parts() {
        if rng.chance(3) {
            continue; // not reported
        }
        let halves = u64::from(max * 2).saturating_sub(rng.below(slack + 1));
        scores.insert(key.to_string(), points(halves));
    }
    unit.insert("scores".into(), Value::Object(scores));
    let mut facts = Map::new();
    let mut fact = |rng: &mut Rng, key: &str, true_percent: u64| {
        if !rng.chance(5) {
            facts.insert(key.into(), json!(rng.chance(true_percent)));
        }
    };
    fact(rng, "一票否决", 10);
    if kind == Kind::Shequ {
        fact(rng, "社会组织有效融入", 85);
        fact(rng, "社会组织充分融入", 70);
    }
    unit.insert("facts".into(), Value::Object(facts));
    Value::Object(unit)
}

/// A random forest: 街道 with 社区 (with 小区), 商务楼宇, 商圈 and 社会组织, plus a few roots of
/// every kind and units whose parent does not exist.
fn random_forest(seed: u64) -> Value {
    let mut rng = Rng(seed);
    let mut units = Vec::new();
    let mut n = 0;
    let mut id = |prefix: &str| {
        n += 1;
        format!("{prefix}{n}")
    };
    for _ in 0..1 + rng.below(3) {
        let jd = id("JD");
        units.push(random_unit(&mut rng, &jd, Kind::Jiedao, None));
        for _ in 0..rng.below(4) {
            let sq = id("SQ");
            units.push(random_unit(&mut rng, &sq, Kind::Shequ, Some(&jd)));
            for _ in 0..rng.below(9) {
                let xq = id("XQ");
                units.push(random_unit(&mut rng, &xq, Kind::Xiaoqu, Some(&sq)));
            }
        }
        for kind in [Kind::Louyu, Kind::Shangquan, Kind::Shehuizuzhi] {
            for _ in 0..rng.below(3) {
                let u = id("U");
                units.push(random_unit(&mut rng, &u, kind, Some(&jd)));
            }
        }
    }
    for kind in Kind::ALL {
        if rng.chance(30) {
            let u = id("R");
            units.push(random_unit(&mut rng, &u, kind, None));
        }
    }
    if rng.chance(20) {
        let u = id("O");
        units.push(random_unit(&mut rng, &u, Kind::Xiaoqu, Some("nobody")));
    }
    // Children listed before their parents too.
    if rng.chance(50) {
        units.reverse();
    }
    let mut file = Map::new();
    file.insert("units".into(), Value::Array(units));
    if rng.chance(40) {
        file.insert(
            "params".into(),
            json!({
                "一定量标准型社会组织": rng.below(4),
                "一定量示范型社会组织": rng.below(3),
            }),
        );
    }
    Value::Object(file)
}

#[test]
fn random_forests_agree_with_the_reference() {
    let peer = Peer::new().unwrap();
    let mut units = 0;
    let mut seen = std::collections::HashSet::new();
    for seed in 0..80 {
        let facts = random_forest(seed);
        let text = facts.to_string();
        let forest = Forest::from_json(&text).unwrap();
        for (v, u) in same(&peer, &facts).into_iter().zip(&forest.units) {
            seen.insert((u.kind, v));
            units += 1;
        }
    }
    assert!(units >= 1000, "only {units} units");
    // Every reachable pair of verdicts came up (示范型 never passes without 标准型), and every
    // verdict of each tier for the kinds with aggregates.
    for s in [Verdict::Fail, Verdict::Unknown, Verdict::Pass] {
        for d in [Verdict::Fail, Verdict::Unknown, Verdict::Pass] {
            if d <= s {
                assert!(
                    seen.iter().any(|&(_, v)| v == (s, d)),
                    "never saw {s:?}/{d:?}"
                );
            }
        }
        for kind in [Kind::Jiedao, Kind::Shequ] {
            assert!(seen.iter().any(|&(k, (x, _))| k == kind && x == s));
            assert!(seen.iter().any(|&(k, (_, x))| k == kind && x == s));
        }
    }
}

#[test]
fn a_full_marks_xiaoqu_is_demonstration_unless_vetoed() {
    let peer = Peer::new().unwrap();
    let facts = json!({"units": [
        {"id": "A", "kind": "小区", "scores": full_marks(Kind::Xiaoqu), "facts": {"一票否决": false}},
        {"id": "B", "kind": "小区", "scores": full_marks(Kind::Xiaoqu), "facts": {"一票否决": true}},
        {"id": "C", "kind": "小区", "scores": full_marks(Kind::Xiaoqu)},
        {"id": "D", "kind": "小区", "scores": {"11.1": 10}},
    ]});
    let v = same(&peer, &facts);
    assert_eq!(tiers(&v), "DSS-");
    assert_eq!(v[2], (Verdict::Pass, Verdict::Unknown));
    assert_eq!(v[3], (Verdict::Unknown, Verdict::Unknown));
}

#[test]
fn thresholds_are_inclusive_and_exact() {
    let peer = Peer::new().unwrap();
    // 商圈: 100 points at full marks; items 24 (15) and 25.1, 25.2 (10 each) lowered.
    let mut units = Vec::new();
    for (id, i24, i251, i252) in [
        ("P90", 5.0, 10.0, 10.0),
        ("P75", 0.0, 0.0, 10.0),
        ("P89.5", 4.5, 10.0, 10.0),
        ("P74.5", 0.0, 0.0, 9.5),
    ] {
        let mut scores = full_marks(Kind::Shangquan);
        scores["24"] = json!(i24);
        scores["25.1"] = json!(i251);
        scores["25.2"] = json!(i252);
        units.push(
            json!({"id": id, "kind": "商圈", "scores": scores, "facts": {"一票否决": false}}),
        );
    }
    let v = same(&peer, &json!({ "units": units }));
    assert_eq!(tiers(&v), "DSS-");
    assert_eq!(v[2], (Verdict::Pass, Verdict::Fail));
}

#[test]
fn aggregates_decide_with_unknown_members_when_the_bounds_suffice() {
    let peer = Peer::new().unwrap();
    let good = |id: &str, kind: Kind, parent: &str| {
        json!({"id": id, "kind": kind.name(), "parent": parent, "scores": full_marks(kind),
               "facts": {"一票否决": false, "社会组织有效融入": true, "社会组织充分融入": true}})
    };
    let unknown = |id: &str, kind: Kind, parent: &str| {
        json!({"id": id, "kind": kind.name(), "parent": parent, "scores": {},
               "facts": {"一票否决": false}})
    };
    // 社区 S1: 4 小区, 2 at 示范型, 2 unknown: share 50% ≥ 30% already; all at 标准型 unknown.
    // 社区 S2: no 小区: share unknown, all true.
    // 社区 S3: 10 小区, 2 at 示范型, 1 unknown: 20..30% ≥ 30% unknown.
    // 街道 J: 社会组织 two unknown: count ≥ 1 unknown; with the parameter 0, true.
    let mut units = vec![
        good("J", Kind::Jiedao, ""),
        good("S1", Kind::Shequ, "J"),
        good("S2", Kind::Shequ, "J"),
        good("S3", Kind::Shequ, "J"),
        unknown("O1", Kind::Shehuizuzhi, "J"),
        unknown("O2", Kind::Shehuizuzhi, "J"),
    ];
    for i in 0..2 {
        units.push(good(&format!("S1-g{i}"), Kind::Xiaoqu, "S1"));
        units.push(unknown(&format!("S1-u{i}"), Kind::Xiaoqu, "S1"));
    }
    for i in 0..10 {
        units.push(match i {
            0 | 1 => good(&format!("S3-{i}"), Kind::Xiaoqu, "S3"),
            2 => unknown(&format!("S3-{i}"), Kind::Xiaoqu, "S3"),
            _ => {
                let mut u = good(&format!("S3-{i}"), Kind::Xiaoqu, "S3");
                u["facts"]["一票否决"] = json!(true);
                u
            }
        });
    }
    let v = same(&peer, &json!({ "units": units.clone() }));
    assert_eq!(v[1], (Verdict::Unknown, Verdict::Unknown)); // S1
    assert_eq!(v[2], (Verdict::Pass, Verdict::Unknown)); // S2
    assert_eq!(v[3], (Verdict::Unknown, Verdict::Unknown)); // S3
    for params in [
        json!({"一定量标准型社会组织": 0, "一定量示范型社会组织": 0}),
        json!({}),
    ] {
        same(&peer, &json!({ "units": units.clone(), "params": params }));
    }
}

#[test]
fn shares_and_counts_at_their_bounds() {
    let peer = Peer::new().unwrap();
    // Full marks and every fact favourable; `veto` null leaves 示范型 unknown, a score of 80
    // makes a unit 标准型 only.
    let unit = |id: &str, kind: Kind, parent: &str, tier: char| {
        let mut scores = full_marks(kind);
        let mut veto = json!(false);
        match tier {
            'S' => {
                let (key, max) = kind.parts()[0];
                let (key2, max2) = kind.parts()[1];
                scores[key] = json!(max - 10);
                scores[key2] = json!(max2 - 10);
            }
            '?' => veto = Value::Null,
            _ => {}
        }
        json!({"id": id, "kind": kind.name(), "parent": parent, "scores": scores,
               "facts": {"一票否决": veto, "社会组织有效融入": true, "社会组织充分融入": true}})
    };
    let mut units = vec![unit("J", Kind::Jiedao, "", 'D')];
    // 社区 with 10 小区 each: D = 示范型, S = 标准型 only, ? = 示范型 unknown.
    for (id, xiaoqu) in [
        ("S30", "DDDSSSSSSS"),
        ("S20", "DDSSSSSSSS"),
        ("S20-30", "DD?SSSSSSS"),
        ("S30-40", "DDD?SSSSSS"),
    ] {
        units.push(unit(id, Kind::Shequ, "J", 'D'));
        for (i, t) in xiaoqu.chars().enumerate() {
            units.push(unit(&format!("{id}-{i}"), Kind::Xiaoqu, id, t));
        }
    }
    units.push(unit("O1", Kind::Shehuizuzhi, "J", 'D'));
    units.push(unit("O2", Kind::Shehuizuzhi, "J", '?'));
    let v = same(&peer, &json!({ "units": units.clone() }));
    assert_eq!(v[1], (Verdict::Pass, Verdict::Pass)); // S30
    assert_eq!(v[12], (Verdict::Pass, Verdict::Fail)); // S20
    assert_eq!(v[23], (Verdict::Pass, Verdict::Unknown)); // S20-30
    assert_eq!(v[34], (Verdict::Pass, Verdict::Pass)); // S30-40

    // 街道: 44 units built, 12 at 示范型 for sure, 3 unknown: 27.3..34.1% ≥ 30% is unknown.
    assert_eq!(v[0], (Verdict::Pass, Verdict::Unknown));
    for (standard, demonstration) in [(1, 1), (2, 1), (2, 2), (3, 3), (0, 0)] {
        same(
            &peer,
            &json!({ "units": units.clone(), "params": {
                "一定量标准型社会组织": standard, "一定量示范型社会组织": demonstration} }),
        );
    }
}

/// `scores` for `kind` with its last part not reported and the reported ones summing to
/// `halves / 2`: full marks, lowered from the first part on.
fn with_last_part_missing(kind: Kind, halves: u32) -> Value {
    let (kept, _) = kind.parts().split_at(kind.parts().len() - 1);
    let mut lower = kept.iter().map(|(_, max)| max * 2).sum::<u32>() - halves;
    let mut scores = Map::new();
    for (key, max) in kept {
        let cut = lower.min(max * 2);
        lower -= cut;
        scores.insert(key.to_string(), points(u64::from(max * 2 - cut)));
    }
    assert_eq!(lower, 0);
    Value::Object(scores)
}

#[test]
fn a_missing_part_decides_a_threshold_when_it_cannot_change_it() {
    use Verdict::{Fail, Pass, Unknown};
    let peer = Peer::new().unwrap();
    for kind in Kind::ALL {
        // The last part, not reported, lies between 0 and its points (`m` halves): the score
        // between the reported points `r` and `r + m`. Cases: `r` in halves, then 得分75分以上
        // and 得分90分以上.
        let m = kind.parts()[kind.parts().len() - 1].1 * 2;
        let cases = [
            (150, Pass, Fail),        // 75 reported: at most 85
            (150 - m, Unknown, Fail), // at most 75
            (149 - m, Fail, Fail),    // at most 74.5
            (180, Pass, Pass),        // 90 reported
            (180 - m, Pass, Unknown), // at most 90
            (179 - m, Pass, Fail),    // at most 89.5
            (179, Pass, Unknown),     // 89.5 reported: at least 89.5
            (149, Unknown, Fail),     // 74.5 reported: 90 out of reach
        ];
        let units: Vec<Value> = cases
            .iter()
            .enumerate()
            .map(|(i, &(halves, ..))| {
                json!({"id": format!("U{i}"), "kind": kind.name(),
                       "scores": with_last_part_missing(kind, halves),
                       "facts": {"一票否决": false, "社会组织有效融入": true, "社会组织充分融入": true}})
            })
            .collect();
        // 街道 with no 社会组织 needs none for the count to hold.
        let params = json!({"一定量标准型社会组织": 0, "一定量示范型社会组织": 0});
        let v = same(&peer, &json!({ "units": units, "params": params }));
        // Without units below, 社区 and 街道 cannot tell a share of 示范型 over none.
        let aggregates = match kind {
            Kind::Shequ | Kind::Jiedao => Unknown,
            _ => Pass,
        };
        for (i, &(halves, at75, at90)) in cases.iter().enumerate() {
            assert_eq!(
                v[i],
                (at75, at75.and(at90).and(aggregates)),
                "{}: {} points reported, a part of {} not",
                kind.name(),
                f64::from(halves) / 2.0,
                f64::from(m) / 2.0
            );
        }
    }
}
