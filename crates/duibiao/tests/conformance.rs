//! The conformance suite: `conformance/*.json`, requests and the responses they must get, run
//! here through the protocol's runtime (the C ABI and every binding run the same files). Each
//! file is a list of steps, one a line; `"$standard"` and `"$live"` in a request stand for the
//! handle the last `compile` or `live_open` returned. A response must hold everything the
//! expected one holds (`engine`, the engine's version, is not compared).
//!
//! The files are made from the standards' cases, the compile-error corpus and the protocol's
//! own error cases: `DUIBIAO_BLESS=1 cargo test -p duibiao --test conformance` writes them
//! again from what the runtime answers now (read the difference before committing it).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use duibiao::protocol::Runtime;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn sorted_files(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(ext))
        .collect();
    files.sort();
    files
}

/// Replaces `"$standard"` and `"$live"` by the handles.
fn bind(request: &Value, handles: &(u64, u64)) -> Value {
    match request {
        Value::String(s) if s == "$standard" => json!(handles.0),
        Value::String(s) if s == "$live" => json!(handles.1),
        Value::Object(m) => Value::Object(
            m.iter()
                .map(|(k, v)| (k.clone(), bind(v, handles)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(|v| bind(v, handles)).collect()),
        v => v.clone(),
    }
}

/// Whether `actual` holds everything `expected` holds: objects key by key, arrays element by
/// element and of the same length, anything else equal.
fn holds(actual: &Value, expected: &Value, at: &str) -> Result<(), String> {
    match (actual, expected) {
        (Value::Object(a), Value::Object(e)) => e.iter().try_for_each(|(k, ev)| match a.get(k) {
            Some(av) => holds(av, ev, &format!("{at}/{k}")),
            None => Err(format!("{at}/{k}: missing")),
        }),
        (Value::Array(a), Value::Array(e)) if a.len() == e.len() => a
            .iter()
            .zip(e)
            .enumerate()
            .try_for_each(|(i, (av, ev))| holds(av, ev, &format!("{at}/{i}"))),
        _ if actual == expected => Ok(()),
        _ => Err(format!("{at}: expected {expected}, got {actual}")),
    }
}

/// Runs the steps, returning the responses.
fn run(rt: &Runtime, steps: &[Value]) -> Vec<Value> {
    let mut handles = (0, 0);
    steps
        .iter()
        .map(|step| {
            let request = bind(&step["request"], &handles);
            let text = rt.call(&request.to_string());
            let r: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
            if let Some(h) = r["handle"].as_u64() {
                handles.0 = h;
            }
            if let (Some(l), Some("live_open")) = (r["live"].as_u64(), r["call"].as_str()) {
                handles.1 = l;
            }
            r
        })
        .collect()
}

/// Writes a suite file: its name and description, then one step a line.
fn write_suite(name: &str, description: &str, steps: &[Value]) {
    let rt = Runtime::new();
    let responses = run(&rt, steps);
    let lines: Vec<String> = steps
        .iter()
        .zip(responses)
        .map(|(s, mut r)| {
            if let Some(m) = r.as_object_mut() {
                m.remove("engine");
            }
            json!({"request": s["request"], "expect": r}).to_string()
        })
        .collect();
    let text = format!(
        "{{\"name\": {}, \"description\": {},\n\"steps\": [\n{}\n]}}\n",
        json!(name),
        json!(description),
        lines.join(",\n")
    );
    std::fs::write(root().join(format!("conformance/{name}.json")), text).unwrap();
}

/// Writes a suite file of `requests`, one step each.
fn write_requests(name: &str, description: &str, requests: Vec<Value>) {
    let steps: Vec<Value> = requests
        .into_iter()
        .map(|r| json!({"request": r}))
        .collect();
    write_suite(name, description, &steps);
}

fn compile_step(path: &Path) -> Value {
    let file = path
        .strip_prefix(root())
        .unwrap_or(path)
        .to_string_lossy()
        .to_string();
    json!({"request": {"call": "compile", "file": file, "source": read(path)}})
}

/// Makes the suite files again from what the runtime answers now.
fn bless() {
    // The standards' cases: each facts file evaluated, and its first unit explained.
    for std_file in sorted_files(&root().join("standards"), ".std") {
        let slug = std_file.file_stem().unwrap().to_string_lossy().to_string();
        let mut steps = vec![compile_step(&std_file)];
        let cases = root().join(format!("standards/{slug}/cases"));
        for case in sorted_files(&cases, ".json")
            .iter()
            .filter(|p| !p.to_string_lossy().ends_with(".expected.json"))
        {
            let facts: Value = serde_json::from_str(&read(case)).unwrap();
            steps.push(
                json!({"request": {"call": "evaluate", "standard": "$standard", "facts": facts}}),
            );
        }
        let demo: Value =
            serde_json::from_str(&read(&root().join(format!("standards/{slug}/demo.json"))))
                .unwrap();
        if let Some(first) = demo["units"][0]["id"].as_str() {
            steps.push(json!({"request": {"call": "explain", "standard": "$standard", "facts": demo, "unit": first, "options": {"lang": "en"}}}));
        }
        steps.push(json!({"request": {"call": "evaluate", "standard": "$standard", "facts": demo, "options": {"detail": "members"}}}));
        steps
            .push(json!({"request": {"call": "progress", "standard": "$standard", "facts": demo}}));
        steps.push(json!({"request": {"call": "release", "standard": "$standard"}}));
        write_suite(&format!("cases-{slug}"), &format!("every case of standards/{slug}/cases evaluated, the demo explained, evaluated in full and its progress"), &steps);
    }
    // The compile-error corpus.
    let steps: Vec<Value> = sorted_files(&root().join("tests/diagnostics"), ".std")
        .iter()
        .map(|p| compile_step(p))
        .collect();
    write_suite(
        "diagnostics",
        "every file of tests/diagnostics compiled: the problems, with their codes and places",
        &steps,
    );
    // Every call, and the protocol's own problems.
    let haiyan = root().join("standards/haiyan-2021.std");
    let demo: Value =
        serde_json::from_str(&read(&root().join("standards/haiyan-2021/demo.json"))).unwrap();
    let requests = vec![
        json!({"call": "version"}),
        compile_step(&haiyan)["request"].clone(),
        json!({"call": "evaluate", "standard": "$standard", "facts": demo, "options": {"detail": "conditions", "lang": "en"}}),
        json!({"call": "evaluate", "standard": "$standard", "facts": demo, "options": {"set": ["SQ2.6.1=10", {"unit": "XQ33", "key": "一票否决", "value": true}]}}),
        json!({"call": "gap", "standard": "$standard", "facts": demo, "unit": "SQ2", "tier": "示范型"}),
        json!({"call": "diff", "standard": "$standard", "before": demo, "after": {"standard": "haiyan-2021", "as_of": "2021-12-31", "units": [{"id": "SQ9", "kind": "社区"}]}}),
        json!({"call": "template", "standard": "$standard", "kind": "小区"}),
        json!({"call": "schema", "name": "facts"}),
        json!({"call": "live_open", "standard": "$standard", "facts": demo}),
        json!({"call": "live_assign", "live": "$live", "set": ["XQ33.一票否决=true", "XQ33.15.1=10", {"unit": "NOPE", "key": "x", "value": 1}]}),
        json!({"call": "live_unit", "live": "$live", "unit": "XQ33"}),
        json!({"call": "live_close", "live": "$live"}),
        json!({"call": "live_close", "live": "$live"}),
        json!({"call": "fly"}),
        json!({"call": "version", "protocol": 2}),
        json!({"call": "evaluate", "standard": "$standard"}),
        json!({"call": "evaluate", "standard": "one", "facts": {}}),
        json!({"call": "evaluate", "standard": "$standard", "facts": {}, "colour": 1}),
        json!({"call": "evaluate", "standard": "$standard", "facts": {"units": []}, "options": {"detail": "all"}}),
        json!({"call": "evaluate", "standard": "$standard", "facts": {"units": []}, "options": {"params": {"无此参数": 1}}}),
        json!({"call": "evaluate", "standard": "$standard", "facts": {"units": [{"id": "A", "kind": "小区", "scores": {"11.1": 11}}]}, "options": {"set": ["A.11.2=12", "B.x=1", "A.11.1"]}}),
        json!({"call": "evaluate", "standard": "$standard", "facts": {"standard": "jiaxing-2016", "units": [{"id": "A", "kind": "小区", "parent": "B"}, {"id": "B", "kind": "小区", "parent": "A"}], "colour": "red"}}),
        json!({"call": "evaluate", "standard": "$standard", "facts": {"units": [{"id": "", "kind": "小区"}, {"id": " ", "kind": "小区"}, {"id": "A", "kind": "小区", "parent": ""}]}}),
        json!({"call": "template", "standard": "$standard", "kind": "楼栋"}),
        json!({"call": "gap", "standard": "$standard", "facts": {"units": [{"id": "A", "kind": "小区"}]}, "unit": "A", "tier": "金牌"}),
        json!({"call": "explain", "standard": "$standard", "facts": {"units": []}, "unit": "B"}),
        json!({"call": "progress", "standard": "$standard", "facts": {"units": []}}),
        json!({"call": "schema", "name": "everything"}),
        json!({"call": "release", "standard": "$standard"}),
        json!({"call": "release", "standard": "$standard"}),
        json!({"call": "evaluate", "standard": "$standard", "facts": demo}),
    ];
    write_requests("calls", "every call on the haiyan demo, then the protocol's own problems: unknown calls and fields, wrong types, unknown parameters, bad assignments, stale handles", requests);
    // Dated records: the points example, its records' problems, and changes to records live.
    let points = root().join("docs/tutorial/points-demo.std");
    let facts: Value =
        serde_json::from_str(&read(&root().join("docs/tutorial/points-demo.json"))).unwrap();
    let bad = json!({"units": [
        {"id": "Z", "kind": "镇", "积分记录": []},
        {"id": "A", "kind": "支部", "parent": "Z", "积分记录": [{"日期": "2026-02-30", "分值": 1, "事由": 3}, 5, {"备注": "x"}]},
        {"id": "B#1", "kind": "支部", "parent": "Z"}
    ]});
    let requests = vec![
        compile_step(&points)["request"].clone(),
        json!({"call": "evaluate", "standard": "$standard", "facts": facts, "options": {"detail": "members"}}),
        json!({"call": "explain", "standard": "$standard", "facts": facts, "unit": "D", "options": {"lang": "en"}}),
        json!({"call": "template", "standard": "$standard", "kind": "支部"}),
        json!({"call": "template", "standard": "$standard", "kind": "积分记录"}),
        json!({"call": "gap", "standard": "$standard", "facts": facts, "unit": "B", "tier": "优秀"}),
        json!({"call": "evaluate", "standard": "$standard", "facts": bad}),
        json!({"call": "live_open", "standard": "$standard", "facts": facts}),
        json!({"call": "live_assign", "live": "$live", "set": ["C.成立日期=2026-01-01", "B#2.分值=0", "B#1.事由=改过"]}),
        json!({"call": "live_unit", "live": "$live", "unit": "C"}),
        json!({"call": "live_close", "live": "$live"}),
        json!({"call": "release", "standard": "$standard"}),
    ];
    write_requests(
        "records",
        "dated records (docs/language.md §31): the points example evaluated, explained, its template and gap; records' problems (F0002, F0009, F0011, F0019); a record, an owner's fact and a text changed live (F0020)",
        requests,
    );
    // Parameters: a standard that leaves one open.
    let mulin = root().join("docs/tutorial/mulin-2024.std");
    let noparam: Value =
        serde_json::from_str(&read(&root().join("docs/tutorial/noparam.json"))).unwrap();
    let requests = vec![
        compile_step(&mulin)["request"].clone(),
        json!({"call": "evaluate", "standard": "$standard", "facts": noparam}),
        json!({"call": "evaluate", "standard": "$standard", "facts": noparam, "options": {"params": {"社会组织数量要求": "五"}}}),
        json!({"call": "evaluate", "standard": "$standard", "facts": noparam, "options": {"params": {"社会组织数量要求": 3}}}),
    ];
    write_requests(
        "params",
        "a parameter the standard leaves open: missing (P0003), of the wrong type (P0002), given",
        requests,
    );
    // Limits given with `compile`: beyond them, E0007 and F0018; a wrong limit, A0002.
    let mut limited = compile_step(&haiyan)["request"].clone();
    limited["limits"] = json!({"units": 12, "id_chars": 3, "name_chars": 3});
    let mut small = compile_step(&haiyan)["request"].clone();
    small["limits"] = json!({"source_bytes": 1000});
    let mut wrong = compile_step(&haiyan)["request"].clone();
    wrong["limits"] = json!({"units": -1, "rows": 5});
    let requests = vec![
        limited,
        json!({"call": "evaluate", "standard": "$standard", "facts": demo}),
        json!({"call": "release", "standard": "$standard"}),
        small,
        wrong,
    ];
    write_requests(
        "limits",
        "limits given with compile: units beyond them left out, long ids and names (F0018), a source too large (E0007), a wrong limit (A0002)",
        requests,
    );
}

#[test]
fn conformance_suite() {
    if std::env::var_os("DUIBIAO_BLESS").is_some() {
        bless();
    }
    let files = sorted_files(&root().join("conformance"), ".json");
    assert!(files.len() >= 5, "the suite is missing: {files:?}");
    let mut failures = Vec::new();
    let mut steps_run = 0;
    for file in &files {
        let suite: Value = serde_json::from_str(&read(file)).unwrap();
        let steps = suite["steps"].as_array().unwrap();
        let responses = run(&Runtime::new(), steps);
        for (i, (step, r)) in steps.iter().zip(&responses).enumerate() {
            steps_run += 1;
            if let Err(e) = holds(r, &step["expect"], "") {
                failures.push(format!("{} step {i}: {e}", file.display()));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {steps_run} steps failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn the_comparison_can_fail() {
    let actual = json!({"a": [1, {"b": 2, "c": 3}], "d": "x"});
    assert!(holds(&actual, &json!({"a": [1, {"b": 2}]}), "").is_ok());
    assert!(holds(&actual, &json!({"a": [1, {"b": 3}]}), "").is_err());
    assert!(holds(&actual, &json!({"a": [1]}), "").is_err());
    assert!(holds(&actual, &json!({"e": null}), "").is_err());
}
