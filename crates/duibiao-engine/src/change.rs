//! Changes to units' inputs: what-if assignments (`--set UNIT.KEY=VALUE`) and the steps of gap
//! plans. A change names the unit and the key as a facts file does, and its values are written as
//! a facts file writes them, so a plan can be applied with `--set` or pasted into the facts.

use crate::facts::{input_value, plain_input, FactsError, FactsErrorKind};
use crate::tree::UnitTree;
use duibiao_compiler::graph::Graph;
use duibiao_compiler::{Dim, Type, Value};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::str::FromStr;

/// A change to one input of one unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct Change {
    /// The unit's id.
    pub unit: String,
    /// The fact's name or the scored part's key (`6.1`).
    pub key: String,
    /// The value before (`null`: not reported).
    pub from: serde_json::Value,
    /// The value after (`null`: not reported).
    pub to: serde_json::Value,
    /// What the input is, in the standard's words: the scored part's title or the fact's
    /// description, when the standard gives one.
    pub text: Option<String>,
    /// The clause the input is cited from, when it is.
    pub clause: Option<String>,
}

/// A value as a facts file writes it: booleans and numbers as JSON, percentages as `"30%"`,
/// dates and levels as strings, unknown as `null`.
pub fn to_json(graph: &Graph, ty: Type, v: Value) -> serde_json::Value {
    match v {
        Value::Unknown => serde_json::Value::Null,
        Value::Bool(b) => serde_json::Value::Bool(b),
        Value::Date(d) => serde_json::Value::String(d.format("%Y-%m-%d").to_string()),
        Value::Enum(i) => {
            let name = graph.level_name(ty, i).map(str::to_string);
            serde_json::Value::String(name.unwrap_or_else(|| i.to_string()))
        }
        // The point moved, not the value multiplied: a percentage of any size is written.
        Value::Num(n) if ty == Type::Num(Dim::Percent) => serde_json::Value::String(format!(
            "{}%",
            duibiao_compiler::value::percent_text(n, None)
        )),
        Value::Num(n) => serde_json::Number::from_str(&n.normalize().to_string())
            .map(serde_json::Value::Number)
            .unwrap_or(serde_json::Value::Null),
    }
}

/// The change of input `slot` of unit `u` from `old` to `new`.
pub fn describe(
    graph: &Graph,
    tree: &UnitTree,
    u: usize,
    slot: usize,
    old: Value,
    new: Value,
) -> Option<Change> {
    let unit = tree.units.get(u)?;
    let input = graph.kinds.get(unit.kind as usize)?.inputs.get(slot)?;
    Some(Change {
        unit: unit.id.to_string(),
        key: input.key.clone(),
        from: to_json(graph, input.ty, old),
        to: to_json(graph, input.ty, new),
        text: input.source.doc.clone(),
        clause: input.source.cite.as_ref().map(|c| c.clause.clone()),
    })
}

/// Sets input `slot` of unit `u` to `v`, returning the change.
pub fn set_value(
    graph: &Graph,
    tree: &mut UnitTree,
    u: usize,
    slot: usize,
    v: Value,
) -> Option<Change> {
    let old = tree.units.get_mut(u)?.inputs.set(slot, v)?;
    describe(graph, tree, u, slot, old, v)
}

/// Resolves the input `key` of unit `id` and the JSON value `v` (checked as a facts file's
/// would be): unit index, input slot and value.
pub fn resolve(
    graph: &Graph,
    tree: &UnitTree,
    id: &str,
    key: &str,
    v: &serde_json::Value,
) -> Result<(usize, usize, Value), Box<FactsError>> {
    let u = tree.find(id).ok_or_else(|| {
        Box::new(FactsError::new(
            Some(id),
            Some(key),
            FactsErrorKind::UnknownUnit(id.to_string()),
        ))
    })?;
    resolve_at(graph, tree, u, key, v)
}

/// As [`resolve`], for the unit at index `u`.
pub fn resolve_at(
    graph: &Graph,
    tree: &UnitTree,
    u: usize,
    key: &str,
    v: &serde_json::Value,
) -> Result<(usize, usize, Value), Box<FactsError>> {
    let id = tree.units.get(u).map_or("", |x| &*x.id);
    let err = |kind: FactsErrorKind| Box::new(FactsError::new(Some(id), Some(key), kind));
    let unit = tree
        .units
        .get(u)
        .ok_or_else(|| err(FactsErrorKind::UnknownUnit(id.to_string())))?;
    let kg = &graph.kinds[unit.kind as usize];
    if kg.text(key).is_some() {
        return Err(err(FactsErrorKind::TextSet(key.to_string())));
    }
    let slot = kg.input(key).ok_or_else(|| {
        err(FactsErrorKind::UnknownFact {
            kind: kg.name.clone(),
            key: key.to_string(),
        })
    })?;
    let value = input_value(graph, &kg.inputs[slot], v).map_err(err)?;
    Ok((u, slot, value.unwrap_or(Value::Unknown)))
}

/// What [`resolve_at`] gives for `text` when it is a plain number (no sign, no exponent, at most
/// 19 digits) that input `key` of unit `u` takes as it stands; `None` otherwise, for
/// [`resolve_at`] to read the value and say what is wrong.
pub(crate) fn plain_at(
    graph: &Graph,
    tree: &UnitTree,
    u: usize,
    key: &str,
    text: &str,
) -> Option<(usize, usize, Value)> {
    let kg = graph.kinds.get(tree.units.get(u)?.kind as usize)?;
    let slot = kg.input(key)?;
    Some((u, slot, plain_input(kg.inputs.get(slot)?, text)?))
}

/// Sets the input `key` of unit `id` to the JSON value `v` (checked as a facts file's would be).
pub fn set(
    graph: &Graph,
    tree: &mut UnitTree,
    id: &str,
    key: &str,
    v: &serde_json::Value,
) -> Result<Change, Box<FactsError>> {
    let (u, slot, value) = resolve(graph, tree, id, key, v)?;
    set_value(graph, tree, u, slot, value).ok_or_else(|| {
        Box::new(FactsError::new(
            Some(id),
            Some(key),
            FactsErrorKind::UnknownUnit(id.to_string()),
        ))
    })
}

/// Parses `UNIT.KEY=VALUE` (the unit id may itself contain dots: the longest id that matches
/// wins; VALUE is JSON, or text when it is not JSON; `null` makes the input not reported) into
/// unit index, input slot and value.
pub fn parse_assignment(
    graph: &Graph,
    tree: &UnitTree,
    assignment: &str,
) -> Result<(usize, usize, Value), Box<FactsError>> {
    let syntax = || {
        Box::new(FactsError::new(
            None,
            Some(assignment),
            FactsErrorKind::Shape {
                expected: "`UNIT.KEY=VALUE`".into(),
            },
        ))
    };
    let (target, raw) = assignment.split_once('=').ok_or_else(syntax)?;
    let target = target.trim();
    let unit = tree
        .units
        .iter()
        .map(|u| &*u.id)
        .filter(|id| {
            target.len() > id.len() + 1
                && target.starts_with(id)
                && target[id.len()..].starts_with('.')
        })
        .max_by_key(|id| id.len())
        .map(str::to_string);
    let Some(unit) = unit else {
        // A unit's id with no key after it (`SQ1=5`, `SQ1.=5`) is a malformed assignment, not a
        // unit missing from the data.
        if tree
            .find(target.strip_suffix('.').unwrap_or(target))
            .is_some()
        {
            return Err(syntax());
        }
        let id = target.split('.').next().unwrap_or(target);
        return Err(Box::new(FactsError::new(
            Some(id),
            None,
            FactsErrorKind::UnknownUnit(id.to_string()),
        )));
    };
    let key = &target[unit.len() + 1..];
    let raw = raw.trim();
    let v = serde_json::from_str::<serde_json::Value>(raw)
        .unwrap_or_else(|_| serde_json::Value::String(raw.to_string()));
    resolve(graph, tree, &unit, key, &v)
}

/// Applies `UNIT.KEY=VALUE` (see [`parse_assignment`]), returning the change.
pub fn assign(
    graph: &Graph,
    tree: &mut UnitTree,
    assignment: &str,
) -> Result<Change, Box<FactsError>> {
    let (u, slot, value) = parse_assignment(graph, tree, assignment)?;
    set_value(graph, tree, u, slot, value).ok_or_else(|| {
        Box::new(FactsError::new(
            None,
            Some(assignment),
            FactsErrorKind::UnknownUnit(assignment.to_string()),
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A plain number is read without a JSON reader exactly as through one, for every input of
    /// every kind of the standards; any other text is left to the JSON reader.
    #[test]
    fn a_plain_number_resolves_as_its_json_does() {
        let texts = [
            "8",
            "8.50",
            "0",
            "0.0",
            "10",
            "10.5",
            "100",
            "3.25",
            "01",
            "1.",
            ".5",
            "-1",
            "-0",
            "1e1",
            "2E0",
            "99999999999999999999",
            "true",
            "\"8\"",
            "",
        ];
        let mut taken = 0;
        for name in crate::testing::STANDARDS {
            let (graph, facts) = crate::testing::demo(name);
            let tree = &facts.tree;
            for (u, unit) in tree.units.iter().enumerate() {
                let kg = &graph.kinds[unit.kind as usize];
                for input in &kg.inputs {
                    for text in texts {
                        let Some(plain) = plain_at(&graph, tree, u, &input.key, text) else {
                            continue;
                        };
                        let json = serde_json::from_str(text).unwrap();
                        let read = resolve_at(&graph, tree, u, &input.key, &json);
                        assert_eq!(
                            Ok(plain),
                            read.map_err(|e| e.code),
                            "{text} for {}",
                            input.key
                        );
                        assert!(!text.starts_with(['-', '.']) && !text.contains(['e', 'E']));
                        taken += 1;
                    }
                }
            }
        }
        assert!(taken > 1000, "{taken}");
    }
}
