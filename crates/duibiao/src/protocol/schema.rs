//! The JSON Schemas of the protocol: requests, responses (one per call), and facts files. They
//! are committed under `docs/protocol/`, and a test fails when those files are stale.

use super::*;
use crate::codes::Code;
use crate::problem::{Location, Problems};
use schemars::generate::SchemaSettings;
use serde_json::{json, Value};

/// The schema of requests.
pub fn request() -> Value {
    let schema = SchemaSettings::draft2020_12()
        .into_generator()
        .into_root_schema_for::<Request>();
    schema.to_value()
}

/// The schema of responses: one of the responses of every call.
pub fn response() -> Value {
    let mut g = SchemaSettings::draft2020_12().into_generator();
    let calls = [
        ("version", g.subschema_for::<Response<VersionBody>>()),
        ("compile", g.subschema_for::<Response<CompileBody>>()),
        ("release", g.subschema_for::<Response<EmptyBody>>()),
        ("evaluate", g.subschema_for::<Response<EvaluateBody>>()),
        ("explain", g.subschema_for::<Response<ExplainBody>>()),
        ("progress", g.subschema_for::<Response<ProgressBody>>()),
        ("gap", g.subschema_for::<Response<GapBody>>()),
        ("diff", g.subschema_for::<Response<DiffBody>>()),
        ("template", g.subschema_for::<Response<TemplateBody>>()),
        ("schema", g.subschema_for::<Response<SchemaBody>>()),
        ("live_open", g.subschema_for::<Response<LiveOpenBody>>()),
        ("live_assign", g.subschema_for::<Response<LiveAssignBody>>()),
        ("live_unit", g.subschema_for::<Response<LiveUnitBody>>()),
        ("live_close", g.subschema_for::<Response<EmptyBody>>()),
    ];
    let defs = g.take_definitions(true);
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "duibiao protocol response",
        "description": "A response of protocol version 1: the stamp, `ok`, `problems` and the call's own fields.",
        "oneOf": calls.iter().map(|(_, s)| s.clone().to_value()).collect::<Vec<_>>(),
        "$defs": defs,
    })
}

/// The schema of facts files.
pub fn facts() -> Value {
    serde_json::from_str(crate::FACTS_SCHEMA).unwrap_or(Value::Null)
}

/// The schema named `name` (`facts`, `request`, `response`).
pub fn named(name: &str) -> Result<Value, Problems> {
    match name {
        "facts" => Ok(facts()),
        "request" => Ok(request()),
        "response" => Ok(response()),
        _ => Err(Problems::one(
            Problem::error(
                Code::A0002,
                format!("没有名为 `{name}` 的模式；可用的有 facts、request、response"),
                format!("no schema is named `{name}`; the schemas are facts, request, response"),
            )
            .at(Location::data(Some("request"), None, Some("name")).with_pointer("/name")),
        )),
    }
}
