//! Records as explanations name them: a record counted by its owner's aggregate, shown by its
//! fields (its date, points and reason) rather than by its id alone.

use super::{show, RecordFields};
use crate::tree::UnitTree;
use duibiao_compiler::graph::Graph;
use duibiao_compiler::{Dim, Lang, Type, Value};
use indexmap::IndexMap;

/// The fields of unit `sub` when it is a record: its inputs as shown (points signed, `+2分`),
/// then its texts; `None` for a field not given. `None` for a unit that is no record.
pub(super) fn record_fields(graph: &Graph, tree: &UnitTree, sub: usize) -> Option<RecordFields> {
    let unit = tree.units.get(sub)?;
    let kind = graph.kinds.get(unit.kind as usize)?;
    kind.record.as_ref()?;
    let mut fields = IndexMap::new();
    for (slot, input) in kind.inputs.iter().enumerate() {
        let v = unit.inputs.get(slot).unwrap_or(Value::Unknown);
        let shown = show(graph, v, input.ty, Lang::En).map(|s| match (input.ty, v) {
            (Type::Num(Dim::Points), Value::Num(n)) if n.is_sign_positive() && !n.is_zero() => {
                format!("+{s}")
            }
            _ => s,
        });
        fields.insert(input.key.clone(), shown);
    }
    for (field, text) in kind.texts.iter().enumerate() {
        let given = tree.texts.get(&unit.id, field).map(str::to_string);
        fields.insert(text.key.clone(), given);
    }
    Some(RecordFields {
        kind: kind.name.clone(),
        fields,
    })
}
