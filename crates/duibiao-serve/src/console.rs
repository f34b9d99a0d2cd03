//! The service's front page, `GET /`, and the web review console (docs/console.md). A browser
//! (whose `Accept` names `text/html`) gets the console's page; any other client gets the
//! service's index as JSON: what it serves and where its description is. The console's files
//! (plain HTML, CSS and ES modules, no build step) are embedded in the binary and served under
//! `/console/`, with a content security policy that allows nothing but this origin.

use crate::answer::{Answer, Stop};
use crate::problems::no_route;
use crate::App;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use schemars::JsonSchema;
use serde::Serialize;
use std::sync::Arc;

/// What the service serves.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct Index {
    /// The service's name.
    pub(crate) service: String,
    /// The OpenAPI document describing every path.
    pub(crate) openapi: String,
    /// The slugs of the standards served.
    pub(crate) standards: Vec<String>,
}

/// The console's page and files: scripts, styles and data only from this origin, no inline
/// code, no frames, no plug-ins, forms and links to this origin.
const POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; \
     connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/// One embedded file: its path under `/console/`, its media type and its text.
struct Asset {
    path: &'static str,
    media: &'static str,
    text: &'static str,
}

/// Declares the embedded files, each read from `console/` at build time.
macro_rules! assets {
    ($($path:literal => $media:expr),* $(,)?) => {
        &[$(Asset {
            path: $path,
            media: $media,
            text: include_str!(concat!("../console/", $path)),
        }),*]
    };
}

const JS: &str = "text/javascript; charset=utf-8";

/// The console's files (tested to be every file of `console/`).
const ASSETS: &[Asset] = assets![
    "index.html" => "text/html; charset=utf-8",
    "console.css" => "text/css; charset=utf-8",
    "icon.svg" => "image/svg+xml",
    "js/api.js" => JS,
    "js/charts-page.js" => JS,
    "js/charts.js" => JS,
    "js/compare.js" => JS,
    "js/dom.js" => JS,
    "js/filters.js" => JS,
    "js/i18n.js" => JS,
    "js/main.js" => JS,
    "js/outcome.js" => JS,
    "js/problems.js" => JS,
    "js/state.js" => JS,
    "js/status.js" => JS,
    "js/unit.js" => JS,
    "js/units.js" => JS,
];

/// An embedded file as a response, with the policy and no sniffing of its type.
fn file(a: &Asset) -> Response {
    let mut r = a.text.into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(a.media));
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(POLICY),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    r
}

/// Whether the request asks for a page (a browser's `Accept`).
fn wants_page(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::ACCEPT)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|t| t.split(';').next().unwrap_or("").trim() == "text/html")
}

/// `GET /`: the console's page for a browser, else the index.
pub(crate) async fn index(State(app): State<Arc<App>>, headers: HeaderMap) -> Response {
    if wants_page(&headers) {
        if let Some(page) = ASSETS.iter().find(|a| a.path == "index.html") {
            return file(page);
        }
    }
    let body = Index {
        service: "duibiao serve".to_string(),
        openapi: "/openapi.json".to_string(),
        standards: app.catalog.slugs(),
    };
    Answer::body("index", None, Vec::new(), body).into_response()
}

/// `GET /console/{*path}`: one of the console's files (`S0011` for any other path).
pub(crate) async fn asset(Path(path): Path<String>) -> Response {
    match ASSETS.iter().find(|a| a.path == path) {
        Some(a) => file(a),
        None => Answer::stopped(
            "request",
            &Stop::from(no_route(&format!("/console/{path}"))),
        )
        .into_response(),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    /// Every file under `console/`, relative to it.
    fn files(dir: &std::path::Path, under: &str, out: &mut Vec<String>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let e = e.unwrap();
            let name = format!("{under}{}", e.file_name().to_string_lossy());
            if e.file_type().unwrap().is_dir() {
                files(&e.path(), &format!("{name}/"), out);
            } else {
                out.push(name);
            }
        }
    }

    #[test]
    fn every_file_of_the_console_is_embedded_and_nothing_else() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("console");
        let mut found = Vec::new();
        files(&dir, "", &mut found);
        found.sort();
        let mut embedded: Vec<String> = ASSETS.iter().map(|a| a.path.to_string()).collect();
        embedded.sort();
        assert_eq!(found, embedded);
    }

    #[test]
    fn every_module_imported_is_embedded() {
        for a in ASSETS.iter().filter(|a| a.path.ends_with(".js")) {
            for line in a.text.lines().filter(|l| l.starts_with("import ")) {
                let from = line.rsplit("from '").next().unwrap();
                let target = from.trim_end_matches("';");
                let path = format!("js/{}", target.trim_start_matches("./"));
                assert!(
                    ASSETS.iter().any(|b| b.path == path),
                    "{} imports {target}, which is not embedded",
                    a.path
                );
            }
        }
    }

    #[test]
    fn the_page_names_only_embedded_files_and_no_inline_code() {
        let page = ASSETS.iter().find(|a| a.path == "index.html").unwrap().text;
        for part in page.split("=\"/console/").skip(1) {
            let path = part.split('"').next().unwrap();
            assert!(ASSETS.iter().any(|a| a.path == path), "{path}");
        }
        assert!(!page.contains("<script>") && !page.contains("style="));
        assert!(!page.contains("http://") && !page.contains("https://"));
    }

    #[test]
    fn a_browser_gets_the_page_and_other_clients_the_index() {
        let mut h = HeaderMap::new();
        assert!(!wants_page(&h));
        h.insert(header::ACCEPT, HeaderValue::from_static("application/json"));
        assert!(!wants_page(&h));
        h.insert(
            header::ACCEPT,
            HeaderValue::from_static("text/html,application/xhtml+xml;q=0.9,*/*;q=0.8"),
        );
        assert!(wants_page(&h));
    }
}
