//! The round trip of the canonical printer, shared by the syntax crate's tests
//! (`crates/duibiao-syntax/tests/round_trip.rs`) and the workspace's (`tests/tests/canonical.rs`,
//! which includes this file by path): the canonical text of a tree parses back to the same tree,
//! positions aside, and printing it again gives the same text; and random expressions over every
//! form of the grammar to try it on.

use duibiao_syntax::ast::File;
use duibiao_syntax::canonical::print;
use proptest::prelude::*;
use serde_json::Value;

/// The tree as JSON without positions: every `span` field and every span written as a bare
/// `{start, end}` (in tuples such as a type's or an item number's) removed.
pub fn without_spans(file: &File) -> Value {
    fn strip(v: &mut Value) {
        match v {
            Value::Object(map) => {
                map.shift_remove("span");
                map.values_mut().for_each(strip);
            }
            Value::Array(xs) => {
                xs.retain(|x| !is_span(x));
                xs.iter_mut().for_each(strip);
            }
            _ => {}
        }
    }
    fn is_span(v: &Value) -> bool {
        v.as_object()
            .is_some_and(|m| m.len() == 2 && m.contains_key("start") && m.contains_key("end"))
    }
    let mut v = serde_json::to_value(file).unwrap_or_else(|e| panic!("serialize: {e}"));
    strip(&mut v);
    v
}

/// Checks the two properties on one parsed file: the canonical text parses to the same tree
/// (positions aside), and printing that tree again gives the same text.
pub fn round_trip(name: &str, file: &File) {
    let text = print(file);
    let again = duibiao_syntax::parse(&text)
        .unwrap_or_else(|e| panic!("{name}: canonical text does not parse: {e:?}\n{text}"));
    let (a, b) = (without_spans(file), without_spans(&again));
    if a != b {
        let (a, b) = (a.to_string(), b.to_string());
        let at = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
        let from = at.saturating_sub(200);
        panic!(
            "{name}: the canonical text parses to another tree\nbefore: …{}\nafter:  …{}\n{text}",
            a.get(from..(at + 200).min(a.len())).unwrap_or(""),
            b.get(from..(at + 200).min(b.len())).unwrap_or(""),
        );
    }
    assert_eq!(print(&again), text, "{name}: printing is not idempotent");
}

/// Source text of random expressions over every form of the grammar, operands parenthesized at
/// random, so that the trees include the shapes that need parentheses to print.
pub fn expression() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        Just("a".to_string()),
        Just("小区数".to_string()),
        Just("0".to_string()),
        Just("8.50".to_string()),
        Just("007".to_string()),
        Just("30 %".to_string()),
        Just("15万元".to_string()),
        Just("350 m2".to_string()),
        Just("6人".to_string()),
        Just("1年".to_string()),
        Just("6 个月".to_string()),
        Just("2021-6-1".to_string()),
        Just("是".to_string()),
        Just("false".to_string()),
        Just("score".to_string()),
        Just("得分 6.1".to_string()),
        Just("as_of".to_string()),
        Just("peers among 街道".to_string()),
        Just("peers among 街道 of 小区、社区".to_string()),
        Just("peers among all of 小区 where (a > 1)".to_string()),
        Just("rank (score) among 街道 of 小区 where (not a) ties shared".to_string()),
        Just("count 小区".to_string()),
        Just("share direct 小区、社区 at 示范型".to_string()),
    ];
    leaf.prop_recursive(6, 48, 3, |inner| {
        let operand =
            (inner.clone(), any::<bool>()).prop_map(|(e, p)| if p { format!("({e})") } else { e });
        prop_oneof![
            (operand.clone(), 0usize..6, operand.clone()).prop_map(|(a, op, b)| {
                let op = ["+", "-", "*", "/", "×", "÷"][op];
                format!("{a} {op} {b}")
            }),
            (operand.clone(), 0usize..5, operand.clone()).prop_map(|(a, op, b)| {
                let op = [">=", "<", "不少于", "=", "!="][op];
                format!("{a} {op} {b}")
            }),
            (operand.clone(), any::<bool>(), operand.clone())
                .prop_map(|(a, and, b)| { format!("{a} {} {b}", if and { "and" } else { "或" }) }),
            operand.clone().prop_map(|a| format!("not {a}")),
            operand.clone().prop_map(|a| format!("-{a}")),
            (inner.clone(), inner.clone(), inner.clone())
                .prop_map(|(c, t, e)| format!("if {c} then {t} else {e}")),
            (inner.clone(), operand.clone()).prop_map(|(a, b)| format!("min({a}, {b})")),
            inner.clone().prop_map(|a| format!("max({a})")),
            (inner.clone(), inner.clone())
                .prop_map(|(w, o)| format!("sum 小区 where ({w}) of ({o}) ifnone 0")),
            inner
                .clone()
                .prop_map(|v| format!("rank ({v}) ascending among all ties by_id")),
        ]
    })
}
