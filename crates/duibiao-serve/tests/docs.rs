//! The `$ curl` examples of docs/service.md, run in order against a freshly started service (on
//! the repository's standards, with an empty store) and checked against their outputs.
//!
//! An example is a fenced block whose first line is `$ curl …` (the options `-s`, `-i`, `-I`,
//! `-X`, `-H` and `--data-binary @FILE` are understood; files are relative to the repository's root;
//! `http://127.0.0.1:8080` is the service). The block's other lines are the output: with `-i` (or `-I`, a HEAD), the
//! status line, the headers, a blank line and the body. A line `…` on its own matches any number
//! of lines; within a line, `…` matches any text.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{root, Server};

/// The words of a command line: split at spaces, single quotes kept together.
fn words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let (mut quoted, mut started) = (false, false);
    for c in line.chars() {
        match c {
            '\'' => {
                quoted = !quoted;
                started = true;
            }
            ' ' if !quoted => {
                if started {
                    out.push(std::mem::take(&mut word));
                }
                started = false;
            }
            _ => {
                word.push(c);
                started = true;
            }
        }
    }
    if started {
        out.push(word);
    }
    out
}

/// Whether `line` matches `pattern`, in which `…` matches any text.
fn line_matches(pattern: &str, line: &str) -> bool {
    let parts: Vec<&str> = pattern.split('…').collect();
    if parts.len() == 1 {
        return pattern == line;
    }
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !line.starts_with(first) || !line[first.len()..].ends_with(last) {
        return false;
    }
    let mut rest = &line[first.len()..line.len() - last.len()];
    for part in &parts[1..parts.len() - 1] {
        match rest.find(part) {
            Some(i) => rest = &rest[i + part.len()..],
            None => return false,
        }
    }
    true
}

/// Whether `lines` match `patterns`, in which a line `…` matches any number of lines.
fn matches(patterns: &[&str], lines: &[&str]) -> bool {
    match patterns.split_first() {
        None => lines.is_empty(),
        Some((&"…", rest)) => (0..=lines.len()).any(|skip| matches(rest, &lines[skip..])),
        Some((p, rest)) => lines
            .split_first()
            .is_some_and(|(l, more)| line_matches(p, l) && matches(rest, more)),
    }
}

/// Runs one `curl` command line against `server`: its output as curl prints it.
async fn curl(server: &Server, line: &str) -> String {
    let mut method = None;
    let (mut include, mut url, mut body) = (false, None, None);
    let mut headers = Vec::new();
    let args = words(line);
    let mut it = args.iter().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "-s" => {}
            "-i" => include = true,
            "-I" => {
                include = true;
                method = Some("HEAD".into());
            }
            "-X" => method = it.next().cloned(),
            "-H" => headers.push(it.next().unwrap().clone()),
            "--data-binary" => {
                let file = it.next().unwrap().strip_prefix('@').unwrap().to_string();
                body = Some(std::fs::read(root().join(file)).unwrap());
            }
            u if u.starts_with("http://127.0.0.1:8080") => {
                url = Some(u.replacen("http://127.0.0.1:8080", &server.base, 1));
            }
            other => panic!("the docs' test does not know the curl option `{other}`"),
        }
    }
    let method = method.unwrap_or_else(|| {
        if body.is_some() {
            "POST".into()
        } else {
            "GET".into()
        }
    });
    let client = reqwest::Client::new();
    let mut req = client.request(
        reqwest::Method::from_bytes(method.as_bytes()).unwrap(),
        url.unwrap(),
    );
    for h in &headers {
        let (k, v) = h.split_once(": ").unwrap();
        req = req.header(k, v);
    }
    if let Some(b) = body {
        req = req.body(b);
    }
    let r = req.send().await.unwrap();
    let mut out = String::new();
    if include {
        let s = r.status();
        out.push_str(&format!(
            "HTTP/1.1 {} {}\n",
            s.as_u16(),
            s.canonical_reason().unwrap_or("")
        ));
        for (k, v) in r.headers() {
            out.push_str(&format!("{k}: {}\n", v.to_str().unwrap_or("")));
        }
        out.push('\n');
    }
    out.push_str(&r.text().await.unwrap());
    out
}

#[tokio::test(flavor = "multi_thread")]
async fn the_curl_examples_of_the_service_page() {
    let page = std::fs::read_to_string(root().join("docs/service.md")).unwrap();
    let server = Server::standards().await;
    let mut lines = page.lines().peekable();
    let mut run = 0;
    while let Some(line) = lines.next() {
        if !line.starts_with("```") {
            continue;
        }
        let block: Vec<&str> = lines
            .by_ref()
            .take_while(|l| !l.starts_with("```"))
            .collect();
        let Some(command) = block.first().and_then(|l| l.strip_prefix("$ ")) else {
            continue;
        };
        if !command.starts_with("curl ") {
            continue;
        }
        let out = curl(&server, command).await;
        let got: Vec<&str> = out.lines().collect();
        assert!(
            matches(&block[1..], &got),
            "docs/service.md: `{command}` printed\n{}",
            out.chars().take(1500).collect::<String>()
        );
        run += 1;
    }
    assert!(run >= 8, "only {run} examples ran");
    server.stop().await;
}

#[test]
fn patterns() {
    assert!(line_matches("a…c…e", "abcde"));
    assert!(!line_matches("a…c…e", "abde"));
    assert!(matches(&["x", "…", "z"], &["x", "1", "2", "z"]));
    assert!(!matches(&["x", "z"], &["x", "1", "z"]));
    assert_eq!(words("curl -s 'a b' c"), vec!["curl", "-s", "a b", "c"]);
}
