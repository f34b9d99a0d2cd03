//! The embedding protocol through `Runtime::call`: handles, every call on the haiyan demo, the
//! problem shape of bad requests, stale handles, facts of another standard, and no panic on
//! any request.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use duibiao::protocol::{Request, Runtime};
use proptest::prelude::*;
use serde_json::{json, Value};

fn root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn call(rt: &Runtime, request: &Value) -> Value {
    let text = rt.call(&request.to_string());
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

fn codes(response: &Value) -> Vec<String> {
    response["problems"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| p["code"].as_str().unwrap_or("").to_string())
        .collect()
}

/// Compiles `slug` and returns its handle.
fn compile(rt: &Runtime, slug: &str) -> u64 {
    let r = call(
        rt,
        &json!({"call": "compile", "file": format!("{slug}.std"), "source": read(&format!("standards/{slug}.std"))}),
    );
    assert_eq!(r["ok"], true, "{r}");
    r["handle"]
        .as_u64()
        .unwrap_or_else(|| panic!("no handle: {r}"))
}

#[test]
fn every_call_on_the_demo() {
    let rt = Runtime::new();
    let h = compile(&rt, "haiyan-2021");
    let facts: Value = serde_json::from_str(&read("standards/haiyan-2021/demo.json")).unwrap();

    let v = call(&rt, &json!({"call": "version"}));
    assert_eq!(v["protocol"], 1, "{v}");
    assert!(v["calls"].as_array().is_some_and(|c| c.len() == 14), "{v}");

    let e = call(
        &rt,
        &json!({"call": "evaluate", "standard": h, "facts": facts}),
    );
    assert_eq!(
        (&e["ok"], &e["standard"]),
        (&json!(true), &json!("haiyan-2021")),
        "{e}"
    );
    assert!(e["fingerprint"]
        .as_str()
        .is_some_and(|f| f.starts_with("sha256:")));
    assert_eq!(e["units"].as_array().map(Vec::len), Some(18));
    assert_eq!(e["units"][1]["id"], "SQ1");
    assert_eq!(e["units"][1]["tier"], "示范型");
    // The response deserializes into the typed response.
    let typed: duibiao::protocol::Response<duibiao::protocol::EvaluateBody> =
        serde_json::from_value(e.clone()).unwrap_or_else(|err| panic!("{err}"));
    assert_eq!(
        typed
            .body
            .and_then(|b| b.unit("SQ1").map(|u| u.tier().map(str::to_string))),
        Some(Some("示范型".into()))
    );

    let full = call(
        &rt,
        &json!({"call": "evaluate", "standard": h, "facts": facts, "options": {"detail": "conditions"}}),
    );
    assert!(full["units"][1]["conditions"].is_object(), "{full}");

    let x = call(
        &rt,
        &json!({"call": "explain", "standard": h, "facts": facts, "unit": "SQ3", "options": {"lang": "en"}}),
    );
    assert_eq!(x["unit"]["id"], "SQ3", "{x}");
    assert!(x["text"].as_str().is_some_and(|t| t.contains("SQ3")), "{x}");

    let p = call(
        &rt,
        &json!({"call": "progress", "standard": h, "facts": facts}),
    );
    assert_eq!(p["ok"], true, "{p}");
    assert_eq!(p["as_of"], "2021-12-31");

    let g = call(
        &rt,
        &json!({"call": "gap", "standard": h, "facts": facts, "unit": "SQ3", "tier": "示范型"}),
    );
    assert_eq!(g["reachable"], true, "{g}");
    // The plan, applied as what-if assignments, reaches the tier.
    let set: Vec<Value> = g["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| json!({"unit": c["unit"], "key": c["key"], "value": c["to"]}))
        .collect();
    let again = call(
        &rt,
        &json!({"call": "evaluate", "standard": h, "facts": facts, "options": {"set": set}}),
    );
    let sq3 = again["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["id"] == "SQ3")
        .cloned()
        .unwrap();
    assert_eq!(sq3["tier"], "示范型", "{again}");

    let d = call(
        &rt,
        &json!({"call": "diff", "standard": h, "before": facts, "after": facts}),
    );
    assert_eq!(d["changed"], json!([]), "{d}");

    let t = call(
        &rt,
        &json!({"call": "template", "standard": h, "kind": "社区"}),
    );
    assert_eq!(t["facts"]["units"][0]["kind"], "社区", "{t}");

    for name in ["facts", "request", "response"] {
        let s = call(&rt, &json!({"call": "schema", "name": name}));
        assert!(s["schema"].is_object(), "{s}");
    }

    let o = call(
        &rt,
        &json!({"call": "live_open", "standard": h, "facts": facts}),
    );
    let live = o["live"].as_u64().unwrap_or_else(|| panic!("{o}"));
    assert_eq!(o["units"], 18);
    let a = call(
        &rt,
        &json!({"call": "live_assign", "live": live, "set": ["XQ33.一票否决=true", {"unit": "XQ33", "key": "nope", "value": 1}]}),
    );
    assert_eq!(a["ok"], false, "{a}");
    assert_eq!(codes(&a), ["F0009"], "{a}");
    assert_eq!(a["assigned"].as_array().map(Vec::len), Some(1), "{a}");
    let u = call(
        &rt,
        &json!({"call": "live_unit", "live": live, "unit": "XQ33"}),
    );
    assert_eq!(u["unit"]["vetoes"][0]["fired"], true, "{u}");
    assert_eq!(u["unit"]["tiers"]["示范型"], "fail", "{u}");
    let c = call(&rt, &json!({"call": "live_close", "live": live}));
    assert_eq!(c["ok"], true, "{c}");
    let stale = call(
        &rt,
        &json!({"call": "live_unit", "live": live, "unit": "XQ33"}),
    );
    assert_eq!(codes(&stale), ["A0005"], "{stale}");

    let r = call(&rt, &json!({"call": "release", "standard": h}));
    assert_eq!(r["ok"], true, "{r}");
    let stale = call(
        &rt,
        &json!({"call": "evaluate", "standard": h, "facts": facts}),
    );
    assert_eq!(codes(&stale), ["A0004"], "{stale}");
    let twice = call(&rt, &json!({"call": "release", "standard": h}));
    assert_eq!(codes(&twice), ["A0004"], "{twice}");
}

#[test]
fn bad_requests_are_problems() {
    let rt = Runtime::new();
    let h = compile(&rt, "haiyan-2021");
    let cases: Vec<(String, &[&str])> = vec![
        ("not json".into(), &["A0001"]),
        ("{\"call\": \"version\"} trailing".into(), &["A0001"]),
        ("[]".into(), &["A0002"]),
        ("{}".into(), &["A0002"]),
        (json!({"call": "fly"}).to_string(), &["A0002"]),
        (json!({"call": "version", "protocol": 2}).to_string(), &["A0003"]),
        (json!({"call": "evaluate", "standard": h}).to_string(), &["A0002"]),
        (json!({"call": "evaluate", "standard": "one", "facts": {}}).to_string(), &["A0002"]),
        (json!({"call": "evaluate", "standard": h, "facts": {}, "colour": 1}).to_string(), &["A0002"]),
        (json!({"call": "template", "standard": h, "kind": "楼栋", "facts": {}}).to_string(), &["A0002"]),
        (json!({"call": "evaluate", "standard": h, "facts": {"units": []}, "options": {"detail": "all"}}).to_string(), &["A0002"]),
        (json!({"call": "evaluate", "standard": h, "facts": {"units": []}, "options": {"params": {"无此参数": 1}}}).to_string(), &["P0001"]),
        (json!({"call": "template", "standard": h, "kind": "楼栋"}).to_string(), &["A0007"]),
        (json!({"call": "gap", "standard": h, "facts": {"units": [{"id": "A", "kind": "小区"}]}, "unit": "A", "tier": "金牌"}).to_string(), &["G0001"]),
        (json!({"call": "explain", "standard": h, "facts": {"units": []}, "unit": "B"}).to_string(), &["F0015"]),
        (json!({"call": "progress", "standard": h, "facts": {"units": []}}).to_string(), &["A0010"]),
        (json!({"call": "compile", "source": "kind 小区"}).to_string(), &["E0001"]),
        (json!({"call": "schema", "name": "everything"}).to_string(), &["A0002"]),
    ];
    for (request, want) in cases {
        let r: Value = serde_json::from_str(&rt.call(&request)).unwrap();
        assert_eq!(r["ok"], false, "{request}: {r}");
        assert_eq!(r["protocol"], 1, "{request}: {r}");
        let got = codes(&r);
        assert_eq!(got, want, "{request}: {r}");
        for p in r["problems"].as_array().unwrap() {
            assert!(
                p["message"]["zh"].is_string() && p["message"]["en"].is_string(),
                "{p}"
            );
            let known = duibiao::codes::lookup(p["code"].as_str().unwrap_or(""));
            assert!(known.is_some(), "undocumented code in {p}");
        }
    }
}

#[test]
fn facts_of_another_standard_are_a_problem_not_a_panic() {
    let haiyan = duibiao::Standard::compile("h.std", &read("standards/haiyan-2021.std")).unwrap();
    let zhuji = duibiao::Standard::compile("z.std", &read("standards/zhuji-2018.std")).unwrap();
    let (facts, _) = haiyan.load_facts(&read("standards/haiyan-2021/demo.json"));
    let err = zhuji
        .evaluate(&facts, &duibiao::Options::default())
        .expect_err("facts of another standard");
    assert_eq!(err.0[0].code, "A0006", "{err}");
    assert!(zhuji.live(facts.clone(), &Default::default()).is_err());
    assert!(zhuji.explain(&facts, "SQ1", &Default::default()).is_err());
}

#[test]
fn typed_requests_speak_the_same_protocol() {
    let rt = Runtime::new();
    let compiled = rt.call(
        &Request::<Value>::Compile {
            source: read("standards/haiyan-2021.std"),
            file: None,
            // Every limit written out, at its default.
            limits: Some(duibiao::Limits::new()),
        }
        .to_json()
        .unwrap(),
    );
    let h = serde_json::from_str::<Value>(&compiled).unwrap()["handle"]
        .as_u64()
        .unwrap();
    let facts: Value = serde_json::from_str(&read("standards/haiyan-2021/demo.json")).unwrap();
    let typed: Request = Request::Evaluate {
        standard: h,
        facts: facts.clone(),
        options: Default::default(),
    };
    let a = rt.call(&typed.to_json().unwrap());
    let b = rt.call(&json!({"call": "evaluate", "standard": h, "facts": facts}).to_string());
    assert_eq!(a, b);
}

/// A host thread with a small stack (an application server's `-Xss256k`, a 128 KiB pthread)
/// gets answers to the most deeply nested requests the parser takes, and to facts as deep, never
/// a crash: the runtime grows the stack it runs on when too little is left.
#[test]
fn deep_requests_on_a_small_stack() {
    let rt = Runtime::new();
    let h = compile(&rt, "haiyan-2021");
    let deep = |n: usize| format!("{}1{}", "[".repeat(n), "]".repeat(n));
    let requests = [
        format!(r#"{{"call": "version", "x": {}}}"#, deep(126)),
        format!(
            r#"{{"call": "evaluate", "standard": {h}, "facts": {{"units": {}}}}}"#,
            deep(124)
        ),
        format!(
            r#"{{"call": "evaluate", "standard": {h}, "facts": {}}}"#,
            deep(2000)
        ),
    ];
    let answers: Vec<Value> = std::thread::Builder::new()
        .stack_size(128 * 1024)
        .spawn(move || {
            let mut out: Vec<Value> = requests
                .iter()
                .map(|r| serde_json::from_str(&rt.call(r)).unwrap())
                .collect();
            let text = format!(r#"{{"units": {}}}"#, deep(124));
            out.push(serde_json::from_str(&rt.evaluate_text(h, &text, None)).unwrap());
            out
        })
        .unwrap()
        .join()
        .unwrap();
    for a in &answers {
        assert_eq!(a["ok"], false, "{a}");
        assert!(
            !codes(a).is_empty() && !codes(a).contains(&"A0008".to_string()),
            "{a}"
        );
    }
}

#[test]
fn one_standard_from_many_threads() {
    let rt = std::sync::Arc::new(Runtime::new());
    let h = compile(&rt, "haiyan-2021");
    let request = json!({"call": "evaluate", "standard": h, "facts": serde_json::from_str::<Value>(&read("standards/haiyan-2021/demo.json")).unwrap()}).to_string();
    let first = rt.call(&request);
    let answers: Vec<String> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..8).map(|_| s.spawn(|| rt.call(&request))).collect();
        handles.into_iter().map(|t| t.join().unwrap()).collect()
    });
    assert!(answers.iter().all(|a| *a == first));
}

#[test]
fn committed_schemas_are_current() {
    for name in ["request", "response"] {
        let path = root().join(format!("docs/protocol/{name}.schema.json"));
        let now = serde_json::to_string_pretty(&duibiao::protocol::schema::named(name).unwrap())
            .unwrap()
            + "\n";
        if std::env::var_os("DUIBIAO_BLESS").is_some() {
            std::fs::write(&path, &now).unwrap();
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == now,
            "{} is stale: run `DUIBIAO_BLESS=1 cargo test -p duibiao --test protocol`",
            path.display()
        );
    }
}

#[test]
fn the_error_code_table_is_the_catalogue() {
    let path = root().join("docs/error-codes.md");
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    let rows: Vec<String> = duibiao::codes::CODES
        .iter()
        .map(|c| format!("| `{}` | {} | {} |", c.code, c.zh, c.en))
        .collect();
    for r in &rows {
        assert!(
            text.contains(r.as_str()),
            "docs/error-codes.md lacks the row\n{r}"
        );
    }
    let documented = text.lines().filter(|l| l.starts_with("| `")).count();
    assert_eq!(
        documented,
        rows.len(),
        "docs/error-codes.md has rows for codes the catalogue does not have"
    );
    // Every code the compiler and the loader can produce is in the catalogue.
    for file in [
        "crates/duibiao-compiler/src/diagnostic/messages.rs",
        "crates/duibiao-engine/src/facts/error.rs",
        "crates/duibiao/src/codes.rs",
    ] {
        let src = read(file);
        for (i, _) in src.match_indices('"') {
            let code = src.get(i + 1..i + 6).unwrap_or("");
            let quoted = src.get(i + 6..i + 7) == Some("\"");
            if quoted
                && code.len() == 5
                && code[1..].chars().all(|c| c.is_ascii_digit())
                && "EWFPGA".contains(&code[..1])
            {
                assert!(
                    duibiao::codes::lookup(code).is_some(),
                    "{file}: `{code}` is not in the catalogue"
                );
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    /// Random requests, made of the protocol's own words and values, never panic and always get
    /// a response with the stamp and problems whose codes are documented.
    #[test]
    fn no_request_panics(
        call in prop::sample::select(vec!["version", "compile", "release", "evaluate", "explain", "progress", "gap", "diff", "template", "schema", "live_open", "live_assign", "live_unit", "live_close", "x"]),
        fields in prop::collection::vec((prop::sample::select(vec!["standard", "facts", "before", "after", "unit", "tier", "kind", "name", "live", "set", "options", "source", "file", "protocol", "other"]),
            prop::sample::select(vec![json!(1), json!(2), json!(-1), json!("SQ1"), json!(null), json!([]), json!({}), json!({"units": []}), json!({"units": [{"id": "A", "kind": "小区", "scores": {"11.1": 99}}]}), json!(["A.1=2"]), json!({"detail": "members", "params": {"p": 1}}), json!(1.5e300)])), 0..6),
    ) {
        let rt = Runtime::new();
        let _ = compile(&rt, "haiyan-2021");
        let mut request = serde_json::Map::new();
        request.insert("call".into(), json!(call));
        for (k, v) in fields {
            request.insert(k.into(), v);
        }
        let text = rt.call(&Value::Object(request).to_string());
        let r: Value = serde_json::from_str(&text).unwrap();
        prop_assert_eq!(&r["protocol"], &json!(1));
        for p in r["problems"].as_array().unwrap() {
            prop_assert!(duibiao::codes::lookup(p["code"].as_str().unwrap_or("")).is_some(), "{}", p);
        }
    }
}

/// One call of a random sequence: a call name and a handle to use.
fn step() -> impl Strategy<Value = (&'static str, u64, usize)> {
    (
        prop::sample::select(vec![
            "compile",
            "compile_bad",
            "release",
            "evaluate",
            "explain",
            "progress",
            "gap",
            "diff",
            "template",
            "live_open",
            "live_assign",
            "live_unit",
            "live_close",
            "version",
        ]),
        0u64..6,
        0usize..18,
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    /// Random sequences of calls on one runtime — compiling, releasing, opening and closing live
    /// sessions, and using handles that may be stale or never given — never panic; a handle once
    /// released or closed is never valid again; every response is stamped and every problem
    /// documented.
    #[test]
    fn no_call_sequence_panics(steps in prop::collection::vec(step(), 1..14)) {
        let rt = Runtime::new();
        let source = read("standards/haiyan-2021.std");
        let facts: Value = serde_json::from_str(&read("standards/haiyan-2021/demo.json")).unwrap();
        let ids: Vec<String> = facts["units"].as_array().unwrap().iter().map(|u| u["id"].as_str().unwrap().to_string()).collect();
        let mut gone = std::collections::BTreeSet::new();
        for (call, h, u) in steps {
            let unit = &ids[u];
            let request = match call {
                "compile" => json!({"call": "compile", "source": source}),
                "compile_bad" => json!({"call": "compile", "source": "kind 小区 {"}),
                "release" => json!({"call": "release", "standard": h}),
                "evaluate" => json!({"call": "evaluate", "standard": h, "facts": facts}),
                "explain" => json!({"call": "explain", "standard": h, "facts": facts, "unit": unit}),
                "progress" => json!({"call": "progress", "standard": h, "facts": facts}),
                "gap" => json!({"call": "gap", "standard": h, "facts": facts, "unit": unit, "tier": "示范型"}),
                "diff" => json!({"call": "diff", "standard": h, "before": facts, "after": {"units": []}}),
                "template" => json!({"call": "template", "standard": h, "kind": "社区"}),
                "live_open" => json!({"call": "live_open", "standard": h, "facts": facts}),
                "live_assign" => json!({"call": "live_assign", "live": h, "set": [format!("{unit}.一票否决=true")]}),
                "live_unit" => json!({"call": "live_unit", "live": h, "unit": unit}),
                "live_close" => json!({"call": "live_close", "live": h}),
                _ => json!({"call": "version"}),
            };
            let r = call_text(&rt, &request);
            prop_assert_eq!(&r["protocol"], &json!(1));
            for p in r["problems"].as_array().unwrap() {
                prop_assert!(duibiao::codes::lookup(p["code"].as_str().unwrap_or("")).is_some(), "{}", p);
            }
            let handle_call = matches!(call, "release" | "evaluate" | "explain" | "progress" | "gap" | "diff" | "template" | "live_open" | "live_assign" | "live_unit" | "live_close");
            if handle_call && gone.contains(&h) {
                let stale = codes(&r);
                prop_assert!(stale == ["A0004"] || stale == ["A0005"], "{} on released {}: {}", call, h, r);
            }
            if (call == "release" || call == "live_close") && r["ok"] == json!(true) {
                gone.insert(h);
            }
        }
    }
}

fn call_text(rt: &Runtime, request: &Value) -> Value {
    serde_json::from_str(&rt.call(&request.to_string())).unwrap()
}
