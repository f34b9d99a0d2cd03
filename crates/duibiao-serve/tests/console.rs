//! The web review console's files over HTTP: a browser gets the page at `/` and other clients
//! the JSON index; the files under `/console/` come with their types and the content security
//! policy; any other file there is the problem `S0011`. (The console itself is tested in
//! headless Chromium by `console-tests/run.sh`.)

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::Server;

/// GET `path` with `accept`: the status, the headers and the text.
async fn fetch(s: &Server, path: &str, accept: &str) -> (u16, reqwest::header::HeaderMap, String) {
    let r = reqwest::Client::new()
        .get(format!("{}{path}", s.base))
        .header("Accept", accept)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    let headers = r.headers().clone();
    (status, headers, r.text().await.unwrap())
}

#[tokio::test(flavor = "multi_thread")]
async fn the_console_is_served_to_browsers_under_its_policy() {
    let s = Server::standards().await;
    let browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

    let (status, headers, page) = fetch(&s, "/", browser).await;
    assert_eq!(status, 200);
    assert_eq!(headers["content-type"], "text/html; charset=utf-8");
    let policy = headers["content-security-policy"].to_str().unwrap();
    assert!(
        policy.starts_with("default-src 'none'; script-src 'self';"),
        "{policy}"
    );
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert!(page.contains(r#"<script type="module" src="/console/js/main.js">"#));

    let index = s.get("/").await;
    assert_eq!(index.status, 200, "{index}");
    assert_eq!(index.json["call"], "index");
    assert!(index.json["standards"]
        .as_array()
        .unwrap()
        .contains(&"haiyan-2021".into()));

    for (path, media) in [
        ("/console/js/main.js", "text/javascript; charset=utf-8"),
        ("/console/console.css", "text/css; charset=utf-8"),
    ] {
        let (status, headers, text) = fetch(&s, path, "*/*").await;
        assert_eq!(
            (status, headers["content-type"].to_str().unwrap()),
            (200, media),
            "{path}"
        );
        assert!(headers.contains_key("content-security-policy"));
        assert!(!text.is_empty());
    }

    let missing = s.get("/console/js/nothing.js").await;
    assert_eq!(
        (missing.status, missing.codes()),
        (404, vec!["S0011".to_string()]),
        "{missing}"
    );
    s.stop().await;
}
