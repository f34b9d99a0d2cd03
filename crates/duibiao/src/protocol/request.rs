//! Reading a request: one JSON object with a `call` and that call's fields. Every field is
//! checked: an unknown field, a missing one or one of the wrong type is a problem (`A0002`)
//! naming the field, never a panic; facts are passed on to the loader as the text they are,
//! without being parsed twice.

use super::Request;
use crate::codes::Code;
use crate::limits::Limits;
use crate::options::{Assignment, Options};
use crate::problem::{Location, Problem, Problems};
use serde::Deserialize;
use serde_json::value::RawValue;

/// A request read from JSON text, its facts borrowed from it.
#[derive(Debug)]
pub(crate) struct Parsed<'a> {
    /// The call and its arguments.
    pub(crate) call: Request<&'a RawValue>,
}

/// Every call of the protocol, with the fields it takes (besides `protocol` and `call`) and
/// which of them it requires: `(call, takes, requires)`.
pub const CALLS: &[(&str, &[&str], &[&str])] = &[
    ("version", &[], &[]),
    ("compile", &["source", "file", "limits"], &["source"]),
    ("release", &["standard"], &["standard"]),
    (
        "evaluate",
        &["standard", "facts", "options"],
        &["standard", "facts"],
    ),
    (
        "explain",
        &["standard", "facts", "unit", "options"],
        &["standard", "facts", "unit"],
    ),
    (
        "progress",
        &["standard", "facts", "options"],
        &["standard", "facts"],
    ),
    (
        "gap",
        &["standard", "facts", "unit", "tier", "options"],
        &["standard", "facts", "unit", "tier"],
    ),
    (
        "diff",
        &["standard", "before", "after", "options"],
        &["standard", "before", "after"],
    ),
    ("template", &["standard", "kind"], &["standard", "kind"]),
    ("schema", &["name"], &["name"]),
    (
        "live_open",
        &["standard", "facts", "options"],
        &["standard", "facts"],
    ),
    ("live_assign", &["live", "set"], &["live", "set"]),
    ("live_unit", &["live", "unit"], &["live", "unit"]),
    ("live_close", &["live"], &["live"]),
];

/// Every field any call takes.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Fields<'a> {
    protocol: Option<serde_json::Value>,
    call: Option<String>,
    file: Option<String>,
    source: Option<String>,
    limits: Option<Limits>,
    standard: Option<u64>,
    #[serde(borrow)]
    facts: Option<&'a RawValue>,
    #[serde(borrow)]
    before: Option<&'a RawValue>,
    #[serde(borrow)]
    after: Option<&'a RawValue>,
    options: Option<Options>,
    unit: Option<String>,
    tier: Option<String>,
    kind: Option<String>,
    name: Option<String>,
    live: Option<u64>,
    set: Option<Vec<Assignment>>,
}

impl Fields<'_> {
    /// The names of the fields given.
    fn given(&self) -> Vec<&'static str> {
        let present = [
            ("file", self.file.is_some()),
            ("source", self.source.is_some()),
            ("limits", self.limits.is_some()),
            ("standard", self.standard.is_some()),
            ("facts", self.facts.is_some()),
            ("before", self.before.is_some()),
            ("after", self.after.is_some()),
            ("options", self.options.is_some()),
            ("unit", self.unit.is_some()),
            ("tier", self.tier.is_some()),
            ("kind", self.kind.is_some()),
            ("name", self.name.is_some()),
            ("live", self.live.is_some()),
            ("set", self.set.is_some()),
        ];
        present
            .into_iter()
            .filter(|(_, p)| *p)
            .map(|(n, _)| n)
            .collect()
    }
}

fn at(field: &str) -> Location {
    Location::data(Some("request"), None, Some(field)).with_pointer(format!("/{field}"))
}

fn shape(zh: String, en: String, field: Option<&str>) -> Problem {
    let p = Problem::error(Code::A0002, zh, en);
    match field {
        Some(f) => p.at(at(f)),
        None => p.at(Location::data(Some("request"), None, None)),
    }
}

/// What serde found wrong in `text`, the `input` (`request`, `options`), as a problem: `A0001` when the
/// text is not JSON, `A0002` when its shape is wrong; with the path of the field where it is
/// known.
pub fn serde_problem(
    text: &str,
    inner: &serde_json::Error,
    path: Option<&serde_path_to_error::Path>,
    input: &str,
) -> Problem {
    let (line, column) = (inner.line(), inner.column());
    // serde_json's message ends with the position, which the problem gives once.
    let full = inner.to_string();
    let what = full
        .strip_suffix(&format!(" at line {line} column {column}"))
        .unwrap_or(&full);
    let whose = if input.ends_with('s') {
        format!("{input}'")
    } else {
        format!("{input}'s")
    };
    let pointer = path.filter(|p| p.iter().next().is_some()).map(|p| {
        let steps: Vec<String> = p
            .iter()
            .map(|s| s.to_string().replace('~', "~0").replace('/', "~1"))
            .collect();
        format!("/{}", steps.join("/"))
    });
    // serde_json calls some wrong shapes syntax errors (a number where an enum is expected):
    // the text is not JSON only when it does not parse as any JSON value.
    let syntax = matches!(
        inner.classify(),
        serde_json::error::Category::Syntax | serde_json::error::Category::Eof
    ) && serde_json::from_str::<serde::de::IgnoredAny>(text).is_err();
    let (code, zh, en) = if syntax {
        let (what_zh, what_en) = duibiao_engine::facts::json_syntax(what);
        (
            Code::A0001,
            format!(
                "{} 不是有效的 JSON：第 {line} 行第 {column} 列，{what_zh}",
                zh_name(input)
            ),
            format!("the {input} is not valid JSON at line {line}, column {column}: {what_en}"),
        )
    } else {
        let field = pointer.as_deref().unwrap_or("");
        (
            Code::A0002,
            format!(
                "{}的 `{field}` 形式不对（第 {line} 行第 {column} 列）：{what}",
                zh_name(input)
            ),
            format!(
                "the {whose} `{field}` has the wrong shape at line {line}, column {column}: {what}"
            ),
        )
    };
    let mut loc = Location::data(Some(input), None, None);
    if let Some(p) = pointer {
        loc = loc.with_pointer(p);
    }
    Problem::error(code, zh, en).at(loc)
}

/// The Chinese name of an input.
fn zh_name(input: &str) -> &'static str {
    match input {
        "options" => "选项",
        _ => "请求",
    }
}

impl<'a> Parsed<'a> {
    /// Reads a request. On failure, every problem found with it (and the call it names, when
    /// it names one that exists).
    pub(crate) fn parse(text: &'a str) -> Result<Parsed<'a>, (Option<&'static str>, Problems)> {
        let mut de = serde_json::Deserializer::from_str(text);
        let fields: Fields<'a> = serde_path_to_error::deserialize(&mut de).map_err(|e| {
            (
                None,
                Problems::one(serde_problem(text, e.inner(), Some(e.path()), "request")),
            )
        })?;
        de.end().map_err(|e| {
            (
                None,
                Problems::one(serde_problem(text, &e, None, "request")),
            )
        })?;
        let mut problems = Vec::new();
        if let Some(v) = &fields.protocol {
            if v.as_u64() != Some(u64::from(super::PROTOCOL)) {
                problems.push(
                    Problem::error(
                        Code::A0003,
                        format!("不支持协议版本 {v}；本引擎使用版本 {}", super::PROTOCOL),
                        format!(
                            "protocol version {v} is not supported; this engine speaks version {}",
                            super::PROTOCOL
                        ),
                    )
                    .at(at("protocol")),
                );
            }
        }
        let Some(name) = fields.call.as_deref() else {
            problems.push(shape(
                "请求缺少 `call`".into(),
                "the request has no `call`".into(),
                Some("call"),
            ));
            return Err((None, Problems(problems)));
        };
        let Some(&(call, takes, needs)) = CALLS.iter().find(|(c, _, _)| *c == name) else {
            let known: Vec<&str> = CALLS.iter().map(|(c, _, _)| *c).collect();
            problems.push(shape(
                format!("未知调用 `{name}`；可用的调用有 {}", known.join("、")),
                format!("unknown call `{name}`; the calls are {}", known.join(", ")),
                Some("call"),
            ));
            return Err((None, Problems(problems)));
        };
        let given = fields.given();
        for f in given.iter().filter(|f| !takes.contains(f)) {
            problems.push(shape(
                format!(
                    "调用 `{call}` 没有字段 `{f}`；它的字段有 {}",
                    takes.join("、")
                ),
                format!(
                    "call `{call}` has no field `{f}`; its fields are {}",
                    takes.join(", ")
                ),
                Some(f),
            ));
        }
        for f in needs.iter().filter(|f| !given.contains(f)) {
            problems.push(shape(
                format!("调用 `{call}` 缺少字段 `{f}`"),
                format!("call `{call}` needs the field `{f}`"),
                Some(f),
            ));
        }
        if !problems.is_empty() {
            return Err((Some(call), Problems(problems)));
        }
        Ok(Parsed {
            call: build(call, fields).ok_or_else(|| {
                (
                    Some(call),
                    Problems::one(crate::problem::internal("a checked request")),
                )
            })?,
        })
    }
}

/// The call `call` from fields already checked to be the ones it needs.
fn build<'a>(call: &str, f: Fields<'a>) -> Option<Request<&'a RawValue>> {
    let options = f.options.unwrap_or_default();
    Some(match call {
        "version" => Request::Version {},
        "compile" => Request::Compile {
            source: f.source?,
            file: f.file,
            limits: f.limits,
        },
        "release" => Request::Release {
            standard: f.standard?,
        },
        "evaluate" => Request::Evaluate {
            standard: f.standard?,
            facts: f.facts?,
            options,
        },
        "explain" => Request::Explain {
            standard: f.standard?,
            facts: f.facts?,
            unit: f.unit?,
            options,
        },
        "progress" => Request::Progress {
            standard: f.standard?,
            facts: f.facts?,
            options,
        },
        "gap" => Request::Gap {
            standard: f.standard?,
            facts: f.facts?,
            unit: f.unit?,
            tier: f.tier?,
            options,
        },
        "diff" => Request::Diff {
            standard: f.standard?,
            before: f.before?,
            after: f.after?,
            options,
        },
        "template" => Request::Template {
            standard: f.standard?,
            kind: f.kind?,
        },
        "schema" => Request::Schema { name: f.name? },
        "live_open" => Request::LiveOpen {
            standard: f.standard?,
            facts: f.facts?,
            options,
        },
        "live_assign" => Request::LiveAssign {
            live: f.live?,
            set: f.set?,
        },
        "live_unit" => Request::LiveUnit {
            live: f.live?,
            unit: f.unit?,
        },
        "live_close" => Request::LiveClose { live: f.live? },
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    /// The fields each call takes and needs, as the runtime checks them, are those of the
    /// request's JSON Schema (made from the typed `Request`).
    #[test]
    fn the_calls_table_is_the_schema() {
        let schema = super::super::schema::request();
        let variants = schema["oneOf"].as_array().cloned().unwrap_or_default();
        assert_eq!(variants.len(), super::CALLS.len(), "{schema}");
        for (call, takes, needs) in super::CALLS {
            let v = variants
                .iter()
                .find(|v| v["properties"]["call"]["const"] == *call)
                .unwrap_or_else(|| panic!("no `{call}` in the schema"));
            let mut props: Vec<&str> = v["properties"]
                .as_object()
                .map(|m| {
                    m.keys()
                        .map(String::as_str)
                        .filter(|k| *k != "call")
                        .collect()
                })
                .unwrap_or_default();
            let mut required: Vec<&str> = v["required"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|x| x.as_str())
                        .filter(|k| *k != "call")
                        .collect()
                })
                .unwrap_or_default();
            let (mut takes, mut needs) = (takes.to_vec(), needs.to_vec());
            for l in [&mut props, &mut required, &mut takes, &mut needs] {
                l.sort_unstable();
            }
            assert_eq!((props, required), (takes, needs), "`{call}`");
        }
    }
}
