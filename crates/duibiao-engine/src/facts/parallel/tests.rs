//! The parallel load against the serial one: on generated files (strings holding `},{`, escapes,
//! nested values, repeated ids, parents across parts and forward, problems anywhere, the file's
//! fields before and after `units`), 2 to 8 parts of tiny files give exactly the serial facts and
//! problems, and clean files are loaded in parallel rather than given way.

use super::super::{load_serial, Facts, FactsError, FactsLimits};

use duibiao_compiler::graph::Graph;
use proptest::prelude::*;

const STANDARD: &str = r#"
standard par-test { title "parallel" }
kind 镇 contains 村
kind 村
facts 村 {
  户数: int
  达标: bool
}
scorecard 村 total 10 {
  item 1 "综合" max 10分
}
param 下限: int = 1 "下限"
"#;

pub(in crate::facts) fn graph() -> Graph {
    duibiao_compiler::compile(STANDARD).graph.unwrap()
}

/// The parallel load in `parts` parts, given way to the serial one as [`super::super::load`]
/// does, and whether it gave way.
fn parallel(graph: &Graph, text: &str, limits: &FactsLimits, parts: usize) -> (bool, Loaded) {
    match super::load(graph, text, limits, parts, 0) {
        Some(loaded) => (false, loaded),
        None => (true, load_serial(graph, text, limits)),
    }
}

pub(in crate::facts) type Loaded = (Facts, Vec<FactsError>);

/// Asserts that two loads are the same: units, every id found at the same unit, texts, date,
/// parameter values and problems.
pub(in crate::facts) fn assert_same(got: &Loaded, want: &Loaded, text: &str) {
    let ((facts, errors), (serial, serial_errors)) = (got, want);
    assert_eq!(errors, serial_errors, "{text}");
    assert_eq!(facts.tree.units, serial.tree.units, "{text}");
    for unit in &serial.tree.units {
        assert_eq!(
            facts.tree.find(&unit.id),
            serial.tree.find(&unit.id),
            "{text}"
        );
    }
    assert_eq!(facts.tree.find("none"), None);
    assert_eq!(facts.tree.bottom_up(), serial.tree.bottom_up(), "{text}");
    assert_eq!(facts.tree.texts, serial.tree.texts, "{text}");
    assert_eq!(facts.as_of, serial.as_of, "{text}");
    assert_eq!(facts.params, serial.params, "{text}");
}

/// Names and values with what looks like structure: boundaries, escapes, braces.
pub(in crate::facts) const TRICKY: [&str; 8] = [
    r#""},{""#,
    r#""a }, { b""#,
    r#""\"}, {\"id\": \"x\"""#,
    r#""\\""#,
    r#""\u4e2d}\n,\t{""#,
    r#""{\"x\":1}""#,
    r#""村},""#,
    r#""普通""#,
];

/// What may follow a unit before the next one.
pub(in crate::facts) const SEPARATORS: [&str; 4] = [",", ", ", ",\n  ", "\n ,\n\t"];

/// One unit's text, but for its id: its kind, parent among `n` units, name, facts and scores,
/// any of which may be a problem (an unknown kind, a missing parent, a wrong type, a nested
/// value, an unknown field, a field given twice); or a unit that is not an object. With it, the
/// id it has rather than its own (`u` and its place), now and then: another unit's, or wrong.
pub(in crate::facts) fn any_unit(n: usize) -> impl Strategy<Value = (Option<String>, String)> {
    let id = prop_oneof![
        40 => Just(None),
        2 => (0..n).prop_map(|i| Some(format!("\"u{i}\""))),
        1 => Just(Some("7".to_string())),
        1 => Just(Some(r#""u\u0031""#.to_string())),
    ];
    let kind = prop_oneof![4 => Just("镇"), 8 => Just("村"), 1 => Just("乡")];
    let parent = prop_oneof![
        3 => Just(String::new()),
        1 => Just(r#", "parent": null"#.to_string()),
        6 => (0..n).prop_map(|i| format!(r#", "parent": "u{i}""#)),
        1 => Just(r#", "parent": "missing""#.to_string()),
    ];
    let name = prop_oneof![
        2 => Just(String::new()),
        2 => Just(r#", "name": "名称""#.to_string()),
        1 => (0..TRICKY.len()).prop_map(|i| format!(r#", "name": {}"#, TRICKY[i])),
    ];
    let odd = prop_oneof![
        Just("null".to_string()),
        (0..TRICKY.len()).prop_map(|i| TRICKY[i].to_string()),
        Just(r#"{"a": {"b": "},{"}}"#.to_string()),
        Just("[1, {\"c\": 2}]".to_string()),
    ];
    let count = prop_oneof![20 => (0..100i64).prop_map(|v| v.to_string()), 1 => odd.clone()];
    let met = prop_oneof![20 => any::<bool>().prop_map(|b| b.to_string()), 1 => odd];
    let facts = prop_oneof![
        1 => Just(String::new()),
        4 => (count, met).prop_map(|(a, b)| format!(r#", "facts": {{"户数": {a}, "达标": {b}}}"#)),
    ];
    let scores = prop_oneof![
        2 => Just(String::new()),
        2 => (0..10u8).prop_map(|v| format!(r#", "scores": {{"1": {v}.5}}"#)),
    ];
    let extra = prop_oneof![
        40 => Just(String::new()),
        1 => Just(r#", "备注": [{"x": 1}, {"y": "},{"}]"#.to_string()),
        1 => Just(r#", "kind": "村""#.to_string()),
    ];
    // A town has no facts nor scores, but now and then.
    let inputs = (facts, scores, prop::bool::weighted(0.05));
    let object = (id, kind, parent, name, inputs, extra).prop_map(
        |(id, kind, parent, name, (facts, scores, any), extra)| {
            let (facts, scores) = match kind == "镇" && !any {
                true => ("", ""),
                false => (facts.as_str(), scores.as_str()),
            };
            let rest = format!(r#", "kind": "{kind}"{parent}{name}{facts}{scores}{extra}}}"#);
            (id, rest)
        },
    );
    prop_oneof![
        60 => object,
        1 => Just((Some(String::new()), "3".to_string())),
        1 => Just((Some(String::new()), "[]".to_string())),
    ]
}

/// A facts file of `units`, the file's fields placed before or after them (`after` of them),
/// cut or spoiled at `spoil` when given.
pub(in crate::facts) fn file(
    units: &[((Option<String>, String), usize)],
    fields: &[&str],
    after: usize,
    spoil: Option<(prop::sample::Index, u8)>,
) -> String {
    let mut array = String::from("[\n  ");
    for (i, ((id, rest), sep)) in units.iter().enumerate() {
        if i > 0 {
            array.push_str(SEPARATORS[*sep % SEPARATORS.len()]);
        }
        match id.as_deref() {
            // Not an object: `rest` is all of it.
            Some("") => array.push_str(rest),
            Some(id) => array.push_str(&format!(r#"{{"id": {id}{rest}"#)),
            None => array.push_str(&format!(r#"{{"id": "u{i}"{rest}"#)),
        }
    }
    array.push_str("\n ]");
    let units = format!(r#""units": {array}"#);
    let at = after.min(fields.len());
    let all: Vec<&str> = fields[..at]
        .iter()
        .copied()
        .chain([units.as_str()])
        .chain(fields[at..].iter().copied())
        .collect();
    let mut text = format!("{{{}}}", all.join(",\n "));
    if let Some((place, how)) = spoil {
        let mut at = place.index(text.len());
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        match how % 3 {
            0 => text.truncate(at),
            1 => text.insert(at, '}'),
            _ => text.insert_str(at, ", "),
        }
    }
    text
}

/// The file's own fields, each at most once, and now and then a wrong one among them.
pub(in crate::facts) fn any_fields() -> impl Strategy<Value = Vec<&'static str>> {
    let right = [
        r#""standard": "par-test""#,
        r#""as_of": "2021-12-31""#,
        r#""params": {"下限": 2}"#,
    ];
    let wrong = prop_oneof![
        Just(r#""standard": "other""#),
        Just(r#""as_of": "2021-13-01""#),
        Just(r#""params": {"上限": 2}"#),
        Just(r#""units": []"#),
        Just(r#""note": "\"units\": [""#),
        Just(r#""a\"units": [1, {"b": 2}]"#),
    ];
    let wrong = prop::option::weighted(0.2, (wrong, any::<prop::sample::Index>()));
    (prop::sample::subsequence(right.to_vec(), 0..=3), wrong).prop_map(|(mut fields, wrong)| {
        if let Some((field, at)) = wrong {
            fields.insert(at.index(fields.len() + 1), field);
        }
        fields
    })
}

/// Any file of up to 12 units, any of them and the file's fields a problem now and then (see
/// [`any_unit`], [`any_fields`]), cut or spoiled somewhere now and then.
pub(in crate::facts) fn any_file() -> impl Strategy<Value = String> {
    let units = (0usize..12)
        .prop_flat_map(|n| prop::collection::vec((any_unit(n.max(1)), 0..SEPARATORS.len()), n));
    let spoil = prop::option::weighted(0.15, (any::<prop::sample::Index>(), any::<u8>()));
    (units, any_fields(), 0usize..4, spoil)
        .prop_map(|(units, fields, after, spoil)| file(&units, &fields, after, spoil))
}

/// The default limits, but now and then a limit of 1 to 5 units.
pub(in crate::facts) fn any_limits() -> impl Strategy<Value = FactsLimits> {
    prop::option::weighted(0.2, 1usize..6).prop_map(|few| FactsLimits {
        units: few.unwrap_or(FactsLimits::default().units),
        ..FactsLimits::default()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(600))]

    /// Any file, cut into 2 to 8 parts: the same facts and problems as the serial load.
    #[test]
    fn the_parallel_load_is_the_serial_load(
        text in any_file(),
        parts in 2usize..=8,
        limits in any_limits(),
    ) {
        let graph = graph();
        let want = load_serial(&graph, &text, &limits);
        let (_, got) = parallel(&graph, &text, &limits, parts);
        assert_same(&got, &want, &text);
    }

    /// A file without problems (parents across parts and forward, names and strings holding
    /// braces and escapes) is loaded in parallel, not given way.
    #[test]
    fn a_clean_file_is_loaded_in_parallel(
        units in prop::collection::vec(
            (0usize..64, 0..TRICKY.len(), 0..SEPARATORS.len(), 0i64..100),
            2..40,
        ),
        head in any::<bool>(),
        parts in 2usize..=8,
    ) {
        let graph = graph();
        let text = clean_file(&units, head);
        let limits = FactsLimits::default();
        let want = load_serial(&graph, &text, &limits);
        prop_assert!(want.1.is_empty(), "{:?}", want.1);
        let (gave_way, got) = parallel(&graph, &text, &limits, parts);
        prop_assert!(!gave_way, "{}", text);
        assert_same(&got, &want, &text);
    }
}

/// A file without problems: units of `(parent, name, separator, count)`, every fourth a town,
/// the others villages of any town, before or after (parents across parts and forward, names
/// holding braces and escapes); the file's fields before the units or after them.
pub(in crate::facts) fn clean_file(units: &[(usize, usize, usize, i64)], head: bool) -> String {
    let towns = units.len().div_ceil(4);
    let units: Vec<_> = units
        .iter()
        .enumerate()
        .map(|(i, &(parent, name, sep, n))| {
            // Names holding `},{` may be where a part is cut: those are tried separately.
            let name = if TRICKY[name].contains(',') { "\"村\"" } else { TRICKY[name] };
            // Every fourth unit a town, the others villages of any town, before or after.
            let rest = if i % 4 == 0 {
                format!(r#", "kind": "镇", "name": {name}}}"#)
            } else {
                format!(
                    r#", "kind": "村", "parent": "u{}", "facts": {{"户数": {n}, "达标": {}}}, "scores": {{"1": 7}}}}"#,
                    4 * (parent % towns),
                    n % 2 == 0,
                )
            };
            ((None, rest), sep)
        })
        .collect();
    let fields = [r#""as_of": "2021-12-31""#, r#""params": {"下限": 2}"#];
    file(&units, &fields, if head { 2 } else { 0 }, None)
}

/// `n` towns `t0`, `t1`, … with the given name, one a line.
pub(in crate::facts) fn towns(n: usize, name: &str) -> String {
    let units: Vec<String> = (0..n)
        .map(|i| format!(r#"{{"id": "t{i}", "kind": "镇", "name": "{name}"}}"#))
        .collect();
    format!("{{\"units\": [\n{}\n]}}", units.join(",\n"))
}

/// A unit whose name holds a boundary is read again up to the next one; a part cut inside a
/// string gives way to the serial load.
#[test]
fn a_boundary_inside_a_string_is_read_through_or_given_way() {
    let graph = graph();
    let limits = FactsLimits::default();
    // Ten units, cut in two near the middle: the boundary in the first unit's name is passed.
    let mut text = towns(10, "a");
    text = text.replacen(r#""name": "a""#, r#""name": "x}, {y""#, 1);
    let want = load_serial(&graph, &text, &limits);
    let (gave_way, got) = parallel(&graph, &text, &limits, 2);
    assert!(!gave_way);
    assert_same(&got, &want, &text);
    // One long name holding a boundary past the middle: the second part starts inside it.
    let long = format!("{}}}, {{{}", "p".repeat(400), "q".repeat(40));
    let text = format!(
        r#"{{"units": [{{"id": "a", "kind": "镇"}}, {{"id": "b", "kind": "镇", "name": "{long}"}}]}}"#
    );
    let want = load_serial(&graph, &text, &limits);
    assert!(want.1.is_empty());
    assert!(super::load(&graph, &text, &limits, 2, 0).is_none());
    assert_same(&parallel(&graph, &text, &limits, 2).1, &want, &text);
}

/// Small files, one part, and standards with records or text facts are loaded serially.
#[test]
fn what_is_not_loaded_in_parallel() {
    let graph = graph();
    let limits = FactsLimits::default();
    let text = towns(40, "镇");
    assert!(super::load(&graph, &text, &limits, 2, 0).is_some());
    assert!(super::load(&graph, &text, &limits, 1, 0).is_none());
    assert!(super::load(&graph, &text, &limits, 2, text.len() + 1).is_none());
    let texts = duibiao_compiler::compile(
        "standard t { title \"t\" }\nkind 镇\nfacts 镇 {\n  荣誉: text\n}\n",
    )
    .graph
    .unwrap();
    assert!(super::load(&texts, &text, &limits, 2, 0).is_none());
    // The limit on units counts every part's.
    let few = FactsLimits {
        units: 39,
        ..limits
    };
    assert!(super::load(&graph, &text, &few, 2, 0).is_none());
    let enough = FactsLimits {
        units: 40,
        ..limits
    };
    assert!(super::load(&graph, &text, &enough, 2, 0).is_some());
}

/// A file past the size from which it is loaded in parallel, through [`super::super::load`] on a
/// pool of two threads: the serial load's forest.
#[test]
fn a_large_file_is_loaded_in_parallel_as_serially() {
    let graph = graph();
    let limits = FactsLimits::default();
    let text = towns(super::MIN_BYTES / 40, "一个名字");
    assert!(text.len() >= super::MIN_BYTES);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .unwrap();
    let got = pool.install(|| super::super::load(&graph, &text, &limits));
    let want = load_serial(&graph, &text, &limits);
    assert!(want.1.is_empty());
    assert_same(&got, &want, "the large file");
    assert!(super::load(&graph, &text, &limits, 8, super::MIN_BYTES).is_some());
}
