//! The random single-score changes the incremental step applies: each kind's score slots and a
//! new value for one of them.

use duibiao::generate::Rng;
use duibiao_compiler::graph::InputOrigin;
use duibiao_compiler::{Graph, Value};
use duibiao_engine::incremental::Live;

/// The score slots of each kind: slot and the most points, in halves.
pub(super) fn score_slots(graph: &Graph) -> Vec<Vec<(usize, u64)>> {
    graph
        .kinds
        .iter()
        .map(|k| {
            k.inputs
                .iter()
                .enumerate()
                .filter_map(|(slot, i)| match &i.origin {
                    InputOrigin::Points { max } => {
                        let halves = max.to_string().parse::<f64>().ok()? * 2.0;
                        (halves >= 1.0).then_some((slot, halves.floor() as u64))
                    }
                    InputOrigin::Fact => None,
                })
                .collect()
        })
        .collect()
}

/// `halves / 2` as a facts-file number.
pub(super) fn points(halves: u64) -> String {
    if halves & 1 == 0 {
        (halves / 2).to_string()
    } else {
        format!("{}.5", halves / 2)
    }
}

/// A random single-score change to `live`: the assignment `ID.KEY=VALUE`, the unit, the slot
/// and the new value in halves (always another value than the unit has).
pub(super) fn change(
    live: &Live,
    graph: &Graph,
    slots: &[Vec<(usize, u64)>],
    rng: &mut Rng,
) -> Result<(String, usize, usize, u64), String> {
    let tree = live.tree();
    let mut pick = None;
    for _ in 0..10_000 {
        let u = rng.below(tree.units.len() as u64) as usize;
        let kind = tree.units.get(u).map_or(0, |x| x.kind as usize);
        if let Some(ks) = slots.get(kind).filter(|s| !s.is_empty()) {
            let (slot, most) = ks[rng.below(ks.len() as u64) as usize];
            pick = Some((u, slot, most));
            break;
        }
    }
    let (u, slot, most) = pick.ok_or("found no scored unit to change")?;
    let unit = &tree.units[u];
    let now = match unit.inputs.get(slot) {
        Some(Value::Num(d)) => d.to_string().parse::<f64>().ok(),
        _ => None,
    };
    let mut halves = rng.below(most + 1);
    if now == Some(halves as f64 / 2.0) {
        halves = (halves + 1) % (most + 1);
    }
    let key = &graph.kinds[unit.kind as usize].inputs[slot].key;
    Ok((
        format!("{}.{key}={}", unit.id, points(halves)),
        u,
        slot,
        halves,
    ))
}
