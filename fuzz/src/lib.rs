//! The checks of duibiao's fuzz targets, one function per target, each taking the fuzzer's bytes.
//! They assert only what must always hold: no panic; every problem's code is in the catalogue
//! (`duibiao::codes::CODES`) and none is `A0008` (an internal error, which is how the protocol
//! answers a panic it caught); every protocol response is JSON stamped `"protocol": 1`; a live
//! evaluation equals a full evaluation of the same facts; the same input gives the same output.
//!
//! The targets under `fuzz_targets/` call these functions; `tests/tests/fuzz_regressions.rs`
//! includes this file by path and runs the same checks on stable over `fuzz/regressions/` (every
//! crash the fuzzer found) and the seed corpora, so every build re-checks them. This file uses
//! nothing but `duibiao` and `serde_json`, which the tests crate also has.

use duibiao::{Assignment, Facts, Lang, Live, Options, Problem, Standard};
use serde_json::{json, Value};
use std::sync::OnceLock;

/// The targets, by name: what `fuzz/fuzz_targets/<name>.rs` and `fuzz/corpus/<name>/` are called.
pub const TARGETS: [&str; 5] = [
    "compile_bytes",
    "compile_tokens",
    "load_facts",
    "live_line",
    "protocol",
];

/// Runs the check of `target` on `data`.
pub fn check(target: &str, data: &[u8]) {
    match target {
        "compile_bytes" => compile_bytes(data),
        "compile_tokens" => compile_tokens(data),
        "load_facts" => load_facts(data),
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

// ------------------------------------------------------------------ the standards

/// The five standards of the repository, by slug, with their text.
pub const SOURCES: [(&str, &str); 5] = [
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

// ------------------------------------------------------------------ compile_bytes, compile_tokens

/// `compile_bytes`: any bytes, as UTF-8 (lossy), compiled as a standard.
pub fn compile_bytes(data: &[u8]) {
    compile_text(&String::from_utf8_lossy(data));
}

/// Compiles `text`; renders its problems; for a standard that compiles, its traceability page,
/// its templates, and an evaluation of one unit of each kind built from them.
pub fn compile_text(text: &str) {
    match Standard::compile("fuzz.std", text) {
        Err(problems) => {
            check_problems(problems.iter());
            for lang in [Lang::Zh, Lang::En] {
                duibiao::render::render_all(&problems.0, Some(text), lang);
            }
        }
        Ok(standard) => {
            check_problems(standard.warnings());
            duibiao::render::render_all(standard.warnings(), Some(text), Lang::Zh);
            duibiao::traceability::page(&standard);
            let again = Standard::compile("fuzz.std", text)
                .unwrap_or_else(|e| panic!("compiles once, not twice: {}", e.render(Lang::En)));
            assert_eq!(standard.fingerprint(), again.fingerprint(), "fingerprint");
            evaluate_templates(&standard);
        }
    }
}

/// One unit of each kind, from the standard's templates (with ids), loaded and evaluated.
fn evaluate_templates(standard: &Standard) {
    let mut units = Vec::new();
    let mut params = serde_json::Map::new();
    for (i, kind) in standard.kinds().into_iter().enumerate() {
        let t = standard
            .template(kind)
            .unwrap_or_else(|e| panic!("no template of its own kind: {}", e.render(Lang::En)));
        if let Some(p) = t["params"].as_object() {
            params.extend(p.clone());
        }
        let mut unit = t["units"][0].clone();
        unit["id"] = json!(format!("U{i}"));
        units.push(unit);
    }
    let facts = json!({"as_of": "2021-12-31", "params": params, "units": units}).to_string();
    let (loaded, problems) = standard.load_facts(&facts);
    check_problems(&problems);
    match standard.evaluate(&loaded, &Options::default()) {
        Ok(outcome) => {
            json_of!(&outcome);
        }
        Err(problems) => check_problems(problems.iter()),
    }
}

/// The pieces `compile_tokens` builds source text from: the keywords in both languages, names,
/// numbers with and without units, dates, strings, brackets and operators.
#[rustfmt::skip]
pub const TOKENS: &[&str] = &[
    // Keywords.
    "standard", "标准", "title", "标题", "issuer", "number", "source", "effective", "有效期",
    "kind", "单位", "contains", "包含", "facts", "填报", "param", "参数", "derive", "计算",
    "requirements", "要求", "group", "scorecard", "评分", "total", "总分", "item", "项目",
    "part", "分项", "max", "满分", "tiers", "等级", "requires", "基于", "veto", "否决", "blocks",
    "阻止", "cite", "依据", "text", "score", "得分", "all", "所有", "any", "count", "数量",
    "share", "sum", "合计", "of", "direct", "at", "达到", "where", "满足", "ifnone", "if", "如果",
    "then", "else", "否则", "and", "且", "or", "或", "not", "true", "是", "false", "否", "when",
    "仅当", "as_of", "target", "on", "overall", "due", "截至", "soft", "quota", "columns",
    "consequence", "amount", "split", "omit", "reason", "rank", "peers", "among", "siblings",
    "ties", "shared", "by_id", "ascending",
    // Types.
    "bool", "int", "percent", "money", "area", "points", "date", "enum", "档次",
    // Names.
    "demo", "街道", "社区", "小区", "甲", "乙", "x", "标准型", "示范型", "一票否决", "户数",
    // Numbers, dates, strings.
    "0", "1", "6", "10", "100", "2.5", "6.1", "300平方米", "30%", "5万元", "56学时", "-",
    "99999999999999999999999999999", "2021-01-01", "2023-12-31", "2021-02-30", "\"标题\"",
    "“原文”", "\"",
    // Punctuation and operators.
    "{", "}", "(", ")", ":", "：", ",", "、", ";", "=", "..", ">=", "<", "==", "!=", "不少于",
    "超过", "不满", "+", "*", "/", "\n", "#",
];

/// `compile_tokens`: each byte picks a piece of [`TOKENS`]; the pieces, separated by spaces,
/// are compiled as a standard.
pub fn compile_tokens(data: &[u8]) {
    compile_text(&token_text(data));
}

/// The source text `compile_tokens` makes of `data`.
pub fn token_text(data: &[u8]) -> String {
    let pieces: Vec<&str> = data
        .iter()
        .map(|&b| TOKENS[b as usize % TOKENS.len()])
        .collect();
    pieces.join(" ")
}

// ------------------------------------------------------------------ load_facts

/// The values assignments set in `load_facts` and `protocol`.
const VALUES: &[&str] = &[
    "null",
    "true",
    "false",
    "0",
    "1.5",
    "-1",
    "30%",
    "5万元",
    "300平方米",
    "2021-12-31",
    "标准型",
    "1e400",
    "8000000000000000000000000万元",
    "\"\"",
];

/// `load_facts`: any bytes, as UTF-8 (lossy), as a facts file for each of the five standards:
/// loaded twice (the same problems), evaluated with the default options twice (the same
/// outcome), then kept live and given one assignment, after which the live outcome is the one
/// a full evaluation of the facts so changed gives.
pub fn load_facts(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    for c in compiled() {
        let s = &c.standard;
        let (facts, problems) = s.load_facts(&text);
        check_problems(&problems);
        let (_, again) = s.load_facts(&text);
        assert_eq!(
            json_of!(&problems),
            json_of!(&again),
            "loading problems differ"
        );
        let options = Options::default();
        let outcome = s.evaluate(&facts, &options);
        assert_eq!(
            result_json(&outcome),
            result_json(&s.evaluate(&facts, &options)),
            "evaluations differ"
        );
        let Ok(mut live) = s.live(facts.clone(), &options) else {
            continue;
        };
        // One assignment: the last unit, a key and a value chosen by the input's length.
        let Some(id) = facts.ids().last() else {
            continue;
        };
        let n = data.len();
        let key = c
            .keys
            .get(n % c.keys.len().max(1))
            .map_or("x", |k| k.as_str());
        let value = VALUES[n % VALUES.len()];
        let assignment = Assignment::Text(format!("{id}.{key}={value}"));
        live_matches_full(s, &facts, &mut live, &[assignment]);
    }
}

/// Applies `assignments` to `live`, then checks that its outcome is the one a full evaluation
/// gives of `facts` with the changes it reported applied.
fn live_matches_full(s: &Standard, facts: &Facts, live: &mut Live, assignments: &[Assignment]) {
    let mut changes = Vec::new();
    for a in assignments {
        match live.assign(a) {
            Ok(assigned) => {
                json_of!(&assigned);
                let c = assigned.change;
                changes.push(Assignment::Value {
                    unit: c.unit,
                    key: c.key,
                    value: c.to,
                });
            }
            Err(problems) => check_problems(problems.iter()),
        }
    }
    let mut full = facts.clone();
    let problems = s.apply(&mut full, &changes);
    assert!(
        problems.is_empty(),
        "a change live made cannot be applied: {problems:?}"
    );
    match s.evaluate(&full, &Options::default()) {
        Ok(outcome) => assert!(
            outcome == live.outcome(),
            "live differs from a full evaluation after {assignments:?}"
        ),
        Err(problems) => panic!(
            "live evaluates what a full evaluation cannot: {}",
            problems.render(Lang::En)
        ),
    }
}

/// The outcome, or the problems, of an evaluation as JSON text (to compare two).
fn result_json(r: &Result<duibiao::Outcome, duibiao::Problems>) -> String {
    match r {
        Ok(outcome) => json_of!(outcome),
        Err(problems) => {
            check_problems(problems.iter());
            json_of!(&problems.0)
        }
    }
}

// ------------------------------------------------------------------ live_line

/// `live_line`: any bytes, as UTF-8 (lossy), split into lines, each applied to the haiyan demo
/// with `Live::assign(&Assignment::Text(line))`; then the live outcome is the full evaluation's.
pub fn live_line(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let (facts, live) = haiyan_demo();
    let mut live = live.clone();
    let lines: Vec<Assignment> = text
        .lines()
        .map(|l| Assignment::Text(l.to_string()))
        .collect();
    live_matches_full(haiyan(), facts, &mut live, &lines);
}

// ------------------------------------------------------------------ protocol

/// `protocol`: a fresh runtime with the haiyan standard (handle 1) and a live session of its
/// demo (handle 2). Input whose first byte is ASCII is one request, as text (UTF-8, lossy);
/// otherwise the rest of the bytes build up to 8 requests from lists of calls and values, so
/// that the fuzzer reaches the calls' deep paths. Every response is checked.
pub fn protocol(data: &[u8]) {
    let rt = duibiao::protocol::Runtime::new();
    let handle = rt.insert(haiyan().clone());
    assert_eq!(handle, 1);
    let opened = check_response(&rt.live_open_text(1, HAIYAN_DEMO, None));
    assert_eq!(opened["live"], 2, "{opened}");
    match data.split_first() {
        Some((first, _)) if first.is_ascii() => {
            check_response(&rt.call(&String::from_utf8_lossy(data)));
        }
        Some((_, rest)) => {
            let mut bytes = Bytes(rest);
            for _ in 0..8 {
                if bytes.0.is_empty() {
                    break;
                }
                let request = bytes.request();
                check_response(&rt.call(&request.to_string()));
            }
        }
        None => {
            check_response(&rt.call(""));
        }
    }
}

/// A small standard, for `compile`.
const TINY: &str = r#"
standard demo { title "示例" }
kind 小区
facts 小区 { 一票否决: bool }
scorecard 小区 total 10 { item 1 "整体" max 10 }
tiers 小区 { 标准型 { score >= 6 } 示范型 requires 标准型 { score >= 9 } }
veto 小区 一票否决事项: 一票否决 blocks 示范型
"#;

const UNITS: &[&str] = &[
    "JD", "SQ1", "SQ3", "XQ33", "XQ21", "LY1", "SC1", "ZZ2", "", "NOPE",
];
const KEYS: &[&str] = &[
    "一票否决",
    "社会组织有效融入",
    "社会组织充分融入",
    "1.1",
    "6.1",
    "14",
    "15.1",
    "15",
    "x",
    "",
];

/// The fuzzer's bytes, read from the front: each read takes one byte (0 once they run out).
struct Bytes<'a>(&'a [u8]);

impl Bytes<'_> {
    fn byte(&mut self) -> u8 {
        match self.0.split_first() {
            Some((b, rest)) => {
                self.0 = rest;
                *b
            }
            None => 0,
        }
    }

    fn pick<'t, T>(&mut self, list: &'t [T]) -> &'t T {
        &list[self.byte() as usize % list.len()]
    }

    /// A few bytes as text (up to 16).
    fn text(&mut self) -> String {
        let n = (self.byte() % 17) as usize;
        let n = n.min(self.0.len());
        let (t, rest) = self.0.split_at(n);
        self.0 = rest;
        String::from_utf8_lossy(t).into_owned()
    }

    fn request(&mut self) -> Value {
        // A call of the protocol with the fields it takes and those it needs, or one that does
        // not exist.
        const UNKNOWN: (&str, &[&str], &[&str]) = ("fly", &[], &[]);
        let calls = duibiao::protocol::CALLS;
        let i = self.byte() as usize % (calls.len() + 1);
        let (call, takes, needs) = calls.get(i).copied().unwrap_or(UNKNOWN);
        let mut r = serde_json::Map::new();
        r.insert("call".into(), json!(call));
        // Usually what the call takes, sometimes without a field it needs or with one it does
        // not take, sometimes with a protocol version.
        let flags = self.byte();
        for &field in takes {
            let needed = needs.contains(&field);
            if (needed && flags & 1 == 0) || (!needed && flags & 2 != 0) || flags & 4 != 0 {
                r.insert(field.into(), self.field(field));
            }
        }
        if flags & 8 != 0 {
            let field = self.pick(&["unit", "facts", "colour", "options"]);
            r.insert(field.to_string(), self.field(field));
        }
        if flags & 16 != 0 {
            r.insert(
                "protocol".into(),
                self.pick(&[json!(1), json!(2), json!("1")]).clone(),
            );
        }
        Value::Object(r)
    }

    fn field(&mut self, field: &str) -> Value {
        match field {
            "standard" => self
                .pick(&[
                    json!(1),
                    json!(1),
                    json!(1),
                    json!(3),
                    json!(0),
                    json!("1"),
                    json!(-1),
                ])
                .clone(),
            "live" => self
                .pick(&[json!(2), json!(2), json!(3), json!(1), json!(null)])
                .clone(),
            "unit" => json!(self.pick(UNITS)),
            "tier" => self
                .pick(&[json!("标准型"), json!("示范型"), json!("金牌"), json!("")])
                .clone(),
            "kind" => self
                .pick(&[json!("小区"), json!("街道"), json!("商圈"), json!("楼栋")])
                .clone(),
            "name" => json!(self.pick(&["facts", "request", "response", "everything"])),
            "file" => self.pick(&[json!("x.std"), json!(""), json!(null)]).clone(),
            "source" => match self.byte() % 4 {
                0 => json!(SOURCES[1].1),
                1 => json!(TINY),
                2 => json!(token_text(self.text().as_bytes())),
                _ => json!(self.text()),
            },
            "facts" | "before" | "after" => self.facts(),
            "options" => self.options(),
            "set" => {
                let n = self.byte() % 4;
                Value::Array((0..n).map(|_| self.assignment()).collect())
            }
            _ => self.value(),
        }
    }

    fn value(&mut self) -> Value {
        match self.byte() % 18 {
            0 => json!(null),
            1 => json!(true),
            2 => json!(false),
            3 => json!(0),
            4 => json!(-1),
            5 => json!(5),
            6 => json!(10.5),
            7 => serde_json::from_str("1e400").unwrap_or_default(),
            8 => serde_json::from_str("8000000000000000000000000").unwrap_or_default(),
            9 => json!("30%"),
            10 => json!("5万元"),
            11 => json!("2021-12-31"),
            12 => json!("2021-13-01"),
            13 => json!("标准型"),
            14 => json!([]),
            15 => json!({}),
            16 => json!(self.pick(UNITS)),
            _ => json!(self.text()),
        }
    }

    fn assignment(&mut self) -> Value {
        let unit = *self.pick(UNITS);
        let key = *self.pick(KEYS);
        match self.byte() % 3 {
            0 => json!(format!("{unit}.{key}={}", self.pick(VALUES))),
            1 => json!({"unit": unit, "key": key, "value": self.value()}),
            _ => json!(self.text()),
        }
    }

    fn options(&mut self) -> Value {
        let mut o = serde_json::Map::new();
        let flags = self.byte();
        if flags & 1 != 0 {
            let d = self.pick(&["summary", "conditions", "members", "all"]);
            o.insert("detail".into(), json!(d));
        }
        if flags & 2 != 0 {
            let d = self.pick(&["2021-12-31", "2030-01-01", "2019-06-30", "2021-02-30"]);
            o.insert("as_of".into(), json!(d));
        }
        if flags & 4 != 0 {
            o.insert("lang".into(), json!(self.pick(&["zh", "en", "fr"])));
        }
        if flags & 8 != 0 {
            o.insert("threads".into(), json!(self.pick(&["shared", "single"])));
        }
        if flags & 16 != 0 {
            let name = self.pick(&["一定量标准型社会组织", "一定量示范型社会组织", "无此参数"]);
            o.insert("params".into(), json!({ *name: self.value() }));
        }
        if flags & 32 != 0 {
            let a = self.assignment();
            o.insert("set".into(), json!([a]));
        }
        if flags & 64 != 0 {
            return self.value();
        }
        Value::Object(o)
    }

    /// The demo's facts, changed in a few places, or something else.
    fn facts(&mut self) -> Value {
        static DEMO: OnceLock<Value> = OnceLock::new();
        let demo = DEMO.get_or_init(|| serde_json::from_str(HAIYAN_DEMO).unwrap_or_default());
        match self.byte() % 8 {
            0 => return json!({"units": []}),
            1 => return json!({}),
            2 => return self.value(),
            _ => {}
        }
        let mut facts = demo.clone();
        let n = self.byte() % 5;
        for _ in 0..n {
            self.mutate(&mut facts);
        }
        facts
    }

    fn mutate(&mut self, facts: &mut Value) {
        let op = self.byte() % 8;
        let v = self.value();
        if op == 0 {
            let field = self.pick(&["as_of", "standard", "params", "units", "colour"]);
            put(facts, field, v);
            return;
        }
        let Some(units) = facts["units"].as_array_mut() else {
            return;
        };
        if units.is_empty() {
            return;
        }
        let i = self.byte() as usize % units.len();
        match op {
            1 => {
                let field = self.pick(&["id", "kind", "parent", "name", "scores", "facts"]);
                put(&mut units[i], field, v);
            }
            2 => {
                units.remove(i);
            }
            3 => {
                let u = units[i].clone();
                units.push(u);
            }
            4 => {
                let key = *self.pick(KEYS);
                put(&mut units[i]["facts"], key, v);
            }
            _ => {
                let key = *self.pick(KEYS);
                put(&mut units[i]["scores"], key, v);
            }
        }
    }
}

/// Sets `key` of `object` to `v` when it is an object (a mutation may have made it something else).
fn put(object: &mut Value, key: &str, v: Value) {
    if let Some(o) = object.as_object_mut() {
        o.insert(key.to_string(), v);
    }
}
