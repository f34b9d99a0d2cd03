//! Files the service gives to download (workbooks): their type, and a `Content-Disposition`
//! naming them in UTF-8 (RFC 6266 with RFC 5987's `filename*`, and an ASCII `filename` for
//! clients that read only that one).

use crate::input::XLSX;
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};

/// A file to download: its bytes, type and name.
#[derive(Debug)]
pub(crate) struct File {
    bytes: Vec<u8>,
    kind: &'static str,
    name: String,
}

impl File {
    /// A workbook named `name`.
    pub(crate) fn workbook(bytes: Vec<u8>, name: &str) -> File {
        File {
            bytes,
            kind: XLSX,
            name: name.to_string(),
        }
    }
}

impl IntoResponse for File {
    fn into_response(self) -> Response {
        let disposition = HeaderValue::from_str(&disposition(&self.name))
            .unwrap_or_else(|_| HeaderValue::from_static("attachment"));
        (
            [
                (header::CONTENT_TYPE, HeaderValue::from_static(self.kind)),
                (header::CONTENT_DISPOSITION, disposition),
            ],
            self.bytes,
        )
            .into_response()
    }
}

/// `attachment; filename="…"; filename*=UTF-8''…`: the name in ASCII (each other character
/// an `_`, quotes and backslashes too) and in UTF-8, percent-encoded but for RFC 5987's
/// `attr-char`s.
pub(crate) fn disposition(name: &str) -> String {
    let ascii: String = name
        .chars()
        .map(|c| match c {
            ' '..='~' if c != '"' && c != '\\' => c,
            _ => '_',
        })
        .collect();
    let mut encoded = String::new();
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
            encoded.push(char::from(b));
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

/// Whether the request asks for a workbook: its `Accept` header names the xlsx type.
pub(crate) fn wants_workbook(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::ACCEPT)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|t| {
            t.split(';')
                .next()
                .is_some_and(|m| m.trim().eq_ignore_ascii_case(XLSX))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chinese_name_is_given_in_utf8_and_in_ascii() {
        assert_eq!(
            disposition("haiyan-结果.xlsx"),
            "attachment; filename=\"haiyan-__.xlsx\"; filename*=UTF-8''haiyan-%E7%BB%93%E6%9E%9C.xlsx"
        );
        assert_eq!(
            disposition("a \"b\".xlsx"),
            "attachment; filename=\"a _b_.xlsx\"; filename*=UTF-8''a%20%22b%22.xlsx"
        );
    }

    #[test]
    fn accept_names_the_workbook_type_among_others() {
        let mut h = HeaderMap::new();
        assert!(!wants_workbook(&h));
        h.insert(header::ACCEPT, HeaderValue::from_static("application/json"));
        assert!(!wants_workbook(&h));
        h.insert(
            header::ACCEPT,
            HeaderValue::from_static(
                "application/json;q=0.5, application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ),
        );
        assert!(wants_workbook(&h));
    }
}
