//! The C ABI called as a C host would: bad arguments, stale handles and double frees give error
//! values, never crashes; and every documented problem code is produced by some test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use duibiao_c::*;
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::ffi::{c_char, CStr, CString};

fn root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(root().join(rel)).unwrap()
}

/// Takes a response: its JSON, the string freed.
fn take(r: *mut c_char) -> Value {
    assert!(!r.is_null());
    // SAFETY: handed out by duibiao, freed once here.
    let v = serde_json::from_str(unsafe { CStr::from_ptr(r) }.to_str().unwrap()).unwrap();
    // SAFETY: as above.
    assert_eq!(unsafe { duibiao_free(r) }, 0);
    v
}

fn codes(v: &Value) -> Vec<String> {
    v["problems"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| p["code"].as_str().unwrap_or("").to_string())
        .collect()
}

fn compile(slug: &str) -> u64 {
    let source = CString::new(read(&format!("standards/{slug}.std"))).unwrap();
    let mut h = 0;
    // SAFETY: valid strings, a writable handle.
    let r = take(unsafe { duibiao_compile(c"s.std".as_ptr(), source.as_ptr(), &mut h) });
    assert_eq!(r["ok"], true, "{r}");
    assert_eq!(r["handle"], h);
    h
}

#[test]
fn misuse_gives_error_values() {
    let h = compile("haiyan-2021");
    let facts = CString::new(read("standards/haiyan-2021/demo.json")).unwrap();
    // SAFETY: every pointer below is null, valid, or deliberately foreign (duibiao_free checks).
    unsafe {
        let ok = take(duibiao_evaluate(h, facts.as_ptr(), std::ptr::null()));
        assert_eq!(ok["ok"], true);
        assert_eq!(
            codes(&take(duibiao_evaluate(
                h,
                std::ptr::null(),
                std::ptr::null()
            ))),
            ["A0009"]
        );
        let bad = [0xffu8, 0xfe, 0];
        assert_eq!(codes(&take(duibiao_call(bad.as_ptr().cast()))), ["A0009"]);
        assert_eq!(
            codes(&take(duibiao_evaluate(
                h,
                facts.as_ptr(),
                c"{\"detail\": 3}".as_ptr()
            ))),
            ["A0002"]
        );
        let mut zero = 7;
        let r = take(duibiao_compile(
            std::ptr::null(),
            std::ptr::null(),
            &mut zero,
        ));
        assert_eq!((codes(&r), zero), (vec!["A0009".to_string()], 0));
        // Frees: once, twice, foreign, null.
        let r = duibiao_call(c"{\"call\":\"version\"}".as_ptr());
        assert_eq!(duibiao_free(r), 0);
        assert_eq!(duibiao_free(r), -2);
        let mut local = *b"not duibiao's\0";
        assert_eq!(duibiao_free(local.as_mut_ptr().cast()), -2);
        assert_eq!(duibiao_free(std::ptr::null_mut()), -1);
        // Live sessions and standards: closed and released once.
        let mut live = 0;
        let r = take(duibiao_live_open(
            h,
            facts.as_ptr(),
            std::ptr::null(),
            &mut live,
        ));
        assert_eq!(r["live"], live);
        assert_eq!(duibiao_live_close(live), 0);
        assert_eq!(duibiao_live_close(live), -1);
        assert_eq!(duibiao_release(h), 0);
        assert_eq!(duibiao_release(h), -1);
        assert_eq!(
            codes(&take(duibiao_evaluate(h, facts.as_ptr(), std::ptr::null()))),
            ["A0004"]
        );
        assert!(CStr::from_ptr(duibiao_version())
            .to_str()
            .unwrap()
            .contains("protocol 1"));
    }
}

/// Every code of the catalogue is produced by a test: by a step of the conformance suite, by a
/// call made here, (`A0008`, a panic caught) by the runtime's own unit test, (the workbooks'
/// codes) by the tests of duibiao-xlsx, whose snapshots show them, or (the service's codes) by
/// the tests of duibiao-serve, which assert them.
#[test]
fn every_code_is_produced_by_a_test() {
    let mut seen = BTreeSet::new();
    let mut note = |v: &Value| seen.extend(codes(v));
    for entry in std::fs::read_dir(root().join("conformance")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "json") {
            let suite: Value =
                serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            suite["steps"]
                .as_array()
                .unwrap()
                .iter()
                .for_each(|s| note(&s["expect"]));
        }
    }
    let call = |request: &str| {
        let c = CString::new(request).unwrap();
        // SAFETY: a valid string.
        take(unsafe { duibiao_call(c.as_ptr()) })
    };
    let h = compile("haiyan-2021");
    // Not JSON: the request (A0001), the facts given as text (F0001).
    note(&call("{\"call\": "));
    // SAFETY: valid strings.
    note(&take(unsafe {
        duibiao_evaluate(h, c"{\"units\": [".as_ptr(), std::ptr::null())
    }));
    // A key given twice in the facts (F0016): a request's JSON value cannot hold one, so the
    // conformance suite cannot either; the facts are given here as text.
    // SAFETY: valid strings.
    note(&take(unsafe {
        duibiao_evaluate(
            h,
            c"{\"units\": [], \"units\": []}".as_ptr(),
            std::ptr::null(),
        )
    }));
    // A null argument (A0009).
    // SAFETY: null is allowed and reported.
    note(&take(unsafe {
        duibiao_evaluate(h, std::ptr::null(), std::ptr::null())
    }));
    // A file that cannot be read (A0011); a parameter not written NAME=VALUE (P0004).
    note(
        &json!({"problems": duibiao::Standard::open(root().join("standards/no-such.std")).unwrap_err()}),
    );
    note(&json!({"problems": duibiao::Options::new().param_text("无值").unwrap_err()}));
    // Facts loaded by another standard (A0006).
    let haiyan = duibiao::Standard::open(root().join("standards/haiyan-2021.std")).unwrap();
    let zhuji = duibiao::Standard::open(root().join("standards/zhuji-2018.std")).unwrap();
    let (facts, _) = haiyan.load_facts(&read("standards/haiyan-2021/demo.json"));
    note(&json!({"problems": zhuji.evaluate(&facts, &Default::default()).unwrap_err()}));
    // Limits: a file over the size limit (E0007), too many `if`s in one declaration (E0008), an
    // expression over the length limit (E0009).
    let compile_text =
        |source: String| call(&json!({"call": "compile", "source": source}).to_string());
    note(&compile_text(format!(
        "standard big {{ title \"x\" }}\n{}",
        "# 注释\n".repeat(600_000)
    )));
    let head = "standard lim { title \"x\" }\nkind 小区\nfacts 小区 { a: int }\n";
    let ifs: String = (0..300)
        .map(|i| format!("if a > {i} then {i} else "))
        .collect();
    note(&compile_text(format!(
        "{head}derive 小区 {{ b = {ifs}0 }}\n"
    )));
    note(&compile_text(format!(
        "{head}derive 小区 {{ b = {} }}\n",
        vec!["a"; 1100].join(" + ")
    )));
    // The cases of `duibiao test`: an expected file that is not JSON (T0001) or has a field of
    // the wrong form (T0002), a path that names no cases (T0003).
    for text in ["{", "{\"units\": 3}"] {
        let problems = duibiao::cases::Expected::parse("x.expected.json", text).unwrap_err();
        note(&json!({ "problems": problems }));
    }
    let nowhere = duibiao::cases::discover(&[root().join("no-such-cases")], &root());
    note(&json!({ "problems": nowhere.unwrap_err() }));
    // A panic caught at the boundary (A0008): the runtime's unit test makes one.
    if read("crates/duibiao/src/protocol/runtime.rs").contains("fn a_panic_is_a_problem()") {
        seen.insert("A0008".to_string());
    }
    // The workbooks' own codes (F0021–F0028, A0012; docs/spreadsheets.md): the snapshots of
    // duibiao-xlsx's tests, which read and write workbooks, show each of them.
    for entry in std::fs::read_dir(root().join("crates/duibiao-xlsx/tests/snapshots")).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        for c in duibiao::codes::CODES {
            if text.contains(&format!(" {}", c.code)) {
                seen.insert(c.code.to_string());
            }
        }
    }
    // The service's codes (S0001–S0013; docs/service.md): its tests, which run a real server
    // on loopback and assert each answer's codes, name each of them.
    for entry in std::fs::read_dir(root().join("crates/duibiao-serve/tests")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(path).unwrap();
            for c in duibiao::codes::CODES
                .iter()
                .filter(|c| c.code.starts_with('S'))
            {
                if text.contains(&format!("\"{}\"", c.code)) {
                    seen.insert(c.code.to_string());
                }
            }
        }
    }
    let never: Vec<&str> = duibiao::codes::CODES
        .iter()
        .map(|c| c.code)
        .filter(|c| !seen.contains(*c))
        .collect();
    assert!(never.is_empty(), "codes no test produces: {never:?}");
}
