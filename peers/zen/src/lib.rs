//! The haiyan-2021 per-unit rules as a [zen-engine](https://crates.io/crates/zen-engine) decision
//! graph: the peer the benchmark harness (`crates/duibiao-bench`) compares the duibiao engine
//! with (issue 5).
//!
//! The rules live in the JDM file `haiyan-2021.json` beside this crate's `Cargo.toml` (embedded
//! as [`DECISION`]): the scorecard, the score, the thresholds, the veto and every per-kind tier
//! condition, three-valued. This crate is only the glue a zen user writes around it: it walks
//! the forest bottom-up, passes each unit the tallies of the units below it (the aggregates over
//! sub-units, [`Tally`]) and reads the two verdicts back.
//!
//! The forest is loaded with the hand-written reference's parser (`duibiao-reference`), so that
//! the peer sees exactly the units, parents and values the engine and the reference see.
//!
//! ```
//! let facts = r#"{"units": [
//!     {"id": "XQ", "kind": "小区", "facts": {"一票否决": false}, "scores": {
//!         "11.1": 10, "11.2": 10, "12.1": 10, "12.2": 10, "13.1": 5, "13.2": 5, "13.3": 10,
//!         "14": 20, "15.1": 8, "15.2": 7}}
//! ]}"#;
//! let forest = duibiao_reference::haiyan::Forest::from_json(facts).unwrap();
//! let peer = duibiao_zen_peer::Peer::new().unwrap();
//! let verdicts = peer.evaluate_forest(&forest).unwrap();
//! assert_eq!(duibiao_zen_peer::tiers(&verdicts), "D");
//! ```

use duibiao_reference::haiyan::{Forest, Kind, Params, Tally, Unit, Verdict, KINDS};
use rust_decimal::Decimal;
use std::fmt;
use std::sync::Arc;
use zen_engine::model::DecisionContent;
use zen_engine::{Decision, DecisionEngine, Variable};
use zen_expression::variable::{Symbol, VariableMap};

pub use duibiao_reference::haiyan;

/// The decision graph (JDM), as committed in `haiyan-2021.json`.
pub const DECISION: &str = include_str!("../haiyan-2021.json");

/// What went wrong: the decision does not load, or an evaluation fails or answers something
/// other than two verdicts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeerError(pub String);

impl fmt::Display for PeerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for PeerError {}

/// The verdicts of one unit: 标准型, 示范型.
pub type Verdicts = (Verdict, Verdict);

/// The decision, loaded and compiled once, and the single-threaded executor its evaluations run
/// on (zen-engine's API is `async`; nothing here waits on I/O).
pub struct Peer {
    decision: Decision,
    runtime: tokio::runtime::Runtime,
}

impl fmt::Debug for Peer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Peer").finish_non_exhaustive()
    }
}

impl Peer {
    /// Loads [`DECISION`].
    pub fn new() -> Result<Peer, PeerError> {
        Peer::from_json(DECISION)
    }

    /// Loads a decision graph given as JDM text: parses it, compiles its expressions and tables
    /// once and checks the graph.
    pub fn from_json(jdm: &str) -> Result<Peer, PeerError> {
        let content: DecisionContent = serde_json::from_str(jdm)
            .map_err(|e| PeerError(format!("the decision graph does not load: {e}")))?;
        let mut decision = DecisionEngine::default()
            .create_decision(Arc::new(content))
            .map_err(|e| PeerError(format!("the decision is not a graph: {e:?}")))?;
        decision.compile();
        decision
            .validate()
            .map_err(|e| PeerError(format!("the decision graph is not valid: {e}")))?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .map_err(|e| PeerError(format!("cannot start the executor: {e}")))?;
        Ok(Peer { decision, runtime })
    }

    /// Evaluates one unit, given the tallies of the units below it (by kind) and the parameter
    /// values.
    pub fn evaluate_unit(
        &self,
        unit: &Unit<'_>,
        below: &[Tally; KINDS],
        params: &Params,
    ) -> Result<Verdicts, PeerError> {
        let input = unit_input(unit, below, params);
        let response = self
            .runtime
            .block_on(self.decision.evaluate(input))
            .map_err(|e| PeerError(format!("unit `{}`: the decision failed: {e}", unit.id)))?;
        let verdict = |key: &str| {
            let v = match &response.result {
                Variable::Object(o) => o.borrow().get_str(key).and_then(|v| match v.as_str() {
                    Some("pass") => Some(Verdict::Pass),
                    Some("fail") => Some(Verdict::Fail),
                    Some("unknown") => Some(Verdict::Unknown),
                    _ => None,
                }),
                _ => None,
            };
            v.ok_or_else(|| {
                PeerError(format!(
                    "unit `{}`: the decision answered no `{key}` verdict: {}",
                    unit.id, response.result
                ))
            })
        };
        Ok((verdict("standard")?, verdict("demonstration")?))
    }

    /// Evaluates every unit of `forest` with the file's parameter values, every unit after the
    /// units below it, passing each the tallies of its sub-units as [`haiyan::evaluate_forest`]
    /// does. Results are in the forest's (input) order.
    pub fn evaluate_forest(&self, forest: &Forest<'_>) -> Result<Vec<Verdicts>, PeerError> {
        let units = &forest.units;
        let mut verdicts = vec![(Verdict::Unknown, Verdict::Unknown); units.len()];
        let mut below = vec![[Tally::default(); KINDS]; units.len()];
        for &i in &forest.order {
            let i = i as usize;
            let (Some(unit), Some(tallies)) = (units.get(i), below.get(i)) else {
                continue;
            };
            let tallies = *tallies;
            let (standard, demonstration) = self.evaluate_unit(unit, &tallies, &forest.params)?;
            if let Some(v) = verdicts.get_mut(i) {
                *v = (standard, demonstration);
            }
            // Pass the unit and everything below it up to the parent.
            if let Some(p) = unit.parent.and_then(|p| below.get_mut(p as usize)) {
                for (mine, theirs) in p.iter_mut().zip(tallies.iter()) {
                    mine.add(theirs);
                }
                p[unit.kind as usize].count(standard, demonstration);
            }
        }
        Ok(verdicts)
    }
}

/// One character per unit, in order: `D` 示范型, `S` 标准型 only, `-` neither.
pub fn tiers(verdicts: &[Verdicts]) -> String {
    verdicts
        .iter()
        .map(|&(standard, demonstration)| tier_char(standard, demonstration))
        .collect()
}

/// `D` when 示范型 passes, else `S` when 标准型 passes, else `-`.
pub fn tier_char(standard: Verdict, demonstration: Verdict) -> char {
    if demonstration == Verdict::Pass {
        'D'
    } else if standard == Verdict::Pass {
        'S'
    } else {
        '-'
    }
}

/// The kinds whose units can be below a unit of kind `kind` (`contains`, transitively).
fn kinds_below(kind: Kind) -> impl Iterator<Item = Kind> {
    Kind::ALL.into_iter().filter(move |&k| {
        kind.contains(k) || Kind::ALL.iter().any(|&m| kind.contains(m) && m.contains(k))
    })
}

fn number(n: impl Into<Decimal>) -> Variable {
    Variable::Number(n.into())
}

fn fact(f: Option<bool>) -> Variable {
    f.map_or(Variable::Null, Variable::Bool)
}

fn object<const N: usize>(entries: [(&'static str, Variable); N]) -> Variable {
    let mut map = VariableMap::with_capacity(N);
    for (k, v) in entries {
        map.insert(Symbol::from(k), v);
    }
    Variable::from_object(map)
}

/// The decision's input for one unit (see the `request` node of `haiyan-2021.json`).
fn unit_input(unit: &Unit<'_>, below: &[Tally; KINDS], params: &Params) -> Variable {
    let parts = unit.kind.parts();
    let mut scores = VariableMap::with_capacity(parts.len());
    for ((key, _), points) in parts.iter().zip(&unit.scores) {
        if let Some(p) = points {
            scores.insert(Symbol::from(*key), Variable::Number(*p));
        }
    }
    let mut sub = VariableMap::new();
    for k in kinds_below(unit.kind) {
        let t = &below[k as usize];
        sub.insert(
            Symbol::from(k.name()),
            object([
                ("n", number(t.n)),
                ("standardPass", number(t.standard_pass)),
                ("standardUnknown", number(t.standard_unknown)),
                ("demonstrationPass", number(t.demonstration_pass)),
                ("demonstrationUnknown", number(t.demonstration_unknown)),
            ]),
        );
    }
    object([
        ("kind", Variable::String(Symbol::from(unit.kind.name()))),
        ("scores", Variable::from_object(scores)),
        ("veto", fact(unit.veto)),
        ("effective", fact(unit.effective)),
        ("full", fact(unit.full)),
        ("sub", Variable::from_object(sub)),
        (
            "params",
            object([
                ("一定量标准型社会组织", number(params.standard_orgs)),
                ("一定量示范型社会组织", number(params.demonstration_orgs)),
            ]),
        ),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_below_follow_containment() {
        let below: Vec<Kind> = kinds_below(Kind::Jiedao).collect();
        assert_eq!(
            below,
            [
                Kind::Shequ,
                Kind::Xiaoqu,
                Kind::Louyu,
                Kind::Shangquan,
                Kind::Shehuizuzhi
            ]
        );
        assert_eq!(kinds_below(Kind::Shequ).collect::<Vec<_>>(), [Kind::Xiaoqu]);
        assert_eq!(kinds_below(Kind::Xiaoqu).count(), 0);
    }
}
