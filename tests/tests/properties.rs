//! Invariants, checked on random forests of the haiyan-2021 standard:
//! raising points never lowers a tier; a veto never raises one; evaluation is deterministic; and
//! no input — random bytes, random token soup, random JSON — makes the compiler or loader panic.

use duibiao::generate::Rng;
use duibiao::{Options, Outcome, Standard, Threads};
use duibiao_compiler::graph::{InputOrigin, Node};
use duibiao_engine::{evaluate_in_order, UnitTree};
use duibiao_tests::engine::Compiled;
use duibiao_tests::generate::forest;
use duibiao_tests::standard;
use duibiao_tests::STANDARDS;
use proptest::prelude::*;
use serde_json::{json, Value};
use std::sync::OnceLock;

/// haiyan-2021, with its graph for the tests of the engine's internals.
fn compiled() -> &'static Compiled {
    static S: OnceLock<Compiled> = OnceLock::new();
    S.get_or_init(|| duibiao_tests::engine::standard("haiyan-2021"))
}

fn haiyan() -> &'static Standard {
    &compiled().standard
}

fn evaluate(facts: &Value) -> Outcome {
    let std = haiyan();
    let (loaded, errors) = std.load_facts(&facts.to_string());
    assert!(errors.is_empty(), "generator made bad facts: {errors:?}");
    std.evaluate(&loaded, &Options::new())
        .unwrap_or_else(|e| panic!("{e:?}"))
}

/// A unit's tier as a rank: -1 for none, else the tier's position (lowest is 0).
fn ranks(o: &Outcome) -> Vec<(String, i64)> {
    o.units
        .iter()
        .map(|u| {
            let rank = u
                .tier
                .as_ref()
                .and_then(|t| u.tiers.get_index_of(t))
                .map_or(-1, |i| i as i64);
            (u.id.clone(), rank)
        })
        .collect()
}

fn units_mut(facts: &mut Value) -> &mut Vec<Value> {
    facts["units"]
        .as_array_mut()
        .unwrap_or_else(|| panic!("no units"))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Raising any part's points (vetoes unchanged) never lowers any unit's tier.
    #[test]
    fn raising_points_never_lowers_a_tier(seed: u64, pick: u64, part: u64, by in 1u64..40) {
        let mut facts = forest(haiyan(), seed, 5);
        let before = ranks(&evaluate(&facts));
        let units = units_mut(&mut facts);
        let u = (pick % units.len() as u64) as usize;
        let kind = units[u]["kind"].as_str().unwrap_or_default().to_string();
        let kg = compiled().graph().kinds.iter().find(|k| k.name == kind).unwrap_or_else(|| panic!("kind"));
        let parts: Vec<_> = kg.inputs.iter().filter_map(|i| match i.origin {
            InputOrigin::Points { max } => Some((i.key.clone(), max)),
            _ => None,
        }).collect();
        let (key, max) = parts[(part % parts.len() as u64) as usize].clone();
        let current = units[u]["scores"][&key].as_f64();
        let max = max.to_string().parse::<f64>().unwrap_or(0.0);
        if let Some(cur) = current {
            let raised = (cur + by as f64 * 0.5).min(max);
            units[u]["scores"][&key] = json!(raised);
            let after = ranks(&evaluate(&facts));
            for ((id, b), (_, a)) in before.iter().zip(&after) {
                prop_assert!(a >= b, "unit {id}: tier rank fell from {b} to {a} after raising {key} of unit {u}");
            }
        }
    }

    /// Setting a veto never raises any unit's tier.
    #[test]
    fn a_veto_never_raises_a_tier(seed: u64, pick: u64) {
        let mut facts = forest(haiyan(), seed, 5);
        let before = ranks(&evaluate(&facts));
        let units = units_mut(&mut facts);
        let u = (pick % units.len() as u64) as usize;
        units[u]["facts"]["一票否决"] = json!(true);
        let after = ranks(&evaluate(&facts));
        for ((id, b), (_, a)) in before.iter().zip(&after) {
            prop_assert!(a <= b, "unit {id}: tier rank rose from {b} to {a} after a veto on unit {u}");
        }
    }

    /// The same standard and facts give byte-identical JSON, from separate compilations too.
    #[test]
    fn evaluation_is_deterministic(seed: u64) {
        let facts = forest(haiyan(), seed, 15);
        let first = serde_json::to_string(&evaluate(&facts)).unwrap_or_default();
        let again = serde_json::to_string(&evaluate(&facts)).unwrap_or_default();
        prop_assert_eq!(&first, &again);
        let fresh = standard("haiyan-2021");
        let (loaded, _) = fresh.load_facts(&facts.to_string());
        let third = serde_json::to_string(&fresh.evaluate(&loaded, &Options::new()).unwrap_or_else(|e| panic!("{e:?}"))).unwrap_or_default();
        prop_assert_eq!(&first, &third);
    }

    /// A missing fact never turns a known verdict into its opposite: it can only make it unknown.
    #[test]
    fn missing_facts_only_make_verdicts_unknown(seed: u64, drop in 1u64..60) {
        let full = forest(haiyan(), seed, 0);
        let mut partial = full.clone();
        let mut rng = Rng(seed ^ 0xD1B5);
        for u in units_mut(&mut partial) {
            for field in ["scores", "facts"] {
                if let Some(m) = u[field].as_object_mut() {
                    m.retain(|_, _| !rng.chance(drop));
                }
            }
        }
        let (a, b) = (evaluate(&full), evaluate(&partial));
        for (ua, ub) in a.units.iter().zip(&b.units) {
            for (tier, vb) in &ub.tiers {
                let va = ua.tiers[tier];
                prop_assert!(*vb == duibiao::Verdict::Unknown || *vb == va,
                    "unit {} tier {tier}: {va:?} with all facts, {vb:?} with some missing", ua.id);
            }
        }
    }

    /// Random bytes never make the compiler panic.
    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2000)) {
        let text = String::from_utf8_lossy(&bytes);
        let _ = Standard::compile("random.std", &text);
    }

    /// Random sequences of the language's own tokens never make the compiler panic.
    #[test]
    fn token_soup_never_panics(tokens in proptest::collection::vec(0usize..TOKENS.len(), 0..300)) {
        let text: String = tokens.iter().map(|&t| TOKENS[t]).collect::<Vec<_>>().join(" ");
        let _ = Standard::compile("soup.std", &format!("standard s {{ }}\n{text}"));
        let _ = Standard::compile("soup.std", &text);
    }

    /// Random JSON never makes the facts loader panic.
    #[test]
    fn random_facts_never_panic(v in json_value()) {
        let (_, _) = haiyan().load_facts(&v.to_string());
        let wrapped = json!({"units": [v.clone(), {"id": "x", "kind": "小区", "scores": v.clone(), "facts": v}]});
        let (loaded, _) = haiyan().load_facts(&wrapped.to_string());
        let _ = haiyan().evaluate(&loaded, &Options::new());
    }
}

const TOKENS: &[&str] = &[
    "standard",
    "kind",
    "contains",
    "facts",
    "param",
    "derive",
    "requirements",
    "group",
    "scorecard",
    "total",
    "item",
    "part",
    "max",
    "tiers",
    "requires",
    "veto",
    "blocks",
    "cite",
    "text",
    "score",
    "all",
    "any",
    "count",
    "share",
    "sum",
    "of",
    "direct",
    "at",
    "where",
    "ifnone",
    "if",
    "then",
    "else",
    "and",
    "or",
    "not",
    "true",
    "false",
    "单位",
    "包含",
    "评分",
    "等级",
    "否决",
    "社区",
    "小区",
    "标准型",
    "{",
    "}",
    "(",
    ")",
    ":",
    "：",
    ",",
    "、",
    "=",
    ">=",
    "≥",
    "不少于",
    "+",
    "-",
    "*",
    "/",
    "30%",
    "75",
    "350平方米",
    "15万元",
    "2021-06-30",
    "2021-02-30",
    "\"文本\"",
    "“文本”",
    "bool",
    "int",
    "enum(甲, 乙)",
    "#注释\n",
    "..",
    "6.1",
    "99999999999999999999999999999999",
    "；",
    "＝",
];

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        (-1e9f64..1e9).prop_map(|f| json!(f)),
        "[a-z0-9小区社区街道.%万元-]{0,8}".prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            proptest::collection::btree_map(
                prop_oneof![
                    Just("id".to_string()),
                    Just("kind".to_string()),
                    Just("parent".to_string()),
                    Just("scores".to_string()),
                    Just("facts".to_string()),
                    Just("units".to_string()),
                    Just("11.1".to_string()),
                    Just("一票否决".to_string()),
                    "[a-z]{1,4}",
                ],
                inner,
                0..5
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

#[test]
fn deep_nesting_is_a_diagnostic_not_a_crash() {
    for depth in [50usize, 70, 200, 5000] {
        let src = format!(
            "standard s {{ }}\nkind 小区\nfacts 小区 {{ x: int }}\ntiers 小区 {{ 甲 {{ {}x{} >= 1 }} }}",
            "(".repeat(depth),
            ")".repeat(depth)
        );
        let _ = Standard::compile("deep.std", &src);
        let ifs = format!(
            "standard s {{ }}\nkind 小区\nfacts 小区 {{ x: int }}\nderive 小区 {{ y = {} 1 {} }}",
            "if x > 1 then ".repeat(depth),
            "else 0 ".repeat(depth)
        );
        let _ = Standard::compile("deep.std", &ifs);
        let sums = format!(
            "standard s {{ }}\nkind 小区\nderive 小区 {{ y = 1{} }}",
            " + 1".repeat(depth * 10)
        );
        let _ = Standard::compile("deep.std", &sums);
    }
}

/// Evaluating on two threads gives byte-identical output to one thread (and to the calling
/// thread alone), and the same values as evaluating strictly in order.
#[test]
fn parallel_evaluation_is_identical() {
    let s = haiyan();
    let text = compiled().forest_text(6000, 11, &Default::default());
    let (loaded, errors) = s.load_facts(&text);
    assert!(errors.is_empty(), "generator made bad facts: {errors:?}");
    let evaluate = |options: &Options| {
        serde_json::to_string(
            &s.evaluate(&loaded, options)
                .unwrap_or_else(|e| panic!("{e:?}")),
        )
        .unwrap_or_default()
    };
    let run = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap_or_else(|e| panic!("{e}"));
        pool.install(|| evaluate(&Options::new()))
    };
    let one = run(1);
    assert_eq!(one, run(2));
    assert_eq!(one, evaluate(&Options::new().threads(Threads::Single)));
    let facts = compiled().load_clean("haiyan-2021", &text);
    let ctx = compiled().context(&facts);
    let in_order = evaluate_in_order(compiled().graph(), &facts.tree, &ctx);
    let parallel = duibiao_engine::evaluate(compiled().graph(), &facts.tree, &ctx);
    assert_eq!(in_order, parallel);
}

/// Every standard, evaluated with sub-units of one kind in runs (by subtrees in parallel for the
/// single-pass ones; ranked ones pass by pass), gives the values of evaluating unit by unit.
#[test]
fn evaluation_in_runs_equals_unit_by_unit() {
    for slug in STANDARDS {
        let s = duibiao_tests::engine::standard(slug);
        let loaded = s.generated(5000, 3);
        let ctx = s.context(&loaded);
        let by_unit = evaluate_in_order(s.graph(), &loaded.tree, &ctx);
        let in_runs = duibiao_engine::evaluate(s.graph(), &loaded.tree, &ctx);
        assert!(
            by_unit == in_runs,
            "{slug}: in runs differs from unit by unit"
        );
    }
}

/// A standard that ranks units among every unit of their kind (peers in every subtree) by a
/// computed value is evaluated pass by pass, never by subtrees in parallel: a large forest of it gives the values
/// of evaluating unit by unit.
#[test]
fn ranks_among_all_units_are_not_split_between_subtrees() {
    let s = duibiao_tests::engine::compile(
        "ranked.std",
        r#"standard ranked { title "名次" }
kind 街道 contains 小区
kind 小区
facts 小区 {
  考评分: points
}
derive 街道 {
  小区数 = count 小区
  规模名次 = rank (小区数) among all ties by_id
}
derive 小区 {
  加权分 = 考评分 * 2
  全部名次 = rank (加权分) among all ties shared
  街道名次 = rank (加权分) among 街道 ties by_id
}
tiers 小区 {
  前列 {
    全部名次 <= 500
    街道名次 <= 20
  }
}
"#,
    );
    let loaded = s.generated(6000, 7);
    assert!(loaded.tree.units.len() >= 6000);
    let ctx = s.context(&loaded);
    let by_unit = evaluate_in_order(s.graph(), &loaded.tree, &ctx);
    let in_runs = duibiao_engine::evaluate(s.graph(), &loaded.tree, &ctx);
    assert!(by_unit == in_runs, "in runs differs from unit by unit");
}

/// A forest large enough that its roots are the tops of the subtrees evaluated in parallel (each
/// then counted towards the forest-wide targets by the thread that evaluated it) gives the
/// forest-wide values of evaluating unit by unit.
#[test]
fn forest_wide_targets_from_roots_evaluated_in_parallel() {
    let s = compiled();
    let loaded = s.generated(30_000, 5);
    let ctx = s.context(&loaded);
    let by_unit = evaluate_in_order(s.graph(), &loaded.tree, &ctx);
    let parallel = duibiao_engine::evaluate(s.graph(), &loaded.tree, &ctx);
    assert_eq!(by_unit.overall, parallel.overall);
    assert!(by_unit == parallel);
}

/// Every standard's kinds have their nodes in the canonical order the engine relies on to move
/// values by spans: the inputs first, by slot; then constants, parameters and the date; then the
/// computed nodes pass by pass. Every node reads only nodes before it, and every pass's nodes come
/// after those of the passes before.
#[test]
fn nodes_are_in_canonical_order() {
    for slug in STANDARDS {
        let s = duibiao_tests::engine::standard(slug);
        let graph = s.graph();
        for kind in graph.kinds.iter().chain([&graph.overall]) {
            let group = |node: &Node| match node {
                Node::Input(_) => 0,
                Node::Const(_) | Node::Param(_) | Node::AsOf => 1,
                _ => 2,
            };
            let groups: Vec<u8> = kind.nodes.iter().map(group).collect();
            assert!(groups.is_sorted(), "{slug} {}: {groups:?}", kind.name);
            let slots: Vec<usize> = kind
                .nodes
                .iter()
                .filter_map(|n| match n {
                    Node::Input(slot) => Some(*slot),
                    _ => None,
                })
                .collect();
            assert!(
                slots.is_sorted(),
                "{slug} {}: input slots {slots:?}",
                kind.name
            );
            for (i, node) in kind.nodes.iter().enumerate() {
                node.for_each_operand(|o| {
                    assert!((o as usize) < i, "{slug} {}: node {i} reads {o}", kind.name)
                });
            }
            let passes: Vec<(usize, u32)> = (0..)
                .zip(&kind.strata)
                .flat_map(|(p, nodes)| nodes.iter().map(move |&n| (p, n)))
                .filter(|&(_, n)| group(&kind.nodes[n as usize]) == 2)
                .collect();
            let mut by_node = passes.clone();
            by_node.sort_by_key(|&(_, n)| n);
            assert_eq!(passes, by_node, "{slug} {}: passes out of order", kind.name);
        }
    }
}

/// A forest built by hand whose units do not follow their kinds' containment (a 社区 under a
/// 社区, right before it in bottom-up order, whose 小区 the outer one then counts) is still
/// evaluated descendants first, as unit by unit: a run never holds a unit and its parent.
#[test]
fn a_forest_against_containment_is_evaluated_in_order() {
    let s = compiled();
    let loaded = s.generated(300, 5);
    let mut units = loaded.tree.units.clone();
    let kind = s.graph().kinds.iter().position(|k| k.name == "社区");
    let communities: Vec<usize> = (0..units.len())
        .filter(|&u| Some(units[u].kind as usize) == kind)
        .collect();
    assert!(communities.len() > 2);
    // The first 社区 moves under the last, as its first child: right before it in bottom-up
    // order (the reversed pre-order); the last keeps its parent.
    units[communities[0]].parent = communities.last().map(|&c| u32::try_from(c).unwrap());
    let tree = UnitTree::new(units);
    let ctx = s.context(&loaded);
    let by_unit = evaluate_in_order(s.graph(), &tree, &ctx);
    let evaluated = duibiao_engine::evaluate(s.graph(), &tree, &ctx);
    assert!(by_unit == evaluated);
}
