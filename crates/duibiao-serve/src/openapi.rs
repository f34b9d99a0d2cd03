//! The OpenAPI 3.1 document of the service, served at `/openapi.json`: the paths from one table
//! ([`operations`]), the schemas of requests and responses generated from the types the handlers
//! answer with (the protocol's `Response<…>` and the service's own), and the facts files' JSON
//! Schema. A standard's slug is one of those served when the document is asked for.

use crate::routes::rounds::{History, RoundList, RoundRecord, Submitted};
use crate::routes::standards::{StandardEntry, StandardList};
use crate::App;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use duibiao::protocol::{
    CompileBody, DiffBody, EmptyBody, EvaluateBody, ExplainBody, GapBody, ProgressBody, Response,
};
use schemars::generate::{SchemaGenerator, SchemaSettings};
use schemars::{JsonSchema, Schema};
use serde_json::{json, Map, Value};
use std::sync::Arc;

/// What a path's body is.
#[derive(Clone, Copy)]
enum Input {
    /// None.
    Nothing,
    /// A facts file.
    Facts,
    /// A `.std` file's text.
    Source,
    /// Two facts files, `before` and `after`.
    TwoFacts,
    /// A revision and a facts file.
    Revision,
}

/// One operation: method, path, id, what it does, its query parameters, its body, its success
/// status and the schema of its success's response.
struct Operation {
    method: &'static str,
    path: &'static str,
    id: &'static str,
    summary: &'static str,
    query: Vec<Value>,
    input: Input,
    status: &'static str,
    answer: fn(&mut SchemaGenerator) -> Schema,
}

/// A query parameter.
fn q(name: &str, required: bool, schema: Value, description: &str) -> Value {
    json!({"name": name, "in": "query", "required": required, "schema": schema,
           "description": description})
}

/// A repeatable query parameter of text matching `pattern`.
fn many(name: &str, pattern: &str, description: &str) -> Value {
    json!({"name": name, "in": "query", "required": false, "style": "form", "explode": true,
           "schema": {"type": "array", "items": {"type": "string", "pattern": pattern}},
           "description": description})
}

/// The evaluation options as query parameters (`set` when what-ifs are taken).
fn options(set: bool) -> Vec<Value> {
    let mut o = vec![
        q(
            "as_of",
            false,
            json!({"type": "string", "format": "date"}),
            "评价日期 · the evaluation date (default: the facts' `as_of`)",
        ),
        many(
            "param",
            "^[^=]+=",
            "参数 `名称=值` · a parameter value, `NAME=VALUE`",
        ),
        q(
            "lang",
            false,
            json!({"type": "string", "enum": ["zh", "en"]}),
            "解释文字的语言 · the language of texts",
        ),
    ];
    if set {
        o.push(many(
            "set",
            "^[^=]+[.][^=]+=",
            "假设修改 `单位.键=值` · a what-if, `UNIT.KEY=VALUE`",
        ));
    }
    o
}

fn text(description: &str) -> Value {
    json!({"type": "string", "minLength": 1, "description": description})
}

fn of<T: JsonSchema>(g: &mut SchemaGenerator) -> Schema {
    g.subschema_for::<T>()
}

/// Every operation of the service.
fn operations() -> Vec<Operation> {
    let unit = || {
        q(
            "unit",
            true,
            text("单位编号 · the unit's id"),
            "单位编号 · the unit's id",
        )
    };
    vec![
        Operation { method: "get", path: "/", id: "index", summary: "服务首页 · the service's index",
            query: vec![], input: Input::Nothing, status: "200", answer: of::<Response<crate::console::Index>> },
        Operation { method: "post", path: "/v1/check", id: "check",
            summary: "检查标准文本（不提供服务）· check a standard's text without serving it",
            query: vec![q("file", false, json!({"type": "string"}), "问题中使用的文件名 · the file name problems give")],
            input: Input::Source, status: "200", answer: of::<Response<CompileBody>> },
        Operation { method: "get", path: "/v1/standards", id: "standards",
            summary: "文件夹中的标准及其问题 · the folder's standards and their problems",
            query: vec![], input: Input::Nothing, status: "200", answer: of::<Response<StandardList>> },
        Operation { method: "get", path: "/v1/standards/{standard}", id: "standard",
            summary: "一个标准：提供服务的版本与当前文本的问题 · one standard: the version served and its current text's problems",
            query: vec![], input: Input::Nothing, status: "200", answer: of::<Response<StandardEntry>> },
        Operation { method: "post", path: "/v1/standards/{standard}/evaluate", id: "evaluate",
            summary: "评价全部单位 · evaluate every unit",
            query: [options(true), vec![q("detail", false, json!({"type": "string", "enum": ["summary", "conditions", "members"]}),
                "每个单位给出多少 · how much of each unit")]].concat(),
            input: Input::Facts, status: "200", answer: of::<Response<EvaluateBody>> },
        Operation { method: "post", path: "/v1/standards/{standard}/explain", id: "explain",
            summary: "解释一个单位的等级 · explain a unit's tier",
            query: [options(true), vec![unit()]].concat(),
            input: Input::Facts, status: "200", answer: of::<Response<ExplainBody>> },
        Operation { method: "post", path: "/v1/standards/{standard}/progress", id: "progress",
            summary: "到期目标的进度 · progress against the targets due",
            query: options(true), input: Input::Facts, status: "200", answer: of::<Response<ProgressBody>> },
        Operation { method: "post", path: "/v1/standards/{standard}/gap", id: "gap",
            summary: "问题清单和提升清单 · what a unit lacks for a tier",
            query: [options(true), vec![unit(), q("tier", true, text("等级 · the tier"), "要达到的等级 · the tier to reach")]].concat(),
            input: Input::Facts, status: "200", answer: of::<Response<GapBody>> },
        Operation { method: "post", path: "/v1/standards/{standard}/diff", id: "diff",
            summary: "比较两份数据 · compare two facts files",
            query: options(true), input: Input::TwoFacts, status: "200", answer: of::<Response<DiffBody>> },
        Operation { method: "post", path: "/v1/standards/{standard}/impact", id: "impact",
            summary: "修订的影响 · the impact of a revision",
            query: options(false), input: Input::Revision, status: "200", answer: of::<Response<duibiao::impact::Impact>> },
        Operation { method: "post", path: "/v1/standards/{standard}/rounds", id: "submit_round",
            summary: "提交一轮评价（评价并保存）· submit a round: evaluate and store it",
            query: [options(false), vec![
                q("submitted_by", true, text("提交人 · who submits"), "提交人 · who submits"),
                q("corrects", false, json!({"type": "integer", "format": "int64"}), "更正的轮次 · the round this corrects"),
            ]].concat(),
            input: Input::Facts, status: "201", answer: of::<Response<Submitted>> },
        Operation { method: "get", path: "/v1/standards/{standard}/history", id: "history",
            summary: "历轮评价：各等级单位数和目标 · the rounds over time: tiers counted and targets",
            query: vec![], input: Input::Nothing, status: "200", answer: of::<Response<History>> },
        Operation { method: "get", path: "/v1/rounds", id: "rounds",
            summary: "全部轮次，或一个标准的 · every round, or a standard's",
            query: vec![q("standard", false, json!({"type": "string"}), "标准标识 · a standard's slug")],
            input: Input::Nothing, status: "200", answer: of::<Response<RoundList>> },
        Operation { method: "get", path: "/v1/rounds/diff", id: "diff_rounds",
            summary: "比较两轮：谁升谁降 · compare two rounds: who moved up or down",
            query: vec![
                q("before", true, json!({"type": "integer", "format": "int64"}), "前一轮 · the earlier round"),
                q("after", true, json!({"type": "integer", "format": "int64"}), "后一轮 · the later round"),
            ],
            input: Input::Nothing, status: "200", answer: of::<Response<DiffBody>> },
        Operation { method: "get", path: "/v1/rounds/{round}", id: "round",
            summary: "一轮：提交的数据、结果和进度 · a round: its facts, outcome and progress",
            query: vec![], input: Input::Nothing, status: "200", answer: of::<Response<RoundRecord>> },
    ]
}

/// The parameters of `path`: a standard's slug (one of `slugs` when there are any), a round's
/// number.
fn path_params(path: &str, slugs: &[String]) -> Vec<Value> {
    let mut params = Vec::new();
    if path.contains("{standard}") {
        let mut schema = json!({"type": "string"});
        if !slugs.is_empty() {
            schema["enum"] = json!(slugs);
        }
        params.push(json!({"name": "standard", "in": "path", "required": true,
            "schema": schema, "description": "标准标识 · the standard's slug"}));
    }
    if path.contains("{round}") {
        params.push(json!({"name": "round", "in": "path", "required": true,
            "schema": {"type": "integer", "format": "int64"}, "description": "轮次 · the round's number"}));
    }
    params
}

/// A workbook's schema (bytes of the xlsx type).
fn workbook() -> Value {
    json!({"type": "string", "contentMediaType": crate::input::XLSX})
}

/// The paths that give a workbook to download, with `problem` the schema of their failures.
fn downloads(problem: &Value, slugs: &[String]) -> Vec<(&'static str, Value)> {
    let file = |id: &str, path: &'static str, summary: &str, query: Vec<Value>| {
        let params = [query, path_params(path, slugs)].concat();
        let op = json!({
            "operationId": id,
            "summary": summary,
            "parameters": params,
            "responses": {
                "200": {"description": "工作簿（Content-Disposition 给出 UTF-8 文件名）· the workbook (Content-Disposition names it in UTF-8)",
                        "headers": {"Content-Disposition": {"schema": {"type": "string"}}},
                        "content": {crate::input::XLSX: {"schema": workbook()}}},
                "default": {"description": "问题（见 docs/error-codes.md）· problems (see docs/error-codes.md)",
                            "content": {"application/json": {"schema": problem}}},
            },
        });
        (path, op)
    };
    let lang = q(
        "lang",
        false,
        json!({"type": "string", "enum": ["zh", "en"]}),
        "工作簿文字的语言 · the language of the workbook's texts",
    );
    vec![
        file(
            "template",
            "/v1/standards/{standard}/template.xlsx",
            "供填写的工作簿 · the workbook to fill in",
            vec![q(
                "kind",
                false,
                json!({"type": "string"}),
                "只要这类单位的工作表 · only this kind's sheets",
            )],
        ),
        file(
            "round_results",
            "/v1/rounds/{round}/results.xlsx",
            "一轮的结果工作簿 · a round's results as a workbook",
            vec![lang],
        ),
    ]
}

/// The facts files' schema, its definitions moved among the document's schemas.
fn facts_schemas() -> Map<String, Value> {
    let text = duibiao::FACTS_SCHEMA
        .replace("#/$defs/unit", "#/components/schemas/FactsUnit")
        .replace("#/$defs/value", "#/components/schemas/FactsValue");
    let mut facts: Value = serde_json::from_str(&text).unwrap_or_else(|_| json!({}));
    let defs = facts
        .as_object_mut()
        .and_then(|o| {
            o.remove("$schema");
            o.remove("$id");
            o.remove("$defs")
        })
        .unwrap_or_else(|| json!({}));
    let mut out = Map::new();
    out.insert("Facts".into(), facts);
    for (name, key) in [("FactsUnit", "unit"), ("FactsValue", "value")] {
        out.insert(
            name.into(),
            defs.get(key).cloned().unwrap_or_else(|| json!({})),
        );
    }
    out
}

fn body(input: Input) -> Option<Value> {
    let facts = json!({"$ref": "#/components/schemas/Facts"});
    let (kind, schema) = match input {
        Input::Nothing => return None,
        Input::Facts => {
            let workbook = json!({"type": "string", "contentMediaType": crate::input::XLSX,
                "description": "填写好的工作簿（duibiao template）；类型为 application/octet-stream 且内容是 xlsx 时也按工作簿读取 · a filled-in workbook (duibiao template); a body of type application/octet-stream that is an xlsx is read as one too"});
            return Some(json!({"required": true, "content": {
                crate::input::JSON: {"schema": facts}, crate::input::XLSX: {"schema": workbook}}}));
        }
        Input::Source => (crate::input::TEXT, json!({"type": "string"})),
        Input::TwoFacts => (
            crate::input::JSON,
            json!({
            "type": "object", "required": ["before", "after"], "additionalProperties": false,
            "properties": {"before": facts, "after": facts}}),
        ),
        Input::Revision => (
            crate::input::JSON,
            json!({
            "type": "object", "required": ["revision", "facts"], "additionalProperties": false,
            "properties": {
                "revision": {"oneOf": [
                    {"type": "string", "description": "a standard served · 提供服务的标准"},
                    {"type": "object", "required": ["source"], "additionalProperties": false,
                     "properties": {"source": {"type": "string"}, "file": {"type": "string"}}}]},
                "facts": facts}}),
        ),
    };
    Some(json!({"required": true, "content": {kind: {"schema": schema}}}))
}

/// The document, with `slugs` the standards served.
pub(crate) fn document(slugs: &[String]) -> Value {
    let mut g = SchemaSettings::draft2020_12()
        .with(|s| s.definitions_path = "/components/schemas".into())
        .into_generator();
    let problem = of::<Response<EmptyBody>>(&mut g).to_value();
    let mut paths = Map::new();
    for op in operations() {
        let params = [op.query.clone(), path_params(op.path, slugs)].concat();
        let answer = (op.answer)(&mut g).to_value();
        let mut operation = json!({
            "operationId": op.id,
            "summary": op.summary,
            "parameters": params,
            "responses": {
                op.status: {"description": "成功 · done", "content": {"application/json": {"schema": answer}}},
                "default": {"description": "问题（见 docs/error-codes.md）· problems (see docs/error-codes.md)",
                            "content": {"application/json": {"schema": problem}}},
            },
        });
        if let Some(b) = body(op.input) {
            operation["requestBody"] = b;
        }
        if matches!(op.input, Input::Facts) {
            if let Some(p) = operation["parameters"].as_array_mut() {
                p.push(q("file", false, json!({"type": "string"}),
                    "数据文件名（问题中使用，并与一轮评价一同保存）· the facts file's name (problems give it; a round keeps it)"));
            }
        }
        if op.id == "evaluate" {
            operation["responses"][op.status]["content"][crate::input::XLSX] = json!({"schema": workbook(),
                "description": "请求头 Accept 为 xlsx 类型时：结果工作簿 · with Accept: the xlsx type, the results workbook"});
        }
        let entry = paths
            .entry(op.path.to_string())
            .or_insert_with(|| json!({}));
        entry[op.method] = operation;
    }
    for (path, op) in downloads(&problem, slugs) {
        paths.insert(path.to_string(), json!({"get": op}));
    }
    let mut schemas: Map<String, Value> = g.take_definitions(true).into_iter().collect();
    schemas.extend(facts_schemas());
    json!({
        "openapi": "3.1.0",
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "info": {
            "title": "duibiao serve",
            "version": duibiao::protocol::ENGINE,
            "description": "对标评价服务：评价、解释、进度、差距、比较、修订影响，以及评价轮次的存储。每个响应都是协议的响应（docs/embedding.md），问题的代码见 docs/error-codes.md。· The duibiao assessment service: every response is the protocol's (docs/embedding.md); problem codes in docs/error-codes.md.",
        },
        "paths": paths,
        "components": {"schemas": schemas},
    })
}

/// `GET /openapi.json`.
pub(crate) async fn serve(State(app): State<Arc<App>>) -> impl IntoResponse {
    let doc = document(&app.catalog.slugs());
    (
        [(header::CONTENT_TYPE, "application/json")],
        doc.to_string(),
    )
}
