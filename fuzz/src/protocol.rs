//! The `protocol` target: requests, as text or built from the fuzzer's bytes out of the
//! protocol's calls and values, answered by a runtime holding the haiyan standard and its demo.

use super::compile::token_text;
use super::facts::VALUES;
use super::{check_response, haiyan, HAIYAN_DEMO, SOURCES};
use serde_json::{json, Value};
use std::sync::OnceLock;

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
