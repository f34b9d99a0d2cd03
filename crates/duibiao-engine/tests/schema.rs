//! The JSON Schemas of the output types describe what the engine writes: for every standard's
//! demo facts, the outcome with detail, unit summaries, the progress report, a diff and gap plans
//! validate against the schemas of their types, as deserialized (fields that may be left out) and
//! as serialized (fields always written).
//!
//! The validator is small and strict: it knows the keywords schemars writes for these types and
//! fails on any other, so a schema it does not understand is never passed by ignoring it.
#![allow(clippy::panic)] // Test helpers fail the test by panicking.

use duibiao_compiler::graph::Graph;
use duibiao_engine::diff::{diff, Diff};
use duibiao_engine::gap::{plan, Plan};
use duibiao_engine::outcome::{unit_summary, UnitSummary};
use duibiao_engine::progress::{progress, Progress};
use duibiao_engine::{evaluate, load, outcome, Context, MissingParam, Outcome};
use schemars::generate::SchemaSettings;
use schemars::JsonSchema;
use serde_json::{json, Map, Value};

/// Every standard of the repository.
const STANDARDS: [&str; 6] = [
    "chunjiang-365",
    "haiyan-2021",
    "jiaxing-2016",
    "quality-2020",
    "shengzhou-2015",
    "zhuji-2018",
];

fn read(rel: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {rel}: {e}"))
}

fn graph(slug: &str) -> Graph {
    let compiled = duibiao_compiler::compile(&read(&format!("standards/{slug}.std")));
    compiled
        .graph
        .unwrap_or_else(|| panic!("{slug} does not compile: {:?}", compiled.diagnostics))
}

/// The schemas of `T`, as deserialized and as serialized.
fn schemas<T: JsonSchema>() -> [(&'static str, Value); 2] {
    let of = |settings: SchemaSettings| settings.into_generator().into_root_schema_for::<T>();
    [
        ("deserialize", of(SchemaSettings::draft2020_12()).to_value()),
        (
            "serialize",
            of(SchemaSettings::draft2020_12().for_serialize()).to_value(),
        ),
    ]
}

/// Checks `value` (what `T` serializes to) against both schemas of `T`.
fn check<T: JsonSchema + serde::Serialize>(what: &str, value: &T) {
    let instance = serde_json::to_value(value).unwrap_or_else(|e| panic!("{what}: {e}"));
    for (contract, schema) in schemas::<T>() {
        let mut errors = Vec::new();
        validate(&schema, &schema, &instance, "$", &mut errors);
        assert!(
            errors.is_empty(),
            "{what} does not match its schema ({contract}):\n{}",
            errors.join("\n")
        );
    }
}

/// Keywords that describe and never constrain.
const ANNOTATIONS: [&str; 5] = ["$schema", "title", "description", "$defs", "format"];

/// Validates `v` at `path` against `schema` (`root` holds the `$defs`), collecting errors.
fn validate(root: &Value, schema: &Value, v: &Value, path: &str, errors: &mut Vec<String>) {
    let s = match schema {
        Value::Bool(true) => return,
        Value::Bool(false) => return errors.push(format!("{path}: nothing is allowed here")),
        Value::Object(s) => s,
        other => return errors.push(format!("{path}: not a schema: {other}")),
    };
    for (key, rule) in s {
        match key.as_str() {
            k if ANNOTATIONS.contains(&k) => {}
            "$ref" => {
                let name = rule
                    .as_str()
                    .and_then(|r| r.strip_prefix("#/$defs/"))
                    .unwrap_or_else(|| panic!("{path}: unknown reference {rule}"));
                let target = root
                    .get("$defs")
                    .and_then(|d| d.get(name))
                    .unwrap_or_else(|| panic!("{path}: no definition {name}"));
                validate(root, target, v, path, errors);
            }
            "type" => {
                let types: Vec<&str> = match rule {
                    Value::String(t) => vec![t.as_str()],
                    Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
                    _ => panic!("{path}: bad type {rule}"),
                };
                if !types.iter().any(|t| has_type(v, t)) {
                    errors.push(format!("{path}: {v} is not of type {rule}"));
                }
            }
            "const" if v != rule => errors.push(format!("{path}: {v} is not {rule}")),
            "const" => {}
            "enum" => {
                let allowed = rule.as_array().map_or(&[][..], Vec::as_slice);
                if !allowed.contains(v) {
                    errors.push(format!("{path}: {v} is not one of {rule}"));
                }
            }
            "minimum" => {
                if let (Some(x), Some(min)) = (v.as_f64(), rule.as_f64()) {
                    if x < min {
                        errors.push(format!("{path}: {v} is below {rule}"));
                    }
                }
            }
            "properties" | "required" | "additionalProperties" => {
                if let Value::Object(o) = v {
                    object(root, s, key, o, path, errors);
                }
            }
            "items" | "prefixItems" | "minItems" | "maxItems" => {
                if let Value::Array(a) = v {
                    array(root, s, key, a, path, errors);
                }
            }
            "oneOf" | "anyOf" => {
                let branches = rule.as_array().map_or(&[][..], Vec::as_slice);
                let passing = branches
                    .iter()
                    .filter(|b| {
                        let mut e = Vec::new();
                        validate(root, b, v, path, &mut e);
                        e.is_empty()
                    })
                    .count();
                let ok = if key == "oneOf" {
                    passing == 1
                } else {
                    passing >= 1
                };
                if !ok {
                    errors.push(format!("{path}: {v} matches {passing} branches of {key}"));
                }
            }
            "allOf" => {
                for b in rule.as_array().map_or(&[][..], Vec::as_slice) {
                    validate(root, b, v, path, errors);
                }
            }
            other => panic!("{path}: the validator does not know `{other}` in {schema}"),
        }
    }
}

fn has_type(v: &Value, t: &str) -> bool {
    match t {
        "null" => v.is_null(),
        "boolean" => v.is_boolean(),
        "string" => v.is_string(),
        "array" => v.is_array(),
        "object" => v.is_object(),
        "number" => v.is_number(),
        "integer" => v.is_u64() || v.is_i64(),
        other => panic!("unknown type {other}"),
    }
}

/// One object keyword (`key`) of schema `s`.
fn object(
    root: &Value,
    s: &Map<String, Value>,
    key: &str,
    o: &Map<String, Value>,
    path: &str,
    errors: &mut Vec<String>,
) {
    let properties = s.get("properties").and_then(Value::as_object);
    match key {
        "properties" => {
            for (name, sub) in properties.into_iter().flatten() {
                if let Some(x) = o.get(name) {
                    validate(root, sub, x, &format!("{path}.{name}"), errors);
                }
            }
        }
        "required" => {
            for name in s[key].as_array().into_iter().flatten() {
                let name = name.as_str().unwrap_or_default();
                if !o.contains_key(name) {
                    errors.push(format!("{path}: `{name}` is required and missing"));
                }
            }
        }
        _ => {
            for (name, x) in o {
                if properties.is_some_and(|p| p.contains_key(name)) {
                    continue;
                }
                validate(root, &s[key], x, &format!("{path}.{name}"), errors);
            }
        }
    }
}

/// One array keyword (`key`) of schema `s`.
fn array(
    root: &Value,
    s: &Map<String, Value>,
    key: &str,
    a: &[Value],
    path: &str,
    errors: &mut Vec<String>,
) {
    let prefix = s
        .get("prefixItems")
        .and_then(Value::as_array)
        .map_or(0, Vec::len);
    match key {
        "prefixItems" => {
            for (i, (sub, x)) in s[key].as_array().into_iter().flatten().zip(a).enumerate() {
                validate(root, sub, x, &format!("{path}[{i}]"), errors);
            }
        }
        "items" => {
            for (i, x) in a.iter().enumerate().skip(prefix) {
                validate(root, &s[key], x, &format!("{path}[{i}]"), errors);
            }
        }
        "minItems" if (a.len() as u64) < s[key].as_u64().unwrap_or(0) => {
            errors.push(format!("{path}: fewer than {} items", s[key]));
        }
        "maxItems" if a.len() as u64 > s[key].as_u64().unwrap_or(u64::MAX) => {
            errors.push(format!("{path}: more than {} items", s[key]));
        }
        _ => {}
    }
}

#[test]
fn outputs_match_their_schemas() {
    for slug in STANDARDS {
        let graph = graph(slug);
        let text = read(&format!("standards/{slug}/demo.json"));
        let (facts, errors) = load(&graph, &text, &Default::default());
        assert!(errors.is_empty(), "{slug}: {errors:?}");
        let ctx = Context::new(&graph, &facts.params, facts.as_of)
            .unwrap_or_else(|e| panic!("{slug}: {e:?}"));
        let eval = evaluate(&graph, &facts.tree, &ctx);
        let fingerprint = "sha256:0";
        let out = outcome(&graph, fingerprint, &facts.tree, &eval, &ctx, true);
        check::<Outcome>(&format!("{slug}: outcome"), &out);
        for u in 0..facts.tree.units.len() {
            let summary = unit_summary(&graph, &facts.tree, &eval, u);
            check::<UnitSummary>(&format!("{slug}: summary {u}"), &summary);
        }
        let as_of = facts
            .as_of
            .unwrap_or_else(|| panic!("{slug}: the demo has no as_of"));
        let report = progress(&graph, fingerprint, &facts.tree, &facts.params, as_of)
            .unwrap_or_else(|e| panic!("{slug}: {e:?}"));
        check::<Progress>(&format!("{slug}: progress"), &report);
        // A diff with something in every field: the demo against itself with every unit's
        // scores and tiers moved, one unit removed and one added.
        let mut after = out.clone();
        for u in &mut after.units {
            u.score = Some("1".into());
            u.tier = None;
            for verdict in u.tiers.values_mut() {
                *verdict = duibiao_engine::Verdict::Unknown;
            }
        }
        if let Some(first) = after.units.first_mut() {
            first.id = "NEW".into();
        }
        let d = diff(&out, &after, Some((&report, &report)));
        assert!(!d.changed.is_empty() && !d.added.is_empty(), "{slug}");
        check::<Diff>(&format!("{slug}: diff"), &d);
        for (u, unit) in facts.tree.units.iter().enumerate() {
            let kind = &graph.kinds[unit.kind as usize];
            if let Some(top) = kind.tiers.last() {
                let p = plan(&graph, &ctx, &facts.tree, u, top.node);
                check::<Plan>(&format!("{slug}: plan of {}", unit.id), &p);
            }
        }
    }
}

#[test]
fn missing_parameters_match_their_schema() {
    for text in [
        json!({"name": "x", "clause": "第三条", "why": "not_supplied"}),
        json!({"name": "x", "clause": null, "why": "no_date"}),
        json!({"name": "x", "clause": null, "why": {"not_on": "2021-12-31"}}),
    ] {
        let m: MissingParam =
            serde_json::from_value(text.clone()).unwrap_or_else(|e| panic!("{e}"));
        check(&text.to_string(), &m);
    }
}

/// The validator rejects what does not match (it is no rubber stamp).
#[test]
fn the_validator_rejects_mismatches() {
    let [(_, schema), _] = schemas::<MissingParam>();
    for bad in [
        json!({"name": 1, "why": "no_date"}),
        json!({"name": "x", "why": "sometimes"}),
        json!({"name": "x", "why": {"not_on": 3}}),
        json!({"name": "x"}),
        json!({"name": "x", "why": {"not_on": "2021-12-31", "also": 1}}),
    ] {
        let mut errors = Vec::new();
        validate(&schema, &schema, &bad, "$", &mut errors);
        assert!(!errors.is_empty(), "{bad} passed");
    }
    let [(_, schema), _] = schemas::<Diff>();
    let mut errors = Vec::new();
    let bad = json!({"added": [], "removed": [], "changed": [
        {"id": "a", "kind": "k", "score": ["1"], "tiers": {}, "conditions": {"t": ["pass", "maybe"]}}
    ], "targets": []});
    validate(&schema, &schema, &bad, "$", &mut errors);
    assert_eq!(errors.len(), 2, "{errors:?}");
}

/// Outcomes with records (the points example) match their schemas: the records an aggregate
/// counted, and a record's own outcome with its fields.
#[test]
fn outcomes_with_records_match_their_schemas() {
    let compiled = duibiao_compiler::compile(&read("docs/tutorial/points-demo.std"));
    let graph = compiled.graph.expect("the points example compiles");
    let (facts, errors) = load(
        &graph,
        &read("docs/tutorial/points-demo.json"),
        &Default::default(),
    );
    assert!(errors.is_empty(), "{errors:?}");
    let ctx = Context::new(&graph, &facts.params, facts.as_of).expect("no open parameters");
    let eval = evaluate(&graph, &facts.tree, &ctx);
    let out = outcome(&graph, "sha256:0", &facts.tree, &eval, &ctx, true);
    check::<Outcome>("points-demo: outcome", &out);
    let listed = serde_json::to_value(&out).expect("an outcome serializes");
    assert!(
        listed.to_string().contains("\"records\":{\"A#1\""),
        "{listed}"
    );
    let record = facts.tree.find("A#1").expect("the first record of A");
    let own = duibiao_engine::unit_outcome(&graph, &facts.tree, &eval, record, true);
    assert!(own.record.is_some());
    check::<duibiao_engine::UnitOutcome>("points-demo: a record's outcome", &own);
}
