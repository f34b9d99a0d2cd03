//! The fingerprint of a compiled standard: a SHA-256 of its canonical form, so that an archived
//! outcome can be traced to the exact rules that produced it. The canonical form is the graph
//! serialized as JSON without source positions, so re-formatting a `.std` file keeps its
//! fingerprint while any change to a rule, a number or a citation changes it.

use crate::graph::Graph;
use sha2::{Digest, Sha256};

/// Removes what depends on layout rather than on the rules: source positions, and expressions
/// as written (`score>=75` and `score >= 75` are the same rule, held by the same nodes).
fn strip_spans(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::Object(map) => {
            map.shift_remove("span");
            map.shift_remove("expr");
            map.values_mut().for_each(strip_spans);
        }
        serde_json::Value::Array(xs) => xs.iter_mut().for_each(strip_spans),
        _ => {}
    }
}

/// The canonical form of a graph: JSON, keys in declaration order, source positions removed.
pub fn canonical(graph: &Graph) -> String {
    let mut v = serde_json::to_value(graph).unwrap_or(serde_json::Value::Null);
    strip_spans(&mut v);
    v.to_string()
}

/// `sha256:` followed by the hex SHA-256 of the canonical form.
pub fn fingerprint(graph: &Graph) -> String {
    let digest = Sha256::digest(canonical(graph).as_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}
