//! The checks of duibiao's fuzz targets, one function per target, each taking the fuzzer's bytes.
//! They assert only what must always hold: no panic; every problem's code is in the catalogue
//! (`duibiao::codes::CODES`) and none is `A0008` (an internal error, which is how the protocol
//! answers a panic it caught); every protocol response is JSON stamped `"protocol": 1`; a live
//! evaluation equals a full evaluation of the same facts; the same input gives the same output.
//!
//! The targets under `fuzz_targets/` call these functions; `tests/tests/fuzz_regressions.rs`
//! includes this file by path and runs the same checks on stable over `fuzz/regressions/` (every
//! crash the fuzzer found) and the seed corpora, so every build re-checks them. This file uses
//! nothing but `duibiao`, `serde_json` and, for `load_parts`, the compiler and engine crates
//! behind the facade, which the tests crate also has.

use duibiao::{Facts, Lang, Live, Options, Problem, Standard};
use serde_json::Value;
use std::sync::OnceLock;

/// The targets, by name: what `fuzz/fuzz_targets/<name>.rs` and `fuzz/corpus/<name>/` are called.
pub const TARGETS: [&str; 6] = [
    "compile_bytes",
    "compile_tokens",
    "load_facts",
    "load_parts",
    "live_line",
    "protocol",
];

/// Runs the check of `target` on `data`.
pub fn check(target: &str, data: &[u8]) {
    match target {
        "compile_bytes" => compile_bytes(data),
        "compile_tokens" => compile_tokens(data),
        "load_facts" => load_facts(data),
        "load_parts" => load_parts(data),
        "live_line" => live_line(data),
        "protocol" => protocol(data),
        other => panic!("no fuzz target named {other}"),
    }
}

/// A value as JSON text (a macro, so that this file needs no `serde` of its own).
macro_rules! json_of {
    ($value:expr) => {
        serde_json::to_string($value).unwrap_or_else(|e| panic!("cannot be written: {e}"))
    };
}

mod compile;
mod facts;
mod live;
mod parts;
mod protocol;

pub use compile::{compile_bytes, compile_tokens};
// Part of this crate's API, but unused where `tests/tests/fuzz_regressions.rs` includes this file.
#[allow(unused_imports)]
pub use compile::{compile_text, token_text, TOKENS};
pub use facts::load_facts;
pub use live::live_line;
pub use parts::load_parts;
pub use protocol::protocol;

// ------------------------------------------------------------------ the standards

/// The six standards of the repository, by slug, with their text.
pub const SOURCES: [(&str, &str); 6] = [
    (
        "chunjiang-365",
        include_str!("../../standards/chunjiang-365.std"),
    ),
    (
        "haiyan-2021",
        include_str!("../../standards/haiyan-2021.std"),
    ),
    (
        "jiaxing-2016",
        include_str!("../../standards/jiaxing-2016.std"),
    ),
    (
        "quality-2020",
        include_str!("../../standards/quality-2020.std"),
    ),
    ("zhuji-2018", include_str!("../../standards/zhuji-2018.std")),
    (
        "shengzhou-2015",
        include_str!("../../standards/shengzhou-2015.std"),
    ),
];

/// The haiyan demo street's facts.
pub const HAIYAN_DEMO: &str = include_str!("../../standards/haiyan-2021/demo.json");

/// A standard compiled once, with the keys its units can be given (facts and scored parts).
struct Compiled {
    standard: Standard,
    keys: Vec<String>,
}

fn compiled() -> &'static [Compiled] {
    static ALL: OnceLock<Vec<Compiled>> = OnceLock::new();
    ALL.get_or_init(|| {
        SOURCES
            .iter()
            .map(|(slug, source)| {
                let standard = Standard::compile(&format!("standards/{slug}.std"), source)
                    .unwrap_or_else(|e| panic!("{slug}: {}", e.render(Lang::En)));
                let keys = input_keys(&standard);
                Compiled { standard, keys }
            })
            .collect()
    })
}

fn haiyan() -> &'static Standard {
    &compiled()[1].standard
}

/// Every key a unit of any kind of `standard` can be given, from the templates.
fn input_keys(standard: &Standard) -> Vec<String> {
    let mut keys = Vec::new();
    for kind in standard.kinds() {
        let Ok(t) = standard.template(kind) else {
            continue;
        };
        for part in ["facts", "scores"] {
            if let Some(m) = t["units"][0][part].as_object() {
                keys.extend(m.keys().cloned());
            }
        }
    }
    keys
}

/// The haiyan demo loaded, and a live evaluation of it.
fn haiyan_demo() -> &'static (Facts, Live) {
    static DEMO: OnceLock<(Facts, Live)> = OnceLock::new();
    DEMO.get_or_init(|| {
        let (facts, problems) = haiyan().load_facts(HAIYAN_DEMO);
        assert!(problems.is_empty(), "{problems:?}");
        let live = haiyan()
            .live(facts.clone(), &Options::default())
            .unwrap_or_else(|e| panic!("{}", e.render(Lang::En)));
        (facts, live)
    })
}

// ------------------------------------------------------------------ what always holds

/// A problem's code is in the catalogue and is not an internal error.
pub fn check_problem(p: &Problem) {
    check_code(&p.code, || format!("{p:?}"));
}

fn check_code(code: &str, what: impl Fn() -> String) {
    assert!(
        duibiao::codes::lookup(code).is_some(),
        "a problem code not in the catalogue: {}",
        what()
    );
    assert_ne!(code, "A0008", "an internal error: {}", what());
}

fn check_problems<'a>(ps: impl IntoIterator<Item = &'a Problem>) {
    for p in ps {
        check_problem(p);
    }
}

/// A protocol response: one line of JSON (ending in a newline), stamped with the protocol's
/// version, whose problems all have codes of the catalogue, none an internal error; `ok` only
/// without errors. Returns it parsed.
pub fn check_response(text: &str) -> Value {
    let line = text
        .strip_suffix('\n')
        .unwrap_or_else(|| panic!("no newline at the end: {text}"));
    assert!(
        !line.contains('\n'),
        "a response of more than one line: {text}"
    );
    let r: Value = serde_json::from_str(text)
        .unwrap_or_else(|e| panic!("a response is not JSON ({e}): {text}"));
    assert_eq!(r["protocol"], 1, "{text}");
    let ok = r["ok"].as_bool().unwrap_or_else(|| panic!("no ok: {text}"));
    let problems = r["problems"]
        .as_array()
        .unwrap_or_else(|| panic!("no problems: {text}"));
    let mut errors = false;
    for p in problems {
        let code = p["code"]
            .as_str()
            .unwrap_or_else(|| panic!("a problem without code: {text}"));
        check_code(code, || p.to_string());
        errors |= p["severity"] == "error";
    }
    assert!(!(ok && errors), "ok with an error: {text}");
    r
}
