//! Shared by the tests: the engine's and the reference's results in one comparable form, and
//! forests to compare them on.

#![allow(dead_code, clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use duibiao::Standard;
use duibiao_reference::haiyan::{self, Forest, Tier, UnitResult};
use rust_decimal::Decimal;
use serde_json::{json, Value};
use std::str::FromStr;
use std::sync::OnceLock;

/// The compiled haiyan-2021 standard (compiled once per test binary).
pub fn standard() -> &'static Standard {
    static STD: OnceLock<Standard> = OnceLock::new();
    STD.get_or_init(|| duibiao_tests::standard("haiyan-2021"))
}

/// What is compared per unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub id: String,
    pub score: Option<Decimal>,
    pub standard: &'static str,
    pub demonstration: &'static str,
    pub tier: Option<String>,
}

fn word(v: duibiao::Verdict) -> &'static str {
    match v {
        duibiao::Verdict::Pass => "pass",
        duibiao::Verdict::Fail => "fail",
        duibiao::Verdict::Unknown => "unknown",
    }
}

/// The engine's results: `load_facts` (problems ignored, as the reference ignores them) and
/// `evaluate`.
pub fn engine(text: &str) -> Vec<Row> {
    let std = standard();
    let (facts, _errors) = std.load_facts(text);
    let outcome = std
        .evaluate(&facts, &duibiao::Options::new())
        .unwrap_or_else(|e| panic!("engine: {e:?}"));
    outcome
        .units
        .iter()
        .map(|u| Row {
            id: u.id.clone(),
            score: u
                .score
                .as_deref()
                .map(|s| Decimal::from_str(s).unwrap_or_else(|e| panic!("score {s}: {e}"))),
            standard: word(u.tiers["标准型"]),
            demonstration: word(u.tiers["示范型"]),
            tier: u.tier.clone(),
        })
        .collect()
}

fn row(r: &UnitResult<'_>) -> Row {
    Row {
        id: r.id.to_string(),
        score: r.score.map(|s| s.normalize()),
        standard: r.verdict(Tier::Standard).word(),
        demonstration: r.verdict(Tier::Demonstration).word(),
        tier: r.tier.map(|t| t.name().to_string()),
    }
}

/// The reference's results from the JSON text.
pub fn reference(text: &str) -> Vec<Row> {
    let forest = Forest::from_json(text).unwrap_or_else(|e| panic!("reference: {e}"));
    haiyan::evaluate_forest(&forest, &forest.params)
        .iter()
        .map(row)
        .collect()
}

/// The reference's results from the parsed JSON value.
pub fn reference_value(value: &Value) -> Vec<Row> {
    haiyan::evaluate(value).iter().map(row).collect()
}

/// Panics with the first unit on which the two differ, and the facts.
pub fn assert_same(what: &str, engine: &[Row], reference: &[Row], facts: &str) {
    if engine == reference {
        return;
    }
    let ids = |rows: &[Row]| rows.iter().map(|r| r.id.clone()).collect::<Vec<_>>();
    if engine.len() != reference.len() {
        panic!(
            "{what}: engine has {} units, reference {}\nengine:    {:?}\nreference: {:?}\nfacts: {facts}",
            engine.len(),
            reference.len(),
            ids(engine),
            ids(reference)
        );
    }
    let (e, r) = engine
        .iter()
        .zip(reference)
        .find(|(e, r)| e != r)
        .expect("a difference");
    panic!(
        "{what}: unit {} differs\nengine:    {e:?}\nreference: {r:?}\nfacts: {facts}",
        e.id
    );
}

/// Compares the engine with the reference (from the text and from the value) on one facts file.
pub fn compare(what: &str, facts: &Value) {
    let text = facts.to_string();
    let e = engine(&text);
    assert_same(what, &e, &reference(&text), &text);
    assert_same(
        &format!("{what} (from a Value)"),
        &e,
        &reference_value(facts),
        &text,
    );
}

/// Several generated forests in one file, each unit's id and parent prefixed with `F<i>_`.
pub fn merged(forests: &[Value]) -> Value {
    let mut units = Vec::new();
    for (i, f) in forests.iter().enumerate() {
        for u in f["units"].as_array().expect("units") {
            let mut u = u.clone();
            u["id"] = json!(format!("F{i}_{}", u["id"].as_str().expect("id")));
            if let Some(p) = u["parent"].as_str() {
                u["parent"] = json!(format!("F{i}_{p}"));
            }
            units.push(u);
        }
    }
    json!({"standard": "haiyan-2021", "as_of": "2021-12-31", "units": units})
}

/// A forest of generated streets with at least `n` units (missing data `missing`%).
pub fn big_forest(n: usize, missing: u64) -> Value {
    let std = standard();
    let mut forests = Vec::new();
    let mut count = 0;
    let mut seed = 1u64;
    while count < n {
        let f = duibiao_tests::generate::forest(std, seed, missing);
        count += f["units"].as_array().map_or(0, Vec::len);
        forests.push(f);
        seed += 1;
    }
    merged(&forests)
}

/// Points for every part of `kind` adding up to `total` (parts at their maximum, the shortfall
/// taken from the last parts); `None` leaves out every part, so the score is unknown and may be
/// anything from 0 to full points (with one part left out, the others would decide the tiers).
pub fn scores(kind: haiyan::Kind, total: Option<&str>) -> Value {
    let Some(total) = total else {
        return json!({});
    };
    let parts = kind.parts();
    let full: Decimal = parts.iter().map(|(_, m)| Decimal::from(*m)).sum();
    let mut short = full - Decimal::from_str(total).expect("total");
    let mut out = serde_json::Map::new();
    for (key, max) in parts.iter().rev() {
        let max = Decimal::from(*max);
        let take = short.min(max);
        short -= take;
        let p = (max - take).normalize().to_string();
        out.insert(key.to_string(), serde_json::from_str(&p).expect("number"));
    }
    out.reverse_entries();
    Value::Object(out)
}

trait Reverse {
    fn reverse_entries(&mut self);
}

impl Reverse for serde_json::Map<String, Value> {
    fn reverse_entries(&mut self) {
        let entries: Vec<(String, Value)> = std::mem::take(self).into_iter().collect();
        self.extend(entries.into_iter().rev());
    }
}

/// One unit with scores adding up to `total` (`None`: none reported) and `facts`.
pub fn unit(
    id: &str,
    kind: haiyan::Kind,
    parent: Option<&str>,
    total: Option<&str>,
    facts: Value,
) -> Value {
    json!({"id": id, "kind": kind.name(), "parent": parent, "scores": scores(kind, total), "facts": facts})
}

/// A facts file of `units`.
pub fn file(units: Vec<Value>) -> Value {
    json!({"standard": "haiyan-2021", "as_of": "2021-12-31", "units": units})
}
