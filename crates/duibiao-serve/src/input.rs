//! Request bodies by their type (`Content-Type`): facts as JSON, or as a workbook (xlsx, read
//! with `duibiao-xlsx` into the same facts document, its problems at their sheet and cell).

use crate::problems::{too_large, unsupported_media};
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::http::{header, HeaderMap, StatusCode};
use duibiao::codes::Code;
use duibiao::{Facts, Location, Problem, Problems, Standard};

/// The JSON type.
pub(crate) const JSON: &str = "application/json";

/// Plain text (a `.std` file's text).
pub(crate) const TEXT: &str = "text/plain";

/// A workbook (xlsx).
pub(crate) const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// Bytes of no type in particular: taken as a workbook when they are one.
pub(crate) const OCTETS: &str = "application/octet-stream";

/// The body's media type, without its parameters (`charset`), lower-cased.
fn media_type(headers: &HeaderMap) -> Option<String> {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        })
}

/// The body, or why it could not be read (larger than the limit: `S0004`).
pub(crate) fn bytes(body: Result<Bytes, BytesRejection>, limit: usize) -> Result<Bytes, Problems> {
    body.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            too_large(limit)
        } else {
            Problems::one(
                Problem::error(
                    Code::A0001,
                    format!("无法读取请求体：{e}"),
                    format!("the request body cannot be read: {e}"),
                )
                .at(Location::data(Some("request"), None, Some("body"))),
            )
        }
    })
}

/// The body as text, if it is of one of the types `accepted` (`S0003` else; `A0009` when it is
/// not UTF-8).
pub(crate) fn text(
    headers: &HeaderMap,
    body: Bytes,
    accepted: &[&str],
) -> Result<String, Problems> {
    let found = media_type(headers);
    if !found.as_deref().is_some_and(|t| accepted.contains(&t)) {
        return Err(unsupported_media(found.as_deref(), accepted));
    }
    String::from_utf8(body.to_vec()).map_err(|e| {
        Problems::one(
            Problem::error(
                Code::A0009,
                format!(
                    "请求体不是 UTF-8 文本（第 {} 字节）",
                    e.utf8_error().valid_up_to()
                ),
                format!(
                    "the request body is not UTF-8 text (at byte {})",
                    e.utf8_error().valid_up_to()
                ),
            )
            .at(Location::data(Some("request"), None, Some("body"))),
        )
    })
}

/// A facts file as sent: a JSON text or a workbook, with the name problems give it.
pub(crate) struct FactsBody {
    /// The name problems give the input: the `file` query parameter, else `facts` (JSON) or
    /// `facts.xlsx` (a workbook).
    pub(crate) name: String,
    /// Whether the file name was given.
    pub(crate) named: bool,
    /// What was sent.
    form: Form,
}

/// The form facts were sent in.
enum Form {
    /// A JSON text.
    Json(String),
    /// A workbook's bytes, and the most it may unpack to.
    Workbook(Bytes, u64),
}

/// Facts loaded from a body.
pub(crate) struct Loaded {
    /// What was loaded.
    pub(crate) facts: Facts,
    /// The problems of loading (of a workbook: at their cells).
    pub(crate) problems: Vec<Problem>,
    /// The facts document as JSON text: the text sent, or a workbook's document.
    pub(crate) json: String,
}

impl FactsBody {
    /// Whether the facts came as a workbook.
    pub(crate) fn is_workbook(&self) -> bool {
        matches!(self.form, Form::Workbook(..))
    }

    /// Loads the facts with `s`: a workbook is first checked against its unpacking limit and
    /// read as a facts document (`duibiao_xlsx`), then loaded as a JSON file is.
    pub(crate) fn load(&self, s: &Standard) -> Loaded {
        let name = Some(self.name.as_str());
        match &self.form {
            Form::Json(text) => {
                let (facts, problems) = s.load_facts_named(name, text);
                Loaded {
                    facts,
                    problems,
                    json: text.clone(),
                }
            }
            Form::Workbook(bytes, max) => {
                let converted = duibiao_xlsx::read_workbook_within(s, name, bytes, *max);
                let (facts, problems) = duibiao_xlsx::load_converted(s, name, &converted);
                let doc = serde_json::Value::Object(converted.doc);
                Loaded {
                    facts,
                    problems,
                    json: serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n",
                }
            }
        }
    }
}

/// A facts file from the body (`file` names it in problems): JSON (`application/json`) or a
/// workbook (the xlsx type, or `application/octet-stream` when the bytes are a workbook); a
/// workbook may unpack to [`duibiao_xlsx::UNPACKED_FACTOR`] times the body limit `limit`.
pub(crate) fn facts(
    headers: &HeaderMap,
    body: Bytes,
    file: Option<&str>,
    limit: usize,
) -> Result<FactsBody, Problems> {
    let found = media_type(headers);
    let workbook = match found.as_deref() {
        Some(XLSX) => true,
        Some(OCTETS) => duibiao_xlsx::is_workbook(&body),
        _ => false,
    };
    let (form, default) = if workbook {
        let max = duibiao_xlsx::unpacked_limit(limit);
        (Form::Workbook(body, max), "facts.xlsx")
    } else if found.as_deref() == Some(OCTETS) {
        return Err(unsupported_media(found.as_deref(), &[JSON, XLSX]));
    } else {
        (Form::Json(text(headers, body, &[JSON, XLSX])?), "facts")
    };
    Ok(FactsBody {
        name: file.unwrap_or(default).to_string(),
        named: file.is_some(),
        form,
    })
}
