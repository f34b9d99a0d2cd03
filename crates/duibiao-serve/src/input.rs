//! Request bodies by their type (`Content-Type`): facts as JSON now; a type is one more arm of
//! [`facts`] (the spreadsheet form, read into the same facts text, comes with `duibiao-xlsx`).

use crate::problems::{too_large, unsupported_media};
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::http::{header, HeaderMap, StatusCode};
use duibiao::codes::Code;
use duibiao::{Location, Problem, Problems};

/// The JSON type.
pub(crate) const JSON: &str = "application/json";

/// Plain text (a `.std` file's text).
pub(crate) const TEXT: &str = "text/plain";

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

/// A facts file from the body: its JSON text, as the loader reads it.
pub(crate) fn facts(headers: &HeaderMap, body: Bytes) -> Result<String, Problems> {
    text(headers, body, &[JSON])
}
